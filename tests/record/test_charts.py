"""Each guiding question's chart as an image in the HTML, PDF and DOCX exports."""

from __future__ import annotations

import io
import re

import docx
from sqlalchemy.orm import Session

from facilitator.database import utcnow
from facilitator.questions import answering
from facilitator.record import exporting
from tests.questions.support import opened, room


def test_each_question_with_results_has_its_chart_in_the_exports(
    service_session: Session,
) -> None:
    r = room(service_session)
    answers = {
        "pick": ["Red", "Green", "Red"],
        "words": [["solidarity"], ["trust", "care"], ["solidarity"]],
        "rate": [4, 5, 3],
        "feel": ["Fine", "Bien", "좋아요"],  # open: quoted, no chart
    }
    for key, values in answers.items():
        question = opened(r, key)
        for who, value in zip(r.people, values, strict=True):
            if key == "pick":
                value = ["Red", "Green", "Blue"].index(str(value))
            answering.submit(service_session, who, question, value, utcnow())
        service_session.commit()
    record = exporting.draft(service_session, r.workshop, "fr", utcnow())
    drawn = {q.key for q in record.guiding_questions if q.chart and q.responses}
    assert drawn == {"pick", "words", "rate", "feel"}

    document = docx.Document(io.BytesIO(exporting.export(record, "docx")))
    pictures = [s for s in document.inline_shapes]
    assert len(pictures) == 3  # pick, words, rate: one each; the open question none
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 2")]
    for text in ("Which one?", "In a word?", "How useful?"):
        assert text in headings

    html = exporting.export(record, "html").decode()
    assert len(re.findall(r'<img src="data:image/png;base64,', html)) == 3
    assert exporting.export(record, "pdf").count(b"/Subtype /Image") >= 3
