"""Conflicting note edits, redaction and anonymity, CSV formula injection, image refusals."""

from __future__ import annotations

import csv
import io
import json
import os
import uuid

from PIL import Image

from facilitator.record import services
from facilitator.record.exporters.csv import neutralise
from facilitator.record.images import ImageRefused, clean_image
from facilitator.record.models import NoteVersion
from tests.record.conftest import Seed


def test_a_save_on_an_old_version_is_refused_with_both_texts_and_kept(seed: Seed) -> None:
    first = seed.note(kind="item", item="opening", text="Welcome by Amanda.")
    assert first.get_json()["note"]["version"] == 1
    mine = seed.note(kind="item", item="opening", text="Welcome, v2.", based_on=1)
    assert mine.status_code == 200 and mine.get_json()["note"]["version"] == 2
    theirs = seed.note(kind="item", item="opening", text="Their edit of v1.", based_on=1)
    assert theirs.status_code == 409
    body = theirs.get_json()
    assert body["error"]["code"] == "conflict"
    assert body["note"]["text"] == "Welcome, v2." and body["yours"] == "Their edit of v1."
    kept = seed.db.query(NoteVersion).filter(NoteVersion.version.is_(None)).all()
    assert [v.text for v in kept] == ["Their edit of v1."]
    note_id = body["note"]["id"]
    history = seed.client.get(f"/w/{seed.workshop.slug}/record/notes/{note_id}/history.json")
    assert [(v["version"], v["text"]) for v in history.get_json()["versions"]] == [
        (1, "Welcome by Amanda."),
        (2, "Welcome, v2."),
        (None, "Their edit of v1."),
    ]


def test_the_notes_screen_gets_the_program_people_questions_and_notes(seed: Seed) -> None:
    seed.note(kind="summary", item="speaker-4", person="young-kim", text="SSEGOV.")
    screen = seed.client.get(f"/w/{seed.workshop.slug}/record/screen.json").get_json()
    items = {i["key"]: i for i in screen["program"]}
    assert items["guiding-question"]["questions"] == ["transform-the-present"]
    assert "young-kim" in items["speaker-4"]["people"]
    assert screen["current_item"] is None and screen["phase"] is None
    assert [n["text"] for n in screen["notes"]] == ["SSEGOV."]


def test_a_resent_save_is_stored_once(seed: Seed) -> None:
    cid = str(uuid.uuid4())
    for _ in range(2):
        answer = seed.note(kind="item", item="opening", text="Once.", cid=cid)
        assert answer.status_code == 200 and answer.get_json()["note"]["version"] == 1
    assert seed.db.query(NoteVersion).count() == 1


def test_without_csrf_a_save_is_refused(seed: Seed) -> None:
    path = f"/w/{seed.workshop.slug}/record/notes"
    body = {"cid": str(uuid.uuid4()), "kind": "item", "item": "opening", "text": "x", "based_on": 0}
    assert seed.client.post(path, json=body).status_code == 400


def test_redacted_names_and_hidden_entries_leave_the_record(seed: Seed) -> None:
    seed.note(kind="conclusion", name="Khady Samba", text="Khady Samba says crowdfunding.")
    seed.note(kind="conclusion", name="Marieme", text="Grass-roots engagement.")
    draft = seed.client.get(f"/w/{seed.workshop.slug}/record/draft.json").get_json()
    marieme = next(c["id"] for c in draft["record"]["conclusions"] if c["about"] == "Marieme")
    edits = {"cid": str(uuid.uuid4()), "redact": ["Khady Samba"], "hidden": [marieme]}
    assert seed.post(f"/w/{seed.workshop.slug}/record/draft", edits).status_code == 200
    body = seed.client.get(f"/w/{seed.workshop.slug}/record.json").get_data(as_text=True)
    assert "Khady Samba" not in body and "Grass-roots" not in body
    assert "crowdfunding" in body


def test_formula_cells_are_neutralised() -> None:
    for cell in ("=HYPERLINK(1)", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(cell).startswith("'")
    assert neutralise("plain") == "plain"


def test_csv_export_neutralises_a_note(seed: Seed) -> None:
    seed.note(kind="item", item="opening", text='=HYPERLINK("http://evil")')
    rows = list(
        csv.reader(
            io.StringIO(
                seed.client.get(f"/w/{seed.workshop.slug}/record.csv")
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    assert [r[2] for r in rows[1:]] == ['\'=HYPERLINK("http://evil")']


def _png(size: tuple[int, int] = (20, 10)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, "PNG")
    return out.getvalue()


def test_images_refused_not_an_image_oversized_bomb() -> None:
    for raw, code in (
        (b"%PDF-1.4 not an image", "not_an_image"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "not_an_image"),
        (b"x" * (10 * 1024 * 1024 + 1), "too_large"),
    ):
        try:
            clean_image(raw)
        except ImageRefused as refusal:
            assert refusal.code == code
        else:
            raise AssertionError(code)
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG")  # 81 Mpx in a few kB: a bomb
    try:
        clean_image(out.getvalue())
    except ImageRefused as refusal:
        assert refusal.code == "too_many_pixels"
    else:
        raise AssertionError("bomb")


def test_a_polyglot_loses_its_payload_and_exif_goes() -> None:
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"
    out = io.BytesIO()
    Image.new("RGB", (30, 20), "blue").save(out, "JPEG", exif=exif.tobytes())
    payload = b"<script>alert(1)</script>PK\x03\x04zip-payload"
    clean = clean_image(out.getvalue() + payload)
    assert clean.mime == "image/jpeg" and (clean.width, clean.height) == (30, 20)
    assert b"zip-payload" not in clean.data and b"<script>" not in clean.data
    assert b"SecretCamera" not in clean.data


def test_an_image_uploads_and_shows_in_the_record(seed: Seed) -> None:
    path = f"/w/{seed.workshop.slug}/record/images"
    bad = seed.client.post(
        path,
        data={"image": (io.BytesIO(b"GIF89a nope"), "x.gif")},
        headers={"X-CSRFToken": seed.token},
    )
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "not_an_image"
    good = seed.client.post(
        path,
        data={
            "image": (io.BytesIO(_png()), "zoom.png"),
            "caption": "Screenshot of the Zoom session",
        },
        headers={"X-CSRFToken": seed.token},
    )
    assert good.status_code == 201
    photo = io.BytesIO()
    noise = Image.frombytes("RGB", (1400, 1000), os.urandom(1400 * 1000 * 3))
    noise.save(photo, "PNG", compress_level=0)
    assert 2 * 1024 * 1024 < len(photo.getvalue()) < 10 * 1024 * 1024  # over the app's limit
    big = seed.client.post(
        path,
        data={"image": (io.BytesIO(photo.getvalue()), "photo.png")},
        headers={"X-CSRFToken": seed.token},
    )
    assert big.status_code == 201, big.get_data(as_text=True)[:200]
    forged = seed.client.post(path, data={"image": (io.BytesIO(_png()), "zoom.png")})
    assert forged.status_code == 400  # no CSRF token
    data = json.loads(seed.client.get(f"/w/{seed.workshop.slug}/record.json").get_data())
    assert data["images"][0]["caption"] == "Screenshot of the Zoom session"
    assert "Screenshot of the Zoom session" in seed.client.get(
        f"/w/{seed.workshop.slug}/record.html"
    ).get_data(as_text=True)


def test_publish_versions_and_the_public_link(seed: Seed) -> None:
    slug = seed.workshop.slug
    seed.note(kind="item", item="opening", text="First text.")
    assert seed.post(f"/w/{slug}/record/share", {"cid": str(uuid.uuid4())}).status_code == 409
    assert seed.post(f"/w/{slug}/record/publish", {}).get_json()["version"] == 1
    seed.note(kind="item", item="opening", text="Second text.", based_on=1)
    assert seed.post(f"/w/{slug}/record/publish", {}).get_json()["version"] == 2
    old = seed.client.get(f"/w/{slug}/record.md?version=1").get_data(as_text=True)
    assert "First text." in old and "Second text." not in old
    token = seed.post(f"/w/{slug}/record/share", {"cid": str(uuid.uuid4())}).get_json()[
        "public_token"
    ]
    assert len(token) >= 32
    assert services.public_path(seed.db, seed.workshop.id) == f"/r/{token}"
    seed.client.post("/logout", headers={"X-CSRFToken": seed.token})
    public = seed.client.get(f"/r/{token}.md")
    assert public.status_code == 200 and "Second text." in public.get_data(as_text=True)
    assert seed.client.get("/r/not-a-token.md").status_code == 404
    page = seed.client.get(f"/r/{token}", headers={"Accept-Language": "ko"})
    assert page.status_code == 200 and "Content-Disposition" not in page.headers
    assert '<html lang="ko">' in page.get_data(as_text=True)
    assert "script-src" not in page.headers["Content-Security-Policy"]  # default-src 'none'
    assert seed.client.get("/r/not-a-token").status_code == 404


def test_answers_and_questions_are_anonymous_and_removed_people_left_out(seed: Seed) -> None:
    from datetime import UTC, datetime

    from facilitator.participation.models import Participant
    from facilitator.qa.models import AudienceQuestion
    from facilitator.questions.lifecycle import ensure_questions
    from facilitator.questions.models import Answer

    now = datetime(2020, 10, 22, 13, tzinfo=UTC)
    db, workshop = seed.db, seed.workshop
    kept = Participant(
        workshop_id=workshop.id, token_hash="a" * 64, display_name="Soo-jin", language="ko"
    )
    gone = Participant(
        workshop_id=workshop.id,
        token_hash="b" * 64,
        display_name="Troll",
        language="en",
        removed_at=now,
    )
    db.add_all([kept, gone])
    db.flush()
    question = ensure_questions(db, workshop.id)[0]
    question.opened_at = now
    for who, text in ((kept, "협력과 재정"), (gone, "spam spam")):
        db.add(
            Answer(
                question_id=question.id,
                participant_id=who.id,
                value=text,
                text=text,
                created_at=now,
            )
        )
    for who, name, text in ((kept, None, "An anonymous question?"), (gone, "Troll", "Spam?")):
        db.add(
            AudienceQuestion(
                workshop_id=workshop.id,
                participant_id=who.id,
                name=name,
                text=text,
                language=who.language,
                status="answered",
                answered_by_name="Young Kim",
                answer_text="Yes.",
                created_at=now,
            )
        )
    db.commit()
    slug = workshop.slug
    rows = list(
        csv.DictReader(
            io.StringIO(
                seed.client.get(f"/w/{slug}/record.csv").get_data(as_text=True).lstrip("\ufeff")
            )
        )
    )
    texts = {r["text"]: r for r in rows}
    assert "spam spam" not in texts and "Spam?" not in texts
    assert (
        texts["협력과 재정"]["author"] == "anonymous" and texts["협력과 재정"]["language"] == "ko"
    )
    assert texts["An anonymous question?"]["author"] == "anonymous"
    body = seed.client.get(f"/w/{slug}/record.md").get_data(as_text=True)
    assert "Soo-jin" not in body and "Troll" not in body
    assert "Question 1: anonymous" in body
    data = json.loads(seed.client.get(f"/w/{slug}/record.json").get_data())
    results = data["guiding_questions"][0]
    assert results["rows"] == [{"label": "협력과 재정", "count": 1}] and results["responses"] == 1


def test_the_draft_review_replaces_texts_and_reorders_within_a_section(seed: Seed) -> None:
    for name in ("Marieme", "Khady Samba", "Madani Koumaré"):
        seed.note(kind="conclusion", name=name, text=f"What {name} concluded.")
    slug = seed.workshop.slug
    draft = seed.client.get(f"/w/{slug}/record/draft.json").get_json()["record"]
    ids = [c["id"] for c in draft["conclusions"]]
    edits = {
        "cid": str(uuid.uuid4()),
        "order": {"conclusions": list(reversed(ids))},
        "texts": {ids[0]: "Marieme, in the rapporteur's words."},
    }
    assert seed.post(f"/w/{slug}/record/draft", edits).status_code == 200
    record = seed.client.get(f"/w/{slug}/record/draft.json").get_json()["record"]
    assert [c["about"] for c in record["conclusions"]] == [
        "Madani Koumaré",
        "Khady Samba",
        "Marieme",
    ]
    assert record["conclusions"][-1]["text"] == "Marieme, in the rapporteur's words."
    # The notes themselves are untouched: the review is the record's, not the note's.
    notes = seed.client.get(f"/w/{slug}/record/notes.json").get_json()["notes"]
    assert "What Marieme concluded." in {n["text"] for n in notes}


def test_a_multi_day_program_has_every_day_in_its_zone() -> None:
    from datetime import UTC, date, datetime, time
    from zoneinfo import ZoneInfo

    from icalendar import Calendar

    from facilitator.agenda.models import Day, ProgramItem, Workshop
    from facilitator.record.data import Participants, ProgramRow, Record
    from facilitator.record.exporters.ics import export
    from facilitator.record.sections import session_info

    workshop = Workshop(
        slug="two-days",
        title={"en": "Two days"},
        languages=["en"],
        timezone="America/Mexico_City",
        show_timezones=["UTC", "Asia/Seoul"],
        kind="workshop",
        interpretation=[],
        objectives=[],
    )
    for n in (1, 2):
        day = Day(position=n, date=date(2021, 10, 7 + n), start=time(9), end=time(12))
        workshop.days.append(day)
        workshop.program.append(
            ProgramItem(
                key=f"day-{n}",
                position=n,
                day=day,
                start=time(9),
                end=time(10),
                title={"en": f"Day {n}"},
            )
        )
    info = session_info(workshop, "en")
    assert [d.date for d in info.days] == ["2021-10-08", "2021-10-09"]
    assert [t.zone for t in info.days[0].times] == ["America/Mexico_City", "UTC", "Asia/Seoul"]
    assert info.days[0].times[1].start == "2021-10-08T14:00:00+00:00"
    assert info.duration_minutes == 360

    zone = ZoneInfo(workshop.timezone)
    rows = [
        ProgramRow(
            key=i.key,
            day=i.day.position,
            title=i.key,
            kind=None,
            people=[],
            planned_start=datetime.combine(i.day.date, i.start, tzinfo=zone).isoformat(),
            planned_end=datetime.combine(i.day.date, i.end, tzinfo=zone).isoformat(),
            actual_start=None,
            actual_end=None,
            skipped=False,
        )
        for i in workshop.program
    ]
    empty = Participants(0, 0, None, {}, {}, {}, {}, None, None, None)
    record = Record(
        format="f",
        slug="two-days",
        language="en",
        status="draft",
        version=None,
        generated_at=datetime(2021, 10, 1, tzinfo=UTC).isoformat(),
        session=info,
        participants=empty,
        moderators=[],
        speakers=[],
        objectives=[],
        main_question=None,
        program=rows,
        item_notes=[],
        summaries=[],
        guiding_questions=[],
        audience_qa=[],
        breakouts=[],
        case_studies=[],
        conclusions=[],
        images=[],
        contributions=[],
    )
    events = list(Calendar.from_ical(export(record)).walk("VEVENT"))
    starts = [e.decoded("dtstart") for e in events]
    assert [s.date().isoformat() for s in starts] == ["2021-10-08", "2021-10-09"]
    assert {str(s.tzinfo) for s in starts} == {"America/Mexico_City"}


def test_only_the_workshops_staff_reach_the_record(seed: Seed) -> None:
    from facilitator.accounts.services import create_user
    from tests.conftest import PASSWORD, login

    slug = seed.workshop.slug
    create_user(seed.db, "stranger@example.org", PASSWORD)
    seed.db.commit()
    visitor = seed.client.application.test_client()
    assert visitor.get(f"/w/{slug}/record.md").status_code == 302  # to the login page
    login(visitor, "stranger@example.org")
    for path in (
        f"/w/{slug}/record.md",
        f"/w/{slug}/record/notes.json",
        f"/w/{slug}/record/draft.json",
    ):
        assert visitor.get(path).status_code == 403, path
    assert seed.client.get(f"/w/{slug}/record.exe").status_code == 404
    assert seed.client.get(f"/w/{slug}/record.md?version=7").status_code == 404
