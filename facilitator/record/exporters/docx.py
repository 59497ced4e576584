"""DOCX: real headings, tables and images, so the rapporteur keeps editing it in Word."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentType
from docx.oxml.ns import qn
from docx.shared import Cm

from facilitator.record.charts import RADAR, question_charts
from facilitator.record.data import Entry, Record
from facilitator.record.exporters.text import clock, group_title, mean, territory_table, who
from facilitator.record.labels import headings


def _styles(doc: DocumentType, language: str) -> None:
    """Hangul and other East Asian text in a font that has it (Word's and LibreOffice's)."""
    fonts = doc.styles["Normal"].element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), "Noto Sans CJK KR" if language == "ko" else "Noto Sans CJK SC")
    fonts.set(qn("w:hint"), "eastAsia" if language == "ko" else "default")


def _cache_style_ids(doc: DocumentType) -> None:
    """python-docx looks a style up by name (an XPath over every style) for each heading,
    paragraph and table: 5,000 contributions made that most of the export. Each name is
    looked up once per document here."""
    part = doc.part
    lookup = part.get_style_id
    found: dict[tuple[object, object], str | None] = {}

    def get_style_id(style_or_name: object, style_type: object) -> str | None:
        key = (style_or_name if isinstance(style_or_name, str) else id(style_or_name), style_type)
        if key not in found:
            found[key] = lookup(style_or_name, style_type)  # type: ignore[no-untyped-call]
        return found[key]

    setattr(part, "get_style_id", get_style_id)  # noqa: B010 (this document only)


def _table(doc: DocumentType, rows: Sequence[tuple[str, ...]], header: bool = False) -> None:
    if not rows:
        return
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
            if header and r == 0:
                for run in table.cell(r, c).paragraphs[0].runs:
                    run.bold = True


def _entries(doc: DocumentType, entries: list[Entry], none: str) -> None:
    if not entries:
        doc.add_paragraph(none)
    for e in entries:
        if e.about:
            doc.add_heading(e.about, level=3)
        doc.add_paragraph(e.text)


def export(record: Record) -> bytes:
    h = headings(record.language)
    s, p = record.session, record.participants
    doc = Document()
    _cache_style_ids(doc)
    _styles(doc, record.language)
    doc.core_properties.title = f"{h['record']}: {s.title}"
    doc.core_properties.language = record.language
    doc.add_heading(f"{h['record']}: {s.title}", level=0)
    doc.add_paragraph(
        h["draft"] if record.status == "draft" else f"{h['version']} {record.version}"
    )
    doc.add_heading(h["session"], level=1)
    facts = [
        (h["event"], s.event or ""),
        (h["reference"], s.reference or ""),
        (h["kind"], s.kind),
        (h["thematic_line"], s.thematic_line or ""),
        (h["audience"], s.audience or ""),
        (h["languages"], ", ".join(s.languages)),
        (h["interpretation"], ", ".join(s.interpretation)),
        *(
            (
                h["date"],
                day.date
                + ", "
                + " / ".join(
                    f"{clock(t.start, t.zone)}–{clock(t.end, t.zone)} {t.zone}" for t in day.times
                ),
            )
            for day in s.days
        ),
        (h["duration"], str(s.duration_minutes)),
        (h["venue"], h["online"] if s.online else (s.venue or "")),
    ]
    _table(doc, [f for f in facts if f[1]])
    doc.add_heading(h["participants"], level=1)
    counts = [
        (h["joined"], str(p.joined)),
        (h["peak"], str(p.peak_connected) if p.peak_connected is not None else h["not_measured"]),
    ]
    if p.online_count is not None:
        label = f" ({p.online_label})" if p.online_label else ""
        counts.append((h["online_count"], f"{p.online_count}{label}"))
    for key in ("by_language", "by_country", "by_organisation", "by_stakeholder_type"):
        found: dict[str, int] = getattr(p, key)
        if found:
            counts.append((h[key], ", ".join(f"{k or '—'}: {v}" for k, v in found.items())))
    _table(doc, counts)
    doc.add_heading(h["moderator"], level=1)
    for m in record.moderators:
        doc.add_paragraph(", ".join(x for x in (m.name, m.title, m.organisation, m.country) if x))
    doc.add_heading(h["speakers"], level=1)
    _table(
        doc,
        [(h["name"], h["role"], h["organisation"], h["country"])]
        + [(x.name, x.title or "", x.organisation or "", x.country or "") for x in record.speakers],
        header=True,
    )
    if s.background:
        doc.add_heading(h["background"], level=1)
        for paragraph in s.background.split("\n\n"):
            doc.add_paragraph(paragraph.strip())
    if record.objectives:
        doc.add_heading(h["objectives"], level=1)
        for o in record.objectives:
            doc.add_paragraph(o, style="List Bullet")
    if record.main_question:
        doc.add_heading(h["main_question"], level=1)
        doc.add_paragraph(record.main_question)
    doc.add_heading(h["program"], level=1)
    z = s.timezone
    _table(
        doc,
        [(h["item"], h["planned"], h["actual"])]
        + [
            (
                row.title,
                f"{clock(row.planned_start, z)}–{clock(row.planned_end, z)}",
                h["skipped"]
                if row.skipped
                else (
                    f"{clock(row.actual_start, z)}–{clock(row.actual_end, z)}"
                    if row.actual_start
                    else ""
                ),
            )
            for row in record.program
        ],
        header=True,
    )
    if record.images:
        doc.add_heading(h["images"], level=1)
        for img in record.images:
            doc.add_picture(io.BytesIO(base64.b64decode(img.data_base64)), width=Cm(15))
            if img.caption:
                doc.add_paragraph(img.caption)
    if record.item_notes:
        doc.add_heading(h["item_notes"], level=1)
        _entries(doc, record.item_notes, h["none"])
    doc.add_heading(h["summaries"], level=1)
    _entries(doc, record.summaries, h["none"])
    doc.add_heading(h["guiding_questions"], level=1)
    charts = question_charts(record)
    for q in record.guiding_questions:
        doc.add_heading(q.text, level=2)
        _entries(doc, q.answers, h["none"])
        if q.rows:
            doc.add_paragraph(f"{h['results']} ({q.responses})")
            if q.key in charts:
                doc.add_picture(io.BytesIO(charts[q.key]), width=Cm(15))
            rows = [(h["value"], h["count"])] + [(r.label, str(r.count)) for r in q.rows]
            _table(doc, rows, header=True)
    doc.add_heading(h["audience_qa"], level=1)
    if not record.audience_qa:
        doc.add_paragraph(h["none"])
    for i, qa in enumerate(record.audience_qa, 1):
        doc.add_heading(f"{h['question']} {i}: {who(qa.asker, h['anonymous'])}", level=3)
        doc.add_paragraph(qa.question)
        doc.add_heading(f"{h['answer']}: {qa.answered_by or ''}", level=4)
        doc.add_paragraph(qa.answer or "")
    if record.breakouts or record.radar:
        doc.add_heading(h["breakouts"], level=1)
        for g in record.breakouts:
            doc.add_heading(group_title(g, h), level=2)
            facts = [(h["members"], str(g.members))] + [
                (f"{h['assessment']} ({a.block})", f"{mean(a.mean)} ({a.count})")
                for a in g.assessment
            ]
            _table(doc, facts)
            if g.synthesis:
                by = f" ({g.synthesis_by})" if g.synthesis_by else ""
                doc.add_heading(h["synthesis"] + by, level=3)
                doc.add_paragraph(g.synthesis)
            if g.top_cards:
                doc.add_heading(h["top_cards"], level=3)
                for card in g.top_cards:
                    line = f"{card.text} ({h['votes']}: {card.votes})"
                    doc.add_paragraph(line, style="List Bullet")
        if record.radar:
            doc.add_heading(h["radar"], level=2)
            if RADAR in charts:
                doc.add_picture(io.BytesIO(charts[RADAR]), width=Cm(12))
            radar = [(h["blocks"], h["mean"], h["count"])]
            radar += [(r.block, mean(r.mean), str(r.count)) for r in record.radar]
            _table(doc, radar, header=True)
        by_territory = territory_table(record, h)
        if by_territory:
            doc.add_heading(h["radar_territories"], level=2)
            _table(doc, [tuple(row) for row in by_territory], header=True)
    if record.case_studies:
        doc.add_heading(h["case_studies"], level=1)
        for c in record.case_studies:
            doc.add_heading(c.title, level=2)
            if c.description:
                doc.add_paragraph(c.description)
    doc.add_heading(h["conclusions"], level=1)
    _entries(doc, record.conclusions, h["none"])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
