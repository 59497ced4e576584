"""The record's sections drawn from the agenda and the run: session info, people, program,
participants. Plain data; no Flask."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.agenda.models import Day, Person, TextMap, Workshop
from facilitator.live.models import ItemRun, LiveState
from facilitator.live.services import skipped_items
from facilitator.participation.models import Participant
from facilitator.record.data import (
    CaseStudyInfo,
    DayInfo,
    Participants,
    PersonInfo,
    ProgramRow,
    SessionInfo,
    ZoneTimes,
)
from facilitator.record.models import RecordSettings


def pick(text: TextMap | None, language: str, default: str) -> str | None:
    """A translatable text in `language`, else the workshop's default, else any."""
    if not text:
        return None
    return text.get(language) or text.get(default) or next(iter(text.values()), None)


def _at(day: date, clock: time, zone: str) -> datetime:
    return datetime.combine(day, clock, tzinfo=ZoneInfo(zone))


def _day(day: Day, workshop: Workshop, language: str) -> DayInfo:
    start = _at(day.date, day.start, workshop.timezone)
    end = _at(day.date, day.end, workshop.timezone)
    if end <= start:
        end += timedelta(days=1)
    zones = [workshop.timezone, *[z for z in workshop.show_timezones if z != workshop.timezone]]
    return DayInfo(
        position=day.position,
        date=day.date.isoformat(),
        title=pick(day.title, language, workshop.default_language),
        times=[
            ZoneTimes(
                z,
                start.astimezone(ZoneInfo(z)).isoformat(),
                end.astimezone(ZoneInfo(z)).isoformat(),
            )
            for z in zones
        ],
    )


def session_info(workshop: Workshop, language: str) -> SessionInfo:
    default = workshop.default_language
    minutes = 0
    for day in workshop.days:
        span = datetime.combine(day.date, day.end) - datetime.combine(day.date, day.start)
        minutes += int(span.total_seconds() // 60) % (24 * 60)
    venue = pick(workshop.venue, language, default)
    online = workshop.venue is None or all(
        v.strip().lower() == "online" for v in workshop.venue.values()
    )
    return SessionInfo(
        title=pick(workshop.title, language, default) or workshop.slug,
        event=pick(workshop.event, language, default),
        reference=workshop.reference,
        kind=workshop.kind,
        languages=list(workshop.languages),
        interpretation=list(workshop.interpretation or []),
        timezone=workshop.timezone,
        zones=[workshop.timezone, *[z for z in workshop.show_timezones if z != workshop.timezone]],
        days=[_day(day, workshop, language) for day in workshop.days],
        duration_minutes=minutes,
        venue=None if online else venue,
        online=online,
        meeting_url=workshop.meeting_url,
        thematic_line=pick(workshop.thematic_line, language, default),
        audience=pick(workshop.audience, language, default),
        background=pick(workshop.background, language, default),
    )


def person_info(person: Person, language: str, default: str) -> PersonInfo:
    return PersonInfo(
        key=person.key,
        name=person.name,
        roles=list(person.roles),
        title=pick(person.title, language, default),
        organisation=pick(person.organisation, language, default),
        organisation_type=person.organisation_type,
        country=person.country,
    )


def program(db: Session, workshop: Workshop, language: str) -> list[ProgramRow]:
    runs = list(
        db.scalars(
            select(ItemRun).where(ItemRun.workshop_id == workshop.id).order_by(ItemRun.started_at)
        )
    )
    state = db.get(LiveState, workshop.id)
    current = state.current_item if state is not None else None
    skipped = set(skipped_items(workshop, runs, current))
    by_item: dict[int, list[ItemRun]] = {}
    for run in runs:
        by_item.setdefault(run.item_id, []).append(run)
    rows = []
    for item in workshop.program:
        day = item.day
        start = _at(day.date, item.start, workshop.timezone)
        end = _at(day.date, item.end, workshop.timezone)
        if end < start:
            end += timedelta(days=1)
        ran = by_item.get(item.id, [])
        last_end = ran[-1].ended_at if ran else None
        rows.append(
            ProgramRow(
                key=item.key,
                day=day.position,
                title=pick(item.title, language, workshop.default_language) or item.key,
                kind=item.kind,
                people=[p.name for p in item.people],
                planned_start=start.isoformat(),
                planned_end=end.isoformat(),
                actual_start=ran[0].started_at.isoformat() if ran else None,
                actual_end=last_end.isoformat() if last_end else None,
                skipped=item.key in skipped,
            )
        )
    return rows


def _count(values: list[str | None]) -> dict[str, int]:
    return dict(sorted(Counter(v or "" for v in values).items()))


def participants(db: Session, workshop: Workshop) -> Participants:
    # Columns, not entities: only counted here, and a room can hold a thousand people.
    everyone = db.execute(
        select(
            Participant.removed_at,
            Participant.language,
            Participant.country,
            Participant.organisation,
            Participant.stakeholder_type,
        ).where(Participant.workshop_id == workshop.id)
    ).all()
    present = [p for p in everyone if p.removed_at is None]
    settings = db.get(RecordSettings, workshop.id)
    return Participants(
        joined=len(present),
        removed=len(everyone) - len(present),
        peak_connected=settings.peak_connected if settings else None,
        by_language=_count([p.language for p in present]),
        by_country=_count([p.country for p in present]),
        by_organisation=_count([p.organisation for p in present]),
        by_stakeholder_type=_count([p.stakeholder_type for p in present]),
        online_count=settings.online_count if settings else None,
        online_label=settings.online_label if settings else None,
        expected=workshop.expected_participants,
    )


def case_studies(workshop: Workshop, language: str) -> list[CaseStudyInfo]:
    default = workshop.default_language
    return [
        CaseStudyInfo(
            key=case.key,
            title=pick(case.title, language, default) or case.key,
            territory=pick(case.territory, language, default),
            description=pick(case.description, language, default),
        )
        for case in workshop.case_studies
    ]
