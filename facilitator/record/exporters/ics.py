"""iCalendar of the program: every item with its zone, every day of the workshop."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from facilitator.record.data import Record


def export(record: Record) -> bytes:
    zone = ZoneInfo(record.session.timezone)
    calendar = Calendar()
    calendar.add("prodid", "-//facilitator//record//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", record.session.title)
    calendar.add("x-wr-timezone", record.session.timezone)
    for row in record.program:
        event = Event()
        event.add("uid", f"{record.slug}.{row.key}@facilitator")
        event.add("summary", row.title)
        event.add("dtstart", datetime.fromisoformat(row.planned_start).astimezone(zone))
        event.add("dtend", datetime.fromisoformat(row.planned_end).astimezone(zone))
        event.add("dtstamp", datetime.fromisoformat(record.generated_at))
        if row.people:
            event.add("description", ", ".join(row.people))
        if record.session.venue:
            event.add("location", record.session.venue)
        elif record.session.meeting_url:
            event.add("location", record.session.meeting_url)
        if row.skipped:
            event.add("status", "CANCELLED")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    ical: bytes = calendar.to_ical()
    return ical
