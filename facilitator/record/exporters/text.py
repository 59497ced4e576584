"""What several exporters share: times as people read them, names or 'anonymous'."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from facilitator.record.data import BreakoutGroupInfo, Record


def clock(iso: str | None, zone: str) -> str:
    if not iso:
        return ""
    return datetime.fromisoformat(iso).astimezone(ZoneInfo(zone)).strftime("%H:%M")


def _hm(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%H:%M")


def day_line(date: str, times: list[tuple[str, str, str]]) -> str:
    """`2020-10-22, 21:00–22:30 Asia/Seoul / 12:00–13:30 UTC`."""
    spans = " / ".join(f"{_hm(s)}–{_hm(e)} {z}" for z, s, e in times)
    return f"{date}, {spans}"


def who(name: str | None, anonymous: str) -> str:
    return name if name else anonymous


def mean(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def group_title(group: BreakoutGroupInfo, h: dict[str, str]) -> str:
    """`Round 1 · A: Legal frameworks, Funding`."""
    blocks = ", ".join(group.blocks)
    return f"{h['round']} {group.round} · {group.name}" + (f": {blocks}" if blocks else "")


def breakout_lines(record: Record, h: dict[str, str]) -> list[str]:
    """The breakout groups in Markdown: each group's output, then the room's radar."""
    lines: list[str] = []
    for group in record.breakouts:
        lines += [f"### {group_title(group, h)}", "", f"- **{h['members']}:** {group.members}"]
        for a in group.assessment:
            lines.append(f"- **{h['assessment']} ({a.block}):** {mean(a.mean)} ({a.count})")
        lines.append("")
        if group.synthesis:
            by = f" ({group.synthesis_by})" if group.synthesis_by else ""
            lines += [f"**{h['synthesis']}**{by}", "", group.synthesis, ""]
        if group.top_cards:
            lines += [f"**{h['top_cards']}**", ""]
            lines += [f"- {c.text} ({h['votes']}: {c.votes})" for c in group.top_cards] + [""]
    if record.radar:
        lines += [f"### {h['radar']}", "", f"| {h['blocks']} | {h['mean']} | {h['count']} |"]
        lines += ["|---|---|---|"]
        lines += [f"| {r.block} | {mean(r.mean)} | {r.count} |" for r in record.radar] + [""]
    table = territory_table(record, h)
    if table:
        lines += [f"### {h['radar_territories']}", ""]
        lines += ["| " + " | ".join(row) + " |" for row in table[:1]]
        lines += ["|" + "---|" * len(table[0])]
        lines += ["| " + " | ".join(row) + " |" for row in table[1:]] + [""]
    return lines


def territory_table(record: Record, h: dict[str, str]) -> list[list[str]]:
    """The blocks' means by territory beside the whole room's, "mean (count)" a cell; empty
    when no participant gave a territory. The first row is the header."""
    if not record.radar_territories:
        return []
    header = [h["blocks"], h["whole_room"], *(t.territory for t in record.radar_territories)]
    cell = {
        (t.code, r.block): f"{mean(r.mean)} ({r.count})"
        for t in record.radar_territories
        for r in t.rows
    }
    rows = [
        [r.block, f"{mean(r.mean)} ({r.count})"]
        + [cell.get((t.code, r.block), "–") for t in record.radar_territories]
        for r in record.radar
    ]
    return [header, *rows]
