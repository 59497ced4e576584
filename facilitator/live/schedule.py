"""Planned times of the program, and how the live run moves them.

Drift is how far the current item will end after (positive) or before
(negative) its planned end, taking the timer as the truth; the remaining items
of the day are shown shifted by that drift, gaps between them kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
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


@dataclass(frozen=True)
class Projection:
    drift_s: int
    day_end: datetime | None  # projected end of the current item's day
    starts: dict[str, datetime]  # re-timed start of each remaining item, by item key


def project(
    items: list[ProgramItem],
    current: ProgramItem | None,
    timer: TimerState,
    zone: str,
    now: datetime,
    shift_days: int = 0,
) -> Projection:
    """`shift_days`: LiveState.schedule_shift_days, the planned dates' distance to the run's."""
    if current is None:
        return Projection(0, None, {})
    moved = timedelta(days=shift_days)
    expected_end = now + timedelta(seconds=max(0.0, timer.remaining_at(now)))
    drift = round((expected_end - (planned_end(current, zone) + moved)).total_seconds())
    shift = timedelta(seconds=drift) + moved
    same_day = [item for item in items if item.day_id == current.day_id]
    later = [item for item in same_day if item.position > current.position]
    starts = {item.key: planned_start(item, zone) + shift for item in later}
    last = later[-1] if later else current
    day_end = planned_end(last, zone) + shift if later else expected_end
    return Projection(drift, day_end, starts)
