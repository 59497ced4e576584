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


# Strings of templates/base.html, on every page: if templates move and extraction
# does not follow, these are the first to go missing from the catalogues.
BASE_TEMPLATE_STRINGS = ["Skip to content", "Log out", "Language"]


def test_strings_are_extracted_from_the_folder_the_app_renders() -> None:
    from facilitator.resources import templates_dir

    rendered = templates_dir()
    assert (rendered / "base.html").is_file()
    assert any(folder == rendered for folder, _methods in SOURCES), (
        f"the app renders templates from {rendered}, not extracted by {SOURCES}"
    )
    makefile = (ROOT / "Makefile").read_text()
    extract = next(line for line in makefile.splitlines() if "pybabel extract" in line)
    extract += makefile.split(extract, 1)[1].split("\n", 2)[1]  # its continuation line
    assert rendered.relative_to(ROOT).as_posix() in extract.split(), (
        "make translations does not extract from the templates folder"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_base_templates_strings_are_extracted_and_translated(language: str) -> None:
    from facilitator.resources import templates_dir

    source = (templates_dir() / "base.html").read_text()
    extracted = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(templates_dir()), [("**.html", "jinja2")], keywords=KEYWORDS
        )
    }
    entries = catalog(language)
    for msgid in BASE_TEMPLATE_STRINGS:
        assert f'_("{msgid}")' in source or f"_('{msgid}')" in source, msgid
        assert msgid in extracted, f"{msgid!r} is not extracted from the templates"
        entry = entries.get(msgid)
        assert entry is not None, f"{language}: {msgid!r} missing from the catalogue"
        assert entry.string and not entry.fuzzy, f"{language}: {msgid!r} untranslated"
