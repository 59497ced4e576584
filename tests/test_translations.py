"""Every string the code marks is translated, in every language we promise."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from facilitator.config import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "facilitator"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
    "N_": None,
}
# The folders `make translations` extracts from, with the method of each.
SOURCES = [(PACKAGE, [("**.py", "python")]), (ROOT / "templates", [("**.html", "jinja2")])]


def marked_messages() -> set[str]:
    """What `make translations` extracts from the code and templates today."""
    found = set()
    for folder, methods in SOURCES:
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(folder), methods, keywords=KEYWORDS
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def catalog(language: str) -> Catalog:
    path = PACKAGE / "translations" / language / "LC_MESSAGES" / "messages.po"
    assert path.exists(), f"no catalogue for {language}: run make translations"
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def test_there_are_strings_to_translate() -> None:
    assert len(marked_messages()) > 50


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete(language: str) -> None:
    entries = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog(language) if m.id}
    missing = sorted(marked_messages() - set(entries))
    assert not missing, f"{language}: not in the catalogue (run make translations): {missing[:10]}"
    empty = sorted(
        key
        for key, m in entries.items()
        if not (m.string if isinstance(m.string, str) else all(m.string))
    )
    assert not empty, f"{language}: untranslated: {empty[:10]}"
    fuzzy = sorted(key for key, m in entries.items() if m.fuzzy)
    assert not fuzzy, f"{language}: fuzzy: {fuzzy[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language: str) -> None:
    import re

    placeholder = re.compile(r"%\(\w+\)[sdr]|\{\w+\}")
    for message in catalog(language):
        if not message.id or not isinstance(message.id, str) or not isinstance(message.string, str):
            continue
        assert sorted(placeholder.findall(message.id)) == sorted(
            placeholder.findall(message.string)
        ), f"{language}: {message.id!r} -> {message.string!r}"
