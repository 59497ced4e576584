"""Markdown: the record as a rapporteur would type it, headings in the export's language."""

from __future__ import annotations

from facilitator.record.data import Entry, PersonInfo, Record
from facilitator.record.exporters.text import breakout_lines, clock, day_line, who
from facilitator.record.labels import headings


def _esc(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _person(p: PersonInfo) -> str:
    rest = ", ".join(x for x in (p.title, p.organisation, p.country) if x)
    return f"{p.name}, {rest}" if rest else p.name


def _entries(lines: list[str], entries: list[Entry], none: str) -> None:
    if not entries:
        lines += [none, ""]
    for e in entries:
        if e.about:
            lines += [f"### {e.about}", ""]
        lines += [e.text, ""]


def _counts(lines: list[str], title: str, counts: dict[str, int], h: dict[str, str]) -> None:
    if counts:
        lines += [f"**{title}:** " + ", ".join(f"{k or '—'}: {v}" for k, v in counts.items()), ""]


def export(record: Record) -> bytes:
    h = headings(record.language)
    s = record.session
    lines = [f"# {h['record']}: {s.title}", ""]
    if record.status == "draft":
        lines += [f"*{h['draft']}*", ""]
    elif record.version:
        lines += [f"*{h['version']} {record.version}*", ""]
    lines += [f"## {h['session']}", ""]
    facts = [
        (h["event"], s.event),
        (h["reference"], s.reference),
        (h["kind"], s.kind),
        (h["thematic_line"], s.thematic_line),
        (h["audience"], s.audience),
        (h["languages"], ", ".join(s.languages)),
        (h["interpretation"], ", ".join(s.interpretation)),
        (h["duration"], str(s.duration_minutes)),
        (h["venue"], h["online"] if s.online else s.venue),
    ]
    for day in s.days:
        facts.append((h["date"], day_line(day.date, [(t.zone, t.start, t.end) for t in day.times])))
    lines += [f"- **{k}:** {v}" for k, v in facts if v] + [""]
    p = record.participants
    lines += [f"## {h['participants']}", "", f"- **{h['joined']}:** {p.joined}"]
    peak = h["not_measured"] if p.peak_connected is None else str(p.peak_connected)
    lines.append(f"- **{h['peak']}:** {peak}")
    if p.online_count is not None:
        label = f" ({p.online_label})" if p.online_label else ""
        lines.append(f"- **{h['online_count']}:** {p.online_count}{label}")
    lines.append("")
    _counts(lines, h["by_language"], p.by_language, h)
    _counts(lines, h["by_country"], p.by_country, h)
    _counts(lines, h["by_organisation"], p.by_organisation, h)
    _counts(lines, h["by_stakeholder_type"], p.by_stakeholder_type, h)
    lines += [f"## {h['moderator']}", ""] + [f"- {_person(m)}" for m in record.moderators] + [""]
    lines += [f"## {h['speakers']}", ""]
    lines += [f"{i}. {_person(sp)}" for i, sp in enumerate(record.speakers, 1)] + [""]
    if s.background:
        lines += [f"## {h['background']}", "", s.background, ""]
    if record.objectives:
        lines += [f"## {h['objectives']}", ""] + [f"- {o}" for o in record.objectives] + [""]
    if record.main_question:
        lines += [f"## {h['main_question']}", "", record.main_question, ""]
    lines += [
        f"## {h['program']}",
        "",
        f"| {h['item']} | {h['planned']} | {h['actual']} |",
        "|---|---|---|",
    ]
    for row in record.program:
        zone = s.timezone
        planned = f"{clock(row.planned_start, zone)}–{clock(row.planned_end, zone)}"
        actual = (
            h["skipped"]
            if row.skipped
            else (
                f"{clock(row.actual_start, zone)}–{clock(row.actual_end, zone)}"
                if row.actual_start
                else ""
            )
        )
        lines.append(f"| {_esc(row.title)} | {planned} | {actual} |")
    lines.append("")
    if record.images:
        lines += [f"## {h['images']}", ""]
        lines += [f"- {img.caption or img.id} ({img.width}×{img.height})" for img in record.images]
        lines.append("")
    if record.item_notes:
        lines += [f"## {h['item_notes']}", ""]
        _entries(lines, record.item_notes, h["none"])
    lines += [f"## {h['summaries']}", ""]
    _entries(lines, record.summaries, h["none"])
    lines += [f"## {h['guiding_questions']}", ""]
    for q in record.guiding_questions:
        lines += [f"**{q.text}**", ""]
        _entries(lines, q.answers, h["none"])
        if q.rows:
            lines += [f"*{h['results']} ({q.responses})*", "", f"| {h['value']} | {h['count']} |"]
            lines += ["|---|---|"] + [f"| {_esc(r.label)} | {r.count} |" for r in q.rows] + [""]
    lines += [f"## {h['audience_qa']}", ""]
    if not record.audience_qa:
        lines += [h["none"], ""]
    for i, qa in enumerate(record.audience_qa, 1):
        lines += [f"### {h['question']} {i}: {who(qa.asker, h['anonymous'])}", "", qa.question, ""]
        lines += [f"**{h['answer']}: {qa.answered_by or ''}**", "", qa.answer or "", ""]
    if record.breakouts or record.radar:
        lines += [f"## {h['breakouts']}", ""]
        lines += breakout_lines(record, h)
    if record.case_studies:
        lines += [f"## {h['case_studies']}", ""]
        for c in record.case_studies:
            lines += [f"### {c.title}", ""] + ([c.description, ""] if c.description else [])
    lines += [f"## {h['conclusions']}", ""]
    _entries(lines, record.conclusions, h["none"])
    return "\n".join(lines).encode("utf-8")
