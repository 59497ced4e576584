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


def test_the_radar_draws_each_territory_beside_the_room_and_changes_with_them() -> None:
    """A territory that left a block unassessed is a gap in its line, not a zero nor an
    error; the drawing changes when the territories do (so it is not kept from before)."""
    from types import SimpleNamespace

    from facilitator.record.charts import radar_png
    from facilitator.record.data import AssessmentInfo, TerritoryRadar

    blocks = ["Legal frameworks", "Planning", "Research", "Markets"]
    room = [
        AssessmentInfo(b, m, 4, 1, 5) for b, m in zip(blocks, [3.0, 2.5, 4.0, 2.0], strict=True)
    ]
    territories = [
        TerritoryRadar("BR", "Brésil", [AssessmentInfo("Legal frameworks", 4.0, 1, 1, 5)]),
        TerritoryRadar("KR", "Corée du Sud", [AssessmentInfo(b, 2.0, 1, 1, 5) for b in blocks]),
    ]
    alone = radar_png(SimpleNamespace(radar=room, radar_territories=[], language="fr"))  # type: ignore[arg-type]
    both = radar_png(SimpleNamespace(radar=room, radar_territories=territories, language="fr"))  # type: ignore[arg-type]
    assert alone and both and alone.startswith(b"\x89PNG") and both.startswith(b"\x89PNG")
    assert alone != both
