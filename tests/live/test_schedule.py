"""Drift, re-timed starts and the projected end of the day, on stored agendas."""

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
    Projection,
    TimerState,
    planned_duration_s,
    planned_end,
    planned_start,
    project,
)

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "sessions" / "2021-local-governments-sse-alliances.yaml"
SEOUL = ZoneInfo("Asia/Seoul")
PARIS = ZoneInfo("Europe/Paris")

# Two days in Paris, with a coffee break between b and c on the first.
TWO_DAYS = """\
format: facilitator/agenda@1
slug: two-days
title: Two days
languages: [en]
timezone: Europe/Paris
days:
  - {date: 2026-03-02, start: "09:00", end: "13:00"}
  - {date: 2026-03-03, start: "09:00", end: "12:00"}
program:
  - {id: a, start: "09:00", end: "10:00", title: A, kind: presentation}
  - {id: b, start: "10:00", end: "10:30", title: B, kind: discussion}
  - {id: c, start: "11:00", end: "12:00", title: C, kind: presentation}
  - {id: d, start: "12:15", end: "12:45", title: D, kind: closing}
  - {id: e, day: 2, start: "09:00", end: "10:00", title: E, kind: introduction}
  - {id: f, day: 2, start: "10:00", end: "11:00", title: F, kind: closing}
"""


def seoul(hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2021, 10, 8, hour, minute, second, tzinfo=SEOUL)


def paris(day: int, hour: int, minute: int) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=PARIS)


def stored(db: Session, source: str | bytes) -> Workshop:
    workshop = store_agenda(db, parse_agenda(source).agenda).workshop
    db.commit()
    db.expire_all()  # read the program back as the database has it
    return workshop


def item(workshop: Workshop, key: str) -> ProgramItem:
    return next(i for i in workshop.program if i.key == key)


def running(since: datetime, duration_s: int, elapsed_s: float = 0.0) -> TimerState:
    return TimerState(duration_s, elapsed_s, since.astimezone(UTC))


def projection(workshop: Workshop, key: str, timer: TimerState, now: datetime) -> Projection:
    return project(
        workshop.program, item(workshop, key), timer, workshop.timezone, now.astimezone(UTC)
    )


@pytest.fixture
def seed(service_session: Session) -> Workshop:
    return stored(service_session, SEED.read_bytes())


@pytest.fixture
def two_days(service_session: Session) -> Workshop:
    return stored(service_session, TWO_DAYS)


def test_planned_times_are_in_the_workshop_zone(seed: Workshop) -> None:
    speaker = item(seed, "speaker-1")
    assert planned_start(speaker, seed.timezone) == seoul(18, 11)
    assert planned_end(speaker, seed.timezone) == seoul(18, 21)
    assert planned_end(speaker, seed.timezone) == datetime(2021, 10, 8, 9, 21, tzinfo=UTC)
    assert planned_duration_s(speaker) == 600
    assert planned_duration_s(item(seed, "discussion")) == 24 * 60


def test_on_time(seed: Workshop) -> None:
    now = seoul(18, 15)
    result = projection(seed, "speaker-1", running(seoul(18, 11), 600), now)
    assert result.drift_s == 0
    assert result.day_end == seoul(19, 30)
    assert result.starts["speaker-2"] == seoul(18, 21)
    assert result.starts["closing"] == seoul(19, 25)


def test_running_late_by_a_timer_overrun(seed: Workshop) -> None:
    # speaker-1 started on time, and is still speaking 4 minutes after its end
    now = seoul(18, 25)
    timer = running(seoul(18, 11), 600)
    assert timer.remaining_at(now.astimezone(UTC)) == -240
    result = projection(seed, "speaker-1", timer, now)
    assert result.drift_s == 240
    assert result.starts["speaker-2"] == seoul(18, 25)
    assert result.starts["discussion"] == seoul(18, 55)
    assert result.day_end == seoul(19, 34)

    # the overrun grows with every second the speaker goes on
    later = projection(seed, "speaker-1", timer, seoul(18, 26, 30))
    assert later.drift_s == 330
    assert later.day_end == seoul(19, 35, 30)


def test_running_late_because_the_item_started_late(seed: Workshop) -> None:
    result = projection(seed, "speaker-1", running(seoul(18, 14), 600), seoul(18, 15))
    assert result.drift_s == 180
    assert result.starts["speaker-2"] == seoul(18, 24)


def test_running_early_after_moving_on_before_the_planned_end(seed: Workshop) -> None:
    # speaker-1 finished at 18:18 instead of 18:21, and speaker-2 began at once
    now = seoul(18, 19)
    result = projection(seed, "speaker-2", running(seoul(18, 18), 600), now)
    assert result.drift_s == -180
    assert result.starts["speaker-3"] == seoul(18, 28)
    assert result.starts["closing"] == seoul(19, 22)
    assert result.day_end == seoul(19, 27)
    assert "speaker-2" not in result.starts  # only the items still to come
    assert "speaker-1" not in result.starts


def test_a_paused_timer_pushes_the_rest_of_the_day(seed: Workshop) -> None:
    # speaker-1 ran 5 of its 10 minutes, then paused at 18:16
    timer = TimerState(600, 300.0, None)
    at_pause = projection(seed, "speaker-1", timer, seoul(18, 16))
    assert at_pause.drift_s == 0
    ten_minutes_on = projection(seed, "speaker-1", timer, seoul(18, 26))
    assert ten_minutes_on.drift_s == 600
    assert ten_minutes_on.starts["speaker-2"] == seoul(18, 31)
    assert ten_minutes_on.day_end == seoul(19, 40)


def test_the_last_item_of_the_day_ends_the_day(seed: Workshop) -> None:
    result = projection(seed, "closing", running(seoul(19, 27), 300), seoul(19, 28))
    assert result.starts == {}
    assert result.drift_s == 120
    assert result.day_end == seoul(19, 32)


def test_gaps_are_kept_and_other_days_untouched(two_days: Workshop) -> None:
    # item a runs 10 minutes over
    result = projection(two_days, "a", running(paris(2, 9, 0), 3600), paris(2, 10, 10))
    assert result.drift_s == 600
    assert result.starts == {
        "b": paris(2, 10, 10),
        "c": paris(2, 11, 10),  # the 30-minute break is still there
        "d": paris(2, 12, 25),  # and the 15-minute one
    }
    assert result.day_end == paris(2, 12, 55)


def test_on_the_second_day_only_its_items_move(two_days: Workshop) -> None:
    result = projection(two_days, "e", running(paris(3, 9, 5), 3600), paris(3, 9, 30))
    assert result.drift_s == 300
    assert result.starts == {"f": paris(3, 10, 5)}
    assert result.day_end == paris(3, 11, 5)


def test_nothing_to_project_before_the_start_or_after_the_end(two_days: Workshop) -> None:
    result = project(
        two_days.program, None, TimerState(0, 0.0, None), two_days.timezone, paris(2, 9, 0)
    )
    assert result == Projection(0, None, {})


def test_a_clock_behind_the_timer_start_counts_no_negative_time() -> None:
    timer = running(datetime(2026, 1, 1, 9, 0, tzinfo=UTC), 600)
    assert timer.elapsed_at(datetime(2026, 1, 1, 8, 59, 58, tzinfo=UTC)) == 0
    assert timer.remaining_at(datetime(2026, 1, 1, 9, 1, tzinfo=UTC)) == 540
