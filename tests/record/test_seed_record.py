"""The seed-001 record end to end through the routes: notes, the hand-entered count, the
audience Q&A, every export checked."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest
from docx import Document
from pypdf import PdfReader

from facilitator.qa import services as qa
from facilitator.qa.services import Answered
from facilitator.record.exporters import FORMATS
from tests.record.conftest import ANSWERS, CONCLUSIONS, SUMMARIES, Seed, take_seed_notes

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "record.schema.json"
NOW = datetime(2020, 10, 22, 13, 0, tzinfo=UTC)
QUESTIONS = {
    "Revy-Real": (
        "What do you all think of this 'early conclusion'?",
        "malick-diop",
        "We need to modify relationships in order to influence enough to change policies.",
    ),
    "Janick": (
        "For Mr. Young Kim, what sort of new funding structures do you think of?",
        "young-kim",
        "I think of crowd-funding, which means collecting funds for individuals.",
    ),
}


def ask_the_audience(seed: Seed) -> None:
    for name, (text, by, answer) in QUESTIONS.items():
        question, _ = qa.add(
            seed.db,
            seed.workshop,
            seed.rapporteur.id,
            text,
            name=name,
            language="en",
            speaker=None,
            now=NOW,
        )
        qa.answer(seed.db, question, Answered(by_person=by, by_name=None, text=answer), NOW)
    seed.db.commit()


def texts() -> list[str]:
    return (
        [t for _p, t in SUMMARIES.values()]
        + list(ANSWERS.values())
        + list(CONCLUSIONS.values())
        + [a for _t, _b, a in QUESTIONS.values()]
    )


@pytest.fixture
def filled(seed: Seed) -> Seed:
    take_seed_notes(seed)
    ask_the_audience(seed)
    response = seed.post(
        f"/w/{seed.workshop.slug}/record/attendance",
        {
            "cid": "11111111-1111-4111-8111-111111111111",
            "online_count": 71,
            "label": "Zoom participation",
        },
    )
    assert response.status_code == 200
    return seed


def download(seed: Seed, fmt: str, language: str = "en") -> bytes:
    response = seed.client.get(f"/w/{seed.workshop.slug}/record.{fmt}?language={language}")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data()


def test_markdown_and_html_hold_every_section_of_seed_001(filled: Seed) -> None:
    for fmt in ("md", "html"):
        body = download(filled, fmt).decode()
        for text in texts():
            assert text.replace("'", "&#39;") in body or text in body, (fmt, text)
        for heading in (
            "Summary of presentations",
            "Answers to the guiding questions",
            "Questions and answers from the audience",
            "Conclusions and closing remarks",
        ):
            assert heading in body
        assert "71" in body and "Revy-Real" in body and "Janick" in body
        assert "Malick Diop" in body and "Young Kim" in body and "Marieme" in body


def test_docx_has_real_headings_and_tables(filled: Seed) -> None:
    doc = Document(io.BytesIO(download(filled, "docx")))
    headings = [
        p.text
        for p in doc.paragraphs
        if p.style is not None and p.style.name.startswith(("Heading", "Title"))
    ]
    assert "Summary of presentations" in headings
    assert "Conclusions and closing remarks" in headings
    assert {"Madani Koumaré", "Khady Samba", "Marieme", "Amanda Flety"} <= set(headings)
    assert len(doc.tables) >= 4
    speakers = [row.cells[0].text for t in doc.tables for row in t.rows]
    assert {"Emmanuelle Rousset", "Ayako Koike", "Malick Diop", "Young Kim"} <= set(speakers)
    body = "\n".join(p.text for p in doc.paragraphs)
    for text in texts():
        assert text in body


def test_pdf_text_holds_the_record(filled: Seed) -> None:
    pdf = PdfReader(io.BytesIO(download(filled, "pdf")))
    text = " ".join((page.extract_text() or "") for page in pdf.pages)
    flat = " ".join(text.split())
    for phrase in (
        "Summary of presentations",
        "Revy-Real",
        "Janick",
        "Khady Samba",
        "crowd-funding",
        "Questions and answers from the audience",
        "Conclusions and closing remarks",
        "Online participation (entered by hand)",
    ):
        assert phrase in flat, phrase
    squeezed = "".join(flat.split())  # line breaks may fall anywhere in a paragraph
    for text in texts():
        assert "".join(text.split()) in squeezed, text


def test_json_is_valid_against_its_schema(filled: Seed) -> None:
    data = json.loads(download(filled, "json"))
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    assert [s["about"] for s in data["summaries"]] == [
        "Emmanuelle Rousset",
        "Ayako Koike",
        "Malick Diop",
        "Young Kim",
    ]
    assert [a["about"] for a in data["guiding_questions"][0]["answers"]] == [
        "Ayako Koike",
        "Malick Diop",
        "Young Kim",
    ]
    assert {c["about"] for c in data["conclusions"]} == {
        "Marieme",
        "Amanda Flety",
        "Madani Koumaré",
        "Khady Samba",
    }
    qa_rows = [(q["asker"], q["answered_by"]) for q in data["audience_qa"]]
    assert qa_rows == [("Revy-Real", "Malick Diop"), ("Janick", "Young Kim")]
    assert data["participants"]["online_count"] == 71
    assert data["participants"]["peak_connected"] is None


def test_csv_parses_back(filled: Seed) -> None:
    rows = list(csv.DictReader(io.StringIO(download(filled, "csv").decode("utf-8-sig"))))
    kinds = {r["kind"] for r in rows}
    assert {
        "audience_question",
        "qa_answer",
        "note_summary",
        "note_answer",
        "note_conclusion",
    } <= kinds
    assert {r["text"] for r in rows} >= set(texts())


def test_ics_has_every_item_with_its_zone(filled: Seed) -> None:
    from icalendar import Calendar

    calendar = Calendar.from_ical(download(filled, "ics"))
    events = [e for e in calendar.walk("VEVENT")]
    assert len(events) == len(filled.workshop.program)
    first = events[0].decoded("dtstart")
    assert str(first.tzinfo) == "Asia/Seoul" and first.hour == 21


def test_every_format_downloads(filled: Seed) -> None:
    for fmt in FORMATS:
        assert download(filled, fmt)
