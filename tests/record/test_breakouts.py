"""The breakout groups' outputs in the record, in every format: blocks, members, the
synthesis, the top cards, the self-assessment and the room's radar; every card in the CSV."""

from __future__ import annotations

import csv
import io
import json

import docx
from pypdf import PdfReader
from sqlalchemy.orm import Session

from facilitator.agenda.models import Workshop
from facilitator.breakouts import board_cards, board_services
from facilitator.database import utcnow
from facilitator.record import exporting
from facilitator.record.labels import headings
from facilitator.record.review import apply_edits
from tests.breakouts.boards import build


def test_each_group_output_is_in_every_format(service_session: Session) -> None:
    b = build(service_session)
    cards = [
        board_cards.add_card(b.db, b.phone(b.ana), b.a, "legal", 0, text, utcnow())[0]
        for text in ("Laws ignore cooperatives", "No public registry")
    ]
    b.db.commit()
    b.phase("vote")
    for who in (b.ana, b.ben):
        board_services.vote(b.db, b.phone(who), cards[0].id, True, utcnow())
    board_services.assess(b.db, b.phone(b.ana), "legal", 4, utcnow())
    board_services.assess(b.db, b.phone(b.ben), "legal", 2, utcnow())
    board_services.write_synthesis(
        b.db, b.phone(b.ana), b.a, "A law for the SSE is needed.", 0, utcnow()
    )
    b.db.commit()
    workshop = b.db.get(Workshop, b.workshop_id)
    assert workshop is not None

    record = exporting.draft(b.db, workshop, "fr", utcnow())
    a, group_b = record.breakouts
    assert (a.name, a.blocks, a.members, a.synthesis) == (
        "A",
        ["Cadres juridiques", "Funding"],
        3,
        "A law for the SSE is needed.",
    )
    assert [(c.text, c.votes) for c in a.top_cards] == [("Laws ignore cooperatives", 2)]
    assert [(x.block, x.mean, x.count) for x in a.assessment] == [("Cadres juridiques", 3.0, 2)]
    assert [(x.min, x.max) for x in a.assessment] == [(1, 5)]  # the block's scale, for its bars
    assert group_b.members == 1 and group_b.synthesis is None
    assert [(r.block, r.mean, r.count) for r in record.radar] == [("Cadres juridiques", 3.0, 2)]
    # ... and per territory (Ana is from Brazil, Ben from France), named in French.
    assert [
        (t.code, t.territory, [(r.block, r.mean, r.count) for r in t.rows])
        for t in record.radar_territories
    ] == [
        ("BR", "Brésil", [("Cadres juridiques", 4.0, 1)]),
        ("FR", "France", [("Cadres juridiques", 2.0, 1)]),
    ]

    markdown = exporting.export(record, "md").decode()
    assert f"## {headings('fr')['breakouts']}" in markdown
    h = headings("fr")
    assert f"| {h['blocks']} | {h['whole_room']} | Brésil | France |" in markdown
    assert "| Cadres juridiques | 3.0 (2) | 4.0 (1) | 2.0 (1) |" in markdown
    assert "Brésil" in exporting.export(record, "html").decode()
    assert headings("fr")["breakouts"] != "Breakout groups"
    for text in ("A law for the SSE is needed.", "Laws ignore cooperatives", "Cadres juridiques"):
        assert text in markdown
        assert text in exporting.export(record, "html").decode()
    document = docx.Document(io.BytesIO(exporting.export(record, "docx")))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "A law for the SSE is needed." in body and "Laws ignore cooperatives" in body
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert {"3.0 (2)", "Brésil", "4.0 (1)"} <= cells
    pdf = PdfReader(io.BytesIO(exporting.export(record, "pdf")))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "A law for the SSE is needed." in text
    data = json.loads(exporting.export(record, "json"))
    assert data["breakouts"][0]["top_cards"][0]["text"] == "Laws ignore cooperatives"
    assert data["radar"][0]["mean"] == 3.0
    assert [t["code"] for t in data["radar_territories"]] == ["BR", "FR"]
    rows = list(csv.DictReader(io.StringIO(exporting.export(record, "csv").decode("utf-8-sig"))))
    card_rows = [(r["text"], r["group"]) for r in rows if r["kind"] == "card"]
    assert card_rows == [("Laws ignore cooperatives", "A"), ("No public registry", "A")]

    # The review reaches the groups: a synthesis edited, a group hidden.
    reviewed = exporting.from_data(exporting.as_dict(record), "en")
    apply_edits(reviewed, {"texts": {a.id: "Edited synthesis."}, "hidden": [group_b.id]})
    assert [g.synthesis for g in reviewed.breakouts] == ["Edited synthesis."]


def test_an_unnamed_group_is_called_as_on_every_screen_in_the_records_language(
    service_session: Session,
) -> None:
    """The console calls a group it was not given a name "Group 2": so does the record, in
    its own language, in the headings of every format and the CSV's cards (it said ": …")."""
    b = build(service_session)
    b.group(b.b).name = ""
    board_cards.add_card(b.db, b.phone(b.dan), b.b, "legal", 0, "Registry first", utcnow())
    b.db.commit()
    workshop = b.db.get(Workshop, b.workshop_id)
    assert workshop is not None

    names = {
        language: [g.name for g in exporting.draft(b.db, workshop, language, utcnow()).breakouts]
        for language in ("en", "fr", "ko")
    }
    assert names == {"en": ["A", "Group 2"], "fr": ["A", "Groupe 2"], "ko": ["A", "2그룹"]}
    record = exporting.draft(b.db, workshop, "fr", utcnow())
    markdown = exporting.export(record, "md").decode()
    assert "· Groupe 2: Cadres juridiques" in markdown
    assert "· :" not in markdown
    rows = list(csv.DictReader(io.StringIO(exporting.export(record, "csv").decode("utf-8-sig"))))
    assert [r["group"] for r in rows if r["text"] == "Registry first"] == ["Groupe 2"]
