"""The days of a workshop and the timed items of its program.

An item's `duration` is turned into `end` on validation, so a loaded agenda
always has `end` and never `duration`; the canonical dump writes `end`.
"""

from __future__ import annotations

from datetime import time
from typing import Self

from pydantic import ConfigDict, model_validator

from facilitator.agenda.errors import N_
from facilitator.agenda.schema.base import Spec
from facilitator.agenda.schema.findings import RuleError
from facilitator.agenda.schema.kinds import ItemKind
from facilitator.agenda.schema.text import Text
from facilitator.agenda.schema.values import (
    Clock,
    DayNumber,
    Duration,
    Identifier,
    IsoDate,
    duration_minutes,
    format_clock,
)


class DaySpec(Spec):
    """One day of the workshop, in the workshop's time zone."""

    model_config = ConfigDict(title="Day")

    date: IsoDate
    """ISO date, e.g. 2021-10-08."""
    start: Clock
    """Local time the day's program starts, "HH:MM"."""
    end: Clock
    """Local time the day's program ends, after `start`."""
    title: Text | None = None
    """Optional title of the day."""

    @model_validator(mode="after")
    def _ends_after_start(self) -> Self:
        if self.end <= self.start:
            raise RuleError.single(
                N_("the day ends at %(end)s, which is not after its start at %(start)s"),
                path=("end",),
                end=format_clock(self.end),
                start=format_clock(self.start),
            )
        return self


class ProgramItemSpec(Spec):
    """One timed item of the program."""

    model_config = ConfigDict(title="ProgramItem")

    id: Identifier
    """Unique among the program items."""
    day: DayNumber = 1
    """1-based index into `days`."""
    start: Clock
    """Local time, "HH:MM"."""
    end: Clock | None = None
    """Local time, "HH:MM"; give `end` or `duration`."""
    duration: Duration | None = None
    """Like 10m, 1h or 1h30m; turned into `end` when loaded."""
    title: Text
    kind: ItemKind
    people: list[Identifier] = []
    """Ids from `people`."""
    questions: list[Identifier] = []
    """Ids from `guiding_questions` taken up in this item."""
    blocks: list[Identifier] = []
    """Ids from `guideline_blocks` (breakout items)."""
    notes: Text | None = None
    """Markdown; for the moderator only."""

    @model_validator(mode="after")
    def _end_from_duration(self) -> Self:
        if self.end is not None and self.duration is not None:
            raise RuleError.single(N_("give either end or duration, not both"), path=("duration",))
        if self.end is None and self.duration is None:
            raise RuleError.single(N_("give an end time or a duration"), path=("end",))
        if self.duration is not None:
            self.end = self._end_after(self.duration)
            self.duration = None  # the canonical form keeps `end` only
        assert self.end is not None
        if self.end <= self.start:
            raise RuleError.single(
                N_("ends at %(end)s, which is not after its start at %(start)s"),
                path=("end",),
                end=format_clock(self.end),
                start=format_clock(self.start),
            )
        return self

    def _end_after(self, duration: str) -> time:
        minutes = self.start.hour * 60 + self.start.minute + duration_minutes(duration)
        if minutes >= 24 * 60:
            raise RuleError.single(
                N_("starting at %(start)s, a duration of %(duration)s runs past midnight"),
                path=("duration",),
                start=format_clock(self.start),
                duration=duration,
            )
        return time(minutes // 60, minutes % 60)

    @property
    def end_time(self) -> time:
        """`end`, which validation always sets."""
        assert self.end is not None
        return self.end
