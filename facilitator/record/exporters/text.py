"""What several exporters share: times as people read them, names or 'anonymous'."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


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
