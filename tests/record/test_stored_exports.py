"""A published version never changes: each of its exports is made once, then served again."""

from __future__ import annotations

import uuid

import pytest

from facilitator.record import exporting, stored
from facilitator.record.data import Record
from tests.record.conftest import Seed


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int | None, str, str]]:
    """Every export actually made: (version, language, format)."""
    calls: list[tuple[int | None, str, str]] = []
    real = exporting.export

    def counted(record: Record, fmt: str) -> bytes:
        calls.append((record.version, record.language, fmt))
        return real(record, fmt)

    monkeypatch.setattr(stored.exporting, "export", counted)
    return calls


def test_a_published_version_is_exported_once_per_language_and_format(
    seed: Seed, made: list[tuple[int | None, str, str]]
) -> None:
    slug = seed.workshop.slug
    seed.note(kind="item", item="opening", text="First text.")
    seed.post(f"/w/{slug}/record/publish", {})
    seed.note(kind="item", item="opening", text="Second text.", based_on=1)
    seed.post(f"/w/{slug}/record/publish", {})

    first = seed.client.get(f"/w/{slug}/record.pdf?version=1")
    again = seed.client.get(f"/w/{slug}/record.pdf?version=1")
    assert first.status_code == again.status_code == 200
    assert again.data == first.data and again.data.startswith(b"%PDF")
    assert again.headers["Content-Disposition"] == first.headers["Content-Disposition"]
    assert made == [(1, "en", "pdf")]

    one = seed.client.get(f"/w/{slug}/record.md?version=1").get_data(as_text=True)
    two = seed.client.get(f"/w/{slug}/record.md?version=2").get_data(as_text=True)
    french = seed.client.get(f"/w/{slug}/record.md?version=2&language=fr").get_data(as_text=True)
    assert "First text." in one and "Second text." not in one
    assert (
        "Second text." in two
        and french.startswith("# Compte rendu")
        and two.startswith("# Session record")
    )

    token = seed.post(f"/w/{slug}/record/share", {"cid": str(uuid.uuid4())}).get_json()[
        "public_token"
    ]
    seed.client.post("/logout", headers={"X-CSRFToken": seed.token})
    for _ in range(3):  # a room opening the public link
        assert "Second text." in seed.client.get(f"/r/{token}.md").get_data(as_text=True)
    assert made.count((2, "en", "md")) == 1


def test_the_draft_is_exported_afresh_each_time(
    seed: Seed, made: list[tuple[int | None, str, str]]
) -> None:
    slug = seed.workshop.slug
    seed.note(kind="item", item="opening", text="First text.")
    assert "First text." in seed.client.get(f"/w/{slug}/record.md").get_data(as_text=True)
    seed.note(kind="item", item="opening", text="Second text.", based_on=1)
    assert "Second text." in seed.client.get(f"/w/{slug}/record.md").get_data(as_text=True)
    assert made == [(None, "en", "md"), (None, "en", "md")]
