"""The workshop page's program, day by day: items and the free time between them.

Times are shown in the workshop's zone and every further zone it asks for;
each slot also carries its UTC instants, for the viewer's own zone (local-times.js).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time

from flask_babel import format_date

from facilitator.agenda.models import Day, ProgramItem, Workshop
from facilitator.i18n import format_zoned_time, zoned


@dataclass(frozen=True)
class Slot:
    """A stretch of a day's program: an item, or free time when `item` is None."""

    start: datetime  # aware, in the workshop's zone
    end: datetime
    item: ProgramItem | None
    start_text: str  # "18:00 KST / 09:00 UTC"
    end_text: str

    @property
    def start_utc(self) -> str:
        return _utc_iso(self.start)

    @property
    def end_utc(self) -> str:
        return _utc_iso(self.end)


@dataclass(frozen=True)
class DayView:
    day: Day
    date_text: str
    span: Slot
    slots: list[Slot]


def _utc_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def shown_zones(workshop: Workshop) -> list[str]:
    """The workshop's zone first, then every further zone to show, once each."""
    zones = [workshop.timezone]
    for zone in workshop.show_timezones or []:
        if zone not in zones:
            zones.append(zone)
    return zones


def _slot(day: Day, start: time, end: time, zones: Sequence[str], item: ProgramItem | None) -> Slot:
    start_at = zoned(day.date, start, zones[0])
    end_at = zoned(day.date, end, zones[0])
    return Slot(
        start=start_at,
        end=end_at,
        item=item,
        start_text=" / ".join(format_zoned_time(start_at, zone) for zone in zones),
        end_text=" / ".join(format_zoned_time(end_at, zone) for zone in zones),
    )


def _day_slots(day: Day, zones: Sequence[str]) -> Iterator[Slot]:
    cursor = day.start
    for item in sorted(day.items, key=lambda item: (item.start, item.position)):
        if item.start > cursor:
            yield _slot(day, cursor, item.start, zones, None)
        yield _slot(day, item.start, item.end, zones, item)
        cursor = max(cursor, item.end)
    if day.end > cursor:
        yield _slot(day, cursor, day.end, zones, None)


def day_views(workshop: Workshop) -> list[DayView]:
    zones = shown_zones(workshop)
    return [
        DayView(
            day=day,
            date_text=str(format_date(day.date, format="full")),
            span=_slot(day, day.start, day.end, zones, None),
            slots=list(_day_slots(day, zones)),
        )
        for day in workshop.days
    ]
