"""Planned times of a stored agenda, and the timer's arithmetic. (The drift projection
moved to static/shared/schedule.js; its cases are in tests/js/schedule.test.mjs.)"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from facilitator.agenda.models import ProgramItem, Workshop
from facilitator.agenda.parsing import parse_agenda
from facilitator.agenda.services import store_agenda
from facilitator.live.schedule import (
    TimerState,
    planned_duration_s,
    planned_end,
    planned_start,
)

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "sessions" / "2021-local-governments-sse-alliances.yaml"
SEOUL = ZoneInfo("Asia/Seoul")


def seoul(hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2021, 10, 8, hour, minute, second, tzinfo=SEOUL)


def stored(db: Session, source: str | bytes) -> Workshop:
    workshop = store_agenda(db, parse_agenda(source).agenda).workshop
    db.commit()
    db.expire_all()  # read the program back as the database has it
    return workshop


def item(workshop: Workshop, key: str) -> ProgramItem:
    return next(i for i in workshop.program if i.key == key)


def running(since: datetime, duration_s: int, elapsed_s: float = 0.0) -> TimerState:
    return TimerState(duration_s, elapsed_s, since.astimezone(UTC))


@pytest.fixture
def seed(service_session: Session) -> Workshop:
    return stored(service_session, SEED.read_bytes())


def test_planned_times_are_in_the_workshop_zone(seed: Workshop) -> None:
    speaker = item(seed, "speaker-1")
    assert planned_start(speaker, seed.timezone) == seoul(18, 11)
    assert planned_end(speaker, seed.timezone) == seoul(18, 21)
    assert planned_end(speaker, seed.timezone) == datetime(2021, 10, 8, 9, 21, tzinfo=UTC)
    assert planned_duration_s(speaker) == 600
    assert planned_duration_s(item(seed, "discussion")) == 24 * 60


def test_a_clock_behind_the_timer_start_counts_no_negative_time() -> None:
    timer = running(datetime(2026, 1, 1, 9, 0, tzinfo=UTC), 600)
    assert timer.elapsed_at(datetime(2026, 1, 1, 8, 59, 58, tzinfo=UTC)) == 0
    assert timer.remaining_at(datetime(2026, 1, 1, 9, 1, tzinfo=UTC)) == 540
