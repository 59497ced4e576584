"""Planned times of the program, and the timer's arithmetic.

How the live run moves the rest of the day (drift, re-timed starts, the projected
end) is the console's to compute: static/shared/schedule.js, tested in tests/js/.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from facilitator.agenda.models import ProgramItem


@dataclass(frozen=True)
class TimerState:
    duration_s: int
    elapsed_s: float
    running_since: datetime | None

    def elapsed_at(self, now: datetime) -> float:
        if self.running_since is None:
            return self.elapsed_s
        return self.elapsed_s + max(0.0, (now - self.running_since).total_seconds())

    def remaining_at(self, now: datetime) -> float:
        return self.duration_s - self.elapsed_at(now)


def planned_start(item: ProgramItem, zone: str) -> datetime:
    return datetime.combine(item.day.date, item.start, tzinfo=ZoneInfo(zone))


def planned_end(item: ProgramItem, zone: str) -> datetime:
    return datetime.combine(item.day.date, item.end, tzinfo=ZoneInfo(zone))


def planned_duration_s(item: ProgramItem) -> int:
    start = item.start.hour * 3600 + item.start.minute * 60
    end = item.end.hour * 3600 + item.end.minute * 60
    return end - start
