"""Running the 2021 seed workshop through the live services, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from facilitator.accounts.models import Role, User
from facilitator.accounts.services import Forbidden, create_user, grant
from facilitator.agenda.models import Workshop
from facilitator.agenda.parsing import parse_agenda
from facilitator.agenda.services import store_agenda
from facilitator.live import services as live
from facilitator.live.models import ItemRun, LiveState, Phase
from facilitator.live.schedule import planned_start
from facilitator.live.services import InvalidTransition, LiveChanged, RunReset
from facilitator.live.wire import live_view

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "sessions" / "2021-local-governments-sse-alliances.yaml"
OTHER = ROOT / "sessions" / "sse-local-governments-case-studies.yaml"
PASSWORD = "a long test password"
# 18:00 in Seoul on the seed's day: the planned start of its first item.
T0 = datetime(2021, 10, 8, 9, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@dataclass
class World:
    db: Session
    workshop: Workshop
    organiser: User
    moderator: User
    rapporteur: User
    other_moderator: User  # moderates another workshop only
    stranger: User  # holds no role anywhere
    admin: User


@pytest.fixture
def world(service_session: Session) -> World:
    db = service_session
    organiser = create_user(db, "organiser@example.org", PASSWORD)
    workshop = store_agenda(db, parse_agenda(SEED.read_bytes()).agenda, organiser).workshop
    other_organiser = create_user(db, "elsewhere@example.org", PASSWORD)
    other = store_agenda(db, parse_agenda(OTHER.read_bytes()).agenda, other_organiser).workshop
    moderator = create_user(db, "moderator@example.org", PASSWORD)
    rapporteur = create_user(db, "rapporteur@example.org", PASSWORD)
    other_moderator = create_user(db, "other-moderator@example.org", PASSWORD)
    grant(db, moderator, workshop, Role.MODERATOR)
    grant(db, rapporteur, workshop, Role.RAPPORTEUR)
    grant(db, other_moderator, other, Role.MODERATOR)
    world = World(
        db=db,
        workshop=workshop,
        organiser=organiser,
        moderator=moderator,
        rapporteur=rapporteur,
        other_moderator=other_moderator,
        stranger=create_user(db, "stranger@example.org", PASSWORD),
        admin=create_user(db, "admin@example.org", PASSWORD, is_admin=True),
    )
    db.commit()
    return world


def fresh(world: World) -> LiveState:
    """The live row as the database has it, not as this session remembers it."""
    world.db.commit()
    world.db.expire_all()
    return live.live_state(world.db, world.workshop)


def runs(world: World) -> list[tuple[str, datetime, datetime | None]]:
    return [
        (r.item.key, r.started_at, r.ended_at) for r in live.item_runs(world.db, world.workshop)
    ]


def refused(code: str, action: Callable[[], object]) -> None:
    with pytest.raises(InvalidTransition) as caught:
        action()
    assert caught.value.code == code


def test_the_live_row_is_made_once_and_waits(world: World) -> None:
    state = live.live_state(world.db, world.workshop)
    assert live.live_state(world.db, world.workshop) is state
    assert state.phase is Phase.WAITING
    assert state.current_item_id is None
    assert not state.joining_locked
    assert world.db.scalar(select(func.count()).select_from(LiveState)) == 1


def test_start_runs_the_first_item_with_its_planned_duration(world: World) -> None:
    events = live.start(world.db, world.organiser, world.workshop, T0)

    assert events == [LiveChanged(world.workshop.id)]
    state = fresh(world)
    assert state.phase is Phase.RUNNING
    assert state.started_at == T0
    assert state.current_item is not None and state.current_item.key == "connection-check"
    assert state.timer_duration_s == 60  # 18:00-18:01
    assert state.timer_elapsed_s == 0
    assert state.timer_running_since == T0
    assert live.timer_of(state).remaining_at(at(45)) == 15
    assert runs(world) == [("connection-check", T0, None)]


def test_starting_twice_is_refused(world: World) -> None:
    live.start(world.db, world.organiser, world.workshop, T0)
    refused("already_started", lambda: live.start(world.db, world.organiser, world.workshop, at(5)))
    state = fresh(world)
    assert state.started_at == T0
    assert runs(world) == [("connection-check", T0, None)]


def test_next_closes_the_item_and_opens_the_next_one(world: World) -> None:
    live.start(world.db, world.organiser, world.workshop, T0)
    events = live.next_item(world.db, world.organiser, world.workshop, at(90))

    assert events == [LiveChanged(world.workshop.id)]
    state = fresh(world)
    assert state.current_item is not None and state.current_item.key == "moderator-introduction"
    assert state.timer_duration_s == 5 * 60
    assert state.timer_elapsed_s == 0
    assert state.timer_running_since == at(90)
    assert runs(world) == [
        ("connection-check", T0, at(90)),
        ("moderator-introduction", at(90), None),
    ]


def test_next_before_the_start_starts_the_workshop(world: World) -> None:
    live.next_item(world.db, world.organiser, world.workshop, T0)
    state = fresh(world)
    assert state.phase is Phase.RUNNING
    assert state.current_item is not None and state.current_item.key == "connection-check"


def test_go_to_any_item_and_back_records_a_second_run(world: World) -> None:
    live.start(world.db, world.organiser, world.workshop, T0)
    live.go_to(world.db, world.organiser, world.workshop, "speaker-3", at(60))
    state = fresh(world)
    assert state.current_item is not None and state.current_item.key == "speaker-3"
    assert state.timer_duration_s == 10 * 60

    live.go_to(world.db, world.organiser, world.workshop, "connection-check", at(120))
    state = fresh(world)
    assert state.current_item is not None and state.current_item.key == "connection-check"
    assert state.timer_duration_s == 60
    assert state.timer_running_since == at(120)
    assert runs(world) == [
        ("connection-check", T0, at(60)),
        ("speaker-3", at(60), at(120)),
        ("connection-check", at(120), None),
    ]


def test_go_to_before_the_start_starts_at_that_item(world: World) -> None:
    live.go_to(world.db, world.organiser, world.workshop, "speaker-1", T0)
    state = fresh(world)
    assert state.phase is Phase.RUNNING
    assert state.started_at == T0
    assert state.current_item is not None and state.current_item.key == "speaker-1"
    assert runs(world) == [("speaker-1", T0, None)]


def test_go_to_an_unknown_or_the_current_item_is_refused(world: World) -> None:
    live.start(world.db, world.organiser, world.workshop, T0)
    refused(
        "unknown_item",
        lambda: live.go_to(world.db, world.organiser, world.workshop, "no-such-item", at(5)),
    )
    refused(
        "already_current",
        lambda: live.go_to(world.db, world.organiser, world.workshop, "connection-check", at(5)),
    )
    assert runs(world) == [("connection-check", T0, None)]
    assert fresh(world).timer_running_since == T0


def test_next_at_the_last_item_is_refused(world: World) -> None:
    live.go_to(world.db, world.organiser, world.workshop, "closing", T0)
    refused(
        "no_next_item", lambda: live.next_item(world.db, world.organiser, world.workshop, at(9))
    )
    state = fresh(world)
    assert state.phase is Phase.RUNNING
    assert state.current_item is not None and state.current_item.key == "closing"
    assert runs(world) == [("closing", T0, None)]


def test_end_closes_the_run_and_stops_the_timer(world: World) -> None:
    live.start(world.db, world.organiser, world.workshop, T0)
    events = live.end(world.db, world.organiser, world.workshop, at(40))

    assert events == [LiveChanged(world.workshop.id)]
    state = fresh(world)
    assert state.phase is Phase.ENDED
    assert state.ended_at == at(40)
    assert state.current_item_id is None
    assert state.timer_running_since is None
    assert state.timer_elapsed_s == 40
    assert live.timer_of(state).remaining_at(at(3600)) == 20  # stopped: no longer counts down
    assert runs(world) == [("connection-check", T0, at(40))]


def test_an_ended_workshop_cannot_move_again(world: World) -> None:
    db, actor, workshop = world.db, world.organiser, world.workshop
    live.start(db, actor, workshop, T0)
    live.end(db, actor, workshop, at(40))
    refused("ended", lambda: live.next_item(db, actor, workshop, at(50)))
    refused("ended", lambda: live.go_to(db, actor, workshop, "speaker-1", at(50)))
    refused("already_started", lambda: live.start(db, actor, workshop, at(50)))
    refused("not_running", lambda: live.end(db, actor, workshop, at(50)))
    refused("not_running", lambda: live.pause_timer(db, actor, workshop, at(50)))
    assert runs(world) == [("connection-check", T0, at(40))]


def test_a_workshop_not_started_cannot_end_or_use_the_timer(world: World) -> None:
    db, actor, workshop = world.db, world.organiser, world.workshop
    refused("not_running", lambda: live.end(db, actor, workshop, T0))
    refused("not_running", lambda: live.pause_timer(db, actor, workshop, T0))
    refused("not_running", lambda: live.resume_timer(db, actor, workshop, T0))
    refused("not_running", lambda: live.adjust_timer(db, actor, workshop, 1, T0))
    refused("not_running", lambda: live.reset_timer(db, actor, workshop, T0))
    assert fresh(world).phase is Phase.WAITING


def test_pause_and_resume_keep_the_elapsed_time_exactly(world: World) -> None:
    db, actor, workshop = world.db, world.organiser, world.workshop
    live.go_to(db, actor, workshop, "speaker-1", T0)  # 10 minutes

    live.pause_timer(db, actor, workshop, at(90.25))
    state = fresh(world)
    assert state.timer_running_since is None
    assert state.timer_elapsed_s == 90.25
    # however long the pause, the timer shows the same time left
    assert live.timer_of(state).remaining_at(at(100)) == 509.75
    assert live.timer_of(state).remaining_at(at(3000)) == 509.75

    live.resume_timer(db, actor, workshop, at(300))
    state = fresh(world)
    assert state.timer_running_since == at(300)
    assert live.timer_of(state).remaining_at(at(300)) == 509.75
    assert live.timer_of(state).remaining_at(at(330)) == 479.75

    live.pause_timer(db, actor, workshop, at(330))
    state = fresh(world)
    assert state.timer_elapsed_s == 120.25
    assert state.timer_duration_s == 600  # pausing never changes the duration


def test_pausing_a_paused_or_resuming_a_running_timer_is_refused(world: World) -> None:
    db, actor, workshop = world.db, world.organiser, world.workshop
    live.start(db, actor, workshop, T0)
    refused("timer_running", lambda: live.resume_timer(db, actor, workshop, at(5)))
    live.pause_timer(db, actor, workshop, at(10))
    refused("timer_paused", lambda: live.pause_timer(db, actor, workshop, at(20)))
    assert fresh(world).timer_elapsed_s == 10


def test_adjust_adds_and_removes_minutes(world: World) -> None:
    db, actor, workshop = world.db, world.organiser, world.workshop
    live.go_to(db, actor, workshop, "speaker-1", T0)  # 10 minutes

    assert live.adjust_timer(db, actor, workshop, 5, at(60)) == [LiveChanged(workshop.id)]
    assert fresh(world).timer_duration_s == 15 * 60
    live.adjust_timer(db, actor, workshop, -3, at(60))
    state = fresh(world)
    assert state.timer_duration_s == 12 * 60
    assert state.timer_running_since == T0  # adjusting does not restart the count
    assert live.timer_of(state).remaining_at(at(60)) == 11 * 60


def test_adjust_refuses_no_time_left_or_more_than_a_day(world: World) -> None:
    db, actor, workshop = world.db, world.organiser, world.workshop
    live.go_to(db, actor, workshop, "speaker-1", T0)  # 10 minutes
    refused("timer_out_of_range", lambda: live.adjust_timer(db, actor, workshop, -10, T0))
    refused("timer_out_of_range", lambda: live.adjust_timer(db, actor, workshop, -11, T0))
    refused("timer_out_of_range", lambda: live.adjust_timer(db, actor, workshop, 24 * 60, T0))
    assert fresh(world).timer_duration_s == 600

    live.adjust_timer(db, actor, workshop, 24 * 60 - 10, T0)  # exactly 24 h is allowed
    assert fresh(world).timer_duration_s == 24 * 3600
    refused("timer_out_of_range", lambda: live.adjust_timer(db, actor, workshop, 1, T0))


def test_removing_minutes_ends_the_item_now_at_most(world: World) -> None:
    db, actor, workshop = world.db, world.organiser, world.workshop
    live.go_to(db, actor, workshop, "speaker-1", T0)  # 10 minutes, 8 have run
    live.adjust_timer(db, actor, workshop, -5, at(8 * 60))
    state = fresh(world)
    # time is up, but the moderator's click did not make up an overrun of 3 minutes
    assert live.timer_of(state).remaining_at(at(8 * 60)) == 0

    live.adjust_timer(db, actor, workshop, 2, at(8 * 60))
    assert live.timer_of(fresh(world)).remaining_at(at(8 * 60)) == 120


def test_removing_minutes_when_already_over_keeps_the_overrun(world: World) -> None:
    db, actor, workshop = world.db, world.organiser, world.workshop
    live.go_to(db, actor, workshop, "speaker-1", T0)  # 10 minutes, 12 have run
    assert live.adjust_timer(db, actor, workshop, -1, at(12 * 60)) == []
    state = fresh(world)
    assert state.timer_duration_s == 600
    assert live.timer_of(state).remaining_at(at(12 * 60)) == -120


def test_reset_goes_back_to_the_planned_duration_from_now(world: World) -> None:
    db, actor, workshop = world.db, world.organiser, world.workshop
    live.go_to(db, actor, workshop, "speaker-1", T0)
    live.adjust_timer(db, actor, workshop, 3, at(60))
    live.pause_timer(db, actor, workshop, at(200))

    assert live.reset_timer(db, actor, workshop, at(500)) == [LiveChanged(workshop.id)]
    state = fresh(world)
    assert state.timer_duration_s == 600
    assert state.timer_elapsed_s == 0
    assert state.timer_running_since == at(500)
    assert live.timer_of(state).remaining_at(at(560)) == 540


def test_lock_and_unlock_joining(world: World) -> None:
    db, actor, workshop = world.db, world.organiser, world.workshop
    assert live.lock_joining(db, actor, workshop, True) == [LiveChanged(workshop.id)]
    assert fresh(world).joining_locked
    assert live.lock_joining(db, actor, workshop, True) == []  # unchanged: nothing to tell
    assert fresh(world).joining_locked
    assert live.lock_joining(db, actor, workshop, False) == [LiveChanged(workshop.id)]
    assert not fresh(world).joining_locked
    assert live.lock_joining(db, actor, workshop, False) == []


def test_set_and_clear_the_message(world: World) -> None:
    db, actor, workshop = world.db, world.organiser, world.workshop
    events = live.set_message(db, actor, workshop, "  Coffee break: back at 19:00  ", T0)
    assert events == [LiveChanged(workshop.id)]
    state = fresh(world)
    assert state.message == "Coffee break: back at 19:00"
    assert state.message_at == T0

    live.set_message(db, actor, workshop, None, at(60))
    state = fresh(world)
    assert state.message is None
    assert state.message_at is None


def test_a_blank_or_too_long_message_is_refused(world: World) -> None:
    db, actor, workshop = world.db, world.organiser, world.workshop
    live.set_message(db, actor, workshop, "Welcome", T0)
    for text in ("", "   \n\t", "x" * (live.MAX_MESSAGE_LENGTH + 1)):
        with pytest.raises(InvalidTransition, match="message_length"):
            live.set_message(db, actor, workshop, text, T0)
    assert fresh(world).message == "Welcome"

    longest = "é" * live.MAX_MESSAGE_LENGTH
    live.set_message(db, actor, workshop, longest, at(1))
    assert fresh(world).message == longest


def test_a_moderator_of_the_workshop_runs_it(world: World) -> None:
    db, workshop = world.db, world.workshop
    live.start(db, world.moderator, workshop, T0)
    live.next_item(db, world.moderator, workshop, at(60))
    state = fresh(world)
    assert state.current_item is not None and state.current_item.key == "moderator-introduction"


# Each mutation, with what must be true before it for an allowed user to succeed.
Mutation = Callable[[Session, User, Workshop], list[LiveChanged]]
MUTATIONS: dict[str, tuple[str, Mutation]] = {
    "start": ("waiting", lambda db, u, w: live.start(db, u, w, at(300))),
    "go_to": ("running", lambda db, u, w: live.go_to(db, u, w, "speaker-2", at(300))),
    "next_item": ("running", lambda db, u, w: live.next_item(db, u, w, at(300))),
    "end": ("running", lambda db, u, w: live.end(db, u, w, at(300))),
    "pause_timer": ("running", lambda db, u, w: live.pause_timer(db, u, w, at(300))),
    "resume_timer": ("paused", lambda db, u, w: live.resume_timer(db, u, w, at(300))),
    "adjust_timer": ("running", lambda db, u, w: live.adjust_timer(db, u, w, 2, at(300))),
    "reset_timer": ("running", lambda db, u, w: live.reset_timer(db, u, w, at(300))),
    "lock_joining": ("running", lambda db, u, w: live.lock_joining(db, u, w, True)),
    "set_message": ("running", lambda db, u, w: live.set_message(db, u, w, "Hello", at(300))),
}


def snapshot(world: World) -> tuple[dict[str, Any] | None, list[Any]]:
    """Everything a screen could show: the live row's columns and the item runs."""
    state = world.db.get(LiveState, world.workshop.id)
    columns = None
    if state is not None:
        columns = {c.key: getattr(state, c.key) for c in LiveState.__table__.columns}
    return columns, runs(world)


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_every_mutation_is_refused_to_anyone_who_does_not_run_the_workshop(
    world: World, name: str
) -> None:
    before, mutate = MUTATIONS[name]
    db, workshop = world.db, world.workshop
    if before != "waiting":
        live.go_to(db, world.organiser, workshop, "speaker-1", T0)
    if before == "paused":
        live.pause_timer(db, world.organiser, workshop, at(100))
    db.commit()
    expected = snapshot(world)

    for actor in (world.rapporteur, world.other_moderator, world.stranger):
        with pytest.raises(Forbidden):
            mutate(db, actor, workshop)
        assert snapshot(world) == expected, actor.email
    assert world.db.scalar(select(func.count()).select_from(ItemRun)) == len(expected[1])

    # an admin may do anything
    assert mutate(db, world.admin, workshop) == [LiveChanged(workshop.id)]
    assert snapshot(world) != expected


def test_a_refused_stranger_does_not_even_open_the_live_row(world: World) -> None:
    with pytest.raises(Forbidden):
        live.lock_joining(world.db, world.stranger, world.workshop, True)
    assert world.db.get(LiveState, world.workshop.id) is None


def reload_without(world: World, key: str) -> None:
    """The organiser re-loads the agenda with one item taken out, mid-session."""
    data = yaml.safe_load(SEED.read_text())
    data["program"] = [item for item in data["program"] if item["id"] != key]
    store_agenda(world.db, parse_agenda(yaml.safe_dump(data)).agenda, world.organiser)
    world.db.commit()
    world.db.expire_all()


def test_an_agenda_reloaded_without_the_current_item_asks_for_go_to(world: World) -> None:
    db, actor, workshop = world.db, world.organiser, world.workshop
    live.go_to(db, actor, workshop, "speaker-1", T0)
    reload_without(world, "speaker-1")

    state = fresh(world)
    assert state.phase is Phase.RUNNING and state.current_item_id is None
    refused("no_current_item", lambda: live.next_item(db, actor, workshop, at(60)))
    refused("no_current_item", lambda: live.reset_timer(db, actor, workshop, at(60)))
    # the moderator picks the item to run, and the show goes on
    live.go_to(db, actor, workshop, "speaker-2", at(60))
    state = fresh(world)
    assert state.current_item is not None and state.current_item.key == "speaker-2"
    assert runs(world) == [("speaker-2", at(60), None)]


def test_a_rehearsal_on_another_date_is_timed_from_its_actual_start(world: World) -> None:
    # How the console re-times the day from this: tests/js/schedule.test.mjs (the same case).
    rehearsal = T0 + timedelta(days=1506, hours=5, minutes=2)  # four years on, at night
    live.start(world.db, world.organiser, world.workshop, rehearsal)
    state = fresh(world)
    # The plan moves to start when the rehearsal did: drift counts from there, not from 18:00.
    assert state.schedule_shift_s == (rehearsal - T0).total_seconds()
    assert live_view(state)["schedule_shift_s"] == state.schedule_shift_s
    assert state.current_item is not None and state.current_item.key == "connection-check"


def test_a_rehearsal_that_jumps_in_is_timed_from_the_item_it_started_on(world: World) -> None:
    rehearsal = T0 + timedelta(days=2, hours=-3)
    live.go_to(world.db, world.organiser, world.workshop, "speaker-1", rehearsal)
    state = fresh(world)
    item = state.current_item
    assert item is not None
    planned = planned_start(item, world.workshop.timezone)
    assert state.schedule_shift_s == (rehearsal - planned).total_seconds()


def test_a_run_on_the_planned_date_is_timed_by_the_clock(world: World) -> None:
    live.start(world.db, world.organiser, world.workshop, at(25 * 60))  # 25 minutes late
    assert fresh(world).schedule_shift_s == 0  # the drift shows it: nothing moves


def test_reset_forgets_the_rehearsal_shift(world: World) -> None:
    live.start(world.db, world.organiser, world.workshop, T0 + timedelta(days=3))
    live.reset(world.db, world.organiser, world.workshop, world.workshop.slug)
    assert fresh(world).schedule_shift_s == 0
    live.start(world.db, world.organiser, world.workshop, T0)
    assert fresh(world).schedule_shift_s == 0


def test_end_closes_joining_and_clears_the_message(world: World) -> None:
    live.start(world.db, world.organiser, world.workshop, T0)
    live.set_message(world.db, world.organiser, world.workshop, "Back at 11:00", at(5))
    live.end(world.db, world.organiser, world.workshop, at(40))
    state = fresh(world)
    assert state.joining_locked is True
    assert state.message is None and state.message_at is None


def test_reset_after_a_rehearsal_goes_back_to_waiting(world: World) -> None:
    live.start(world.db, world.organiser, world.workshop, T0)
    live.next_item(world.db, world.organiser, world.workshop, at(60))
    live.set_message(world.db, world.organiser, world.workshop, "Rehearsal", at(61))
    live.lock_joining(world.db, world.organiser, world.workshop, True)
    code, token = fresh(world).join_code, fresh(world).display_token

    events = live.reset(world.db, world.moderator, world.workshop, world.workshop.slug)

    # RunReset: each feature clears what the rehearsal left (tests/realtime/test_reset.py)
    assert events == [LiveChanged(world.workshop.id), RunReset(world.workshop.id)]
    state = fresh(world)
    assert state.phase is Phase.WAITING and state.current_item_id is None
    assert state.started_at is None and state.ended_at is None
    assert state.timer_duration_s == 0 and state.timer_running_since is None
    assert state.message is None and state.joining_locked is False
    assert runs(world) == []
    assert (state.join_code, state.display_token) == (code, token)  # the room's links stay
    # The real run then starts as if nothing had happened.
    live.start(world.db, world.organiser, world.workshop, at(3600))
    assert [r[0] for r in runs(world)] == [world.workshop.program[0].key]


def test_reset_needs_the_typed_id_and_a_role(world: World) -> None:
    live.start(world.db, world.organiser, world.workshop, T0)
    with pytest.raises(InvalidTransition) as refused:
        live.reset(world.db, world.organiser, world.workshop, "not-the-slug")
    assert refused.value.code == "confirmation_mismatch"
    with pytest.raises(Forbidden):
        live.reset(world.db, world.rapporteur, world.workshop, world.workshop.slug)
    assert fresh(world).phase is Phase.RUNNING and len(runs(world)) == 1


def test_reset_of_another_workshop_touches_nothing_here(
    world: World, service_session: Session
) -> None:
    live.start(world.db, world.organiser, world.workshop, T0)
    other = service_session.scalar(select(Workshop).where(Workshop.id != world.workshop.id))
    assert other is not None
    other_organiser = service_session.scalar(
        select(User).where(User.email == "elsewhere@example.org")
    )
    assert other_organiser is not None
    live.start(world.db, other_organiser, other, T0)
    live.reset(world.db, other_organiser, other, other.slug)
    assert fresh(world).phase is Phase.RUNNING and len(runs(world)) == 1


def test_reset_before_anything_ran_changes_nothing(world: World) -> None:
    assert live.reset(world.db, world.organiser, world.workshop, world.workshop.slug) == []


def test_items_passed_over_by_a_jump_are_skipped(world: World) -> None:
    program = [item.key for item in world.workshop.program]
    live.start(world.db, world.organiser, world.workshop, T0)
    live.go_to(world.db, world.organiser, world.workshop, program[3], at(60))
    state = fresh(world)
    skipped = live.skipped_items(
        world.workshop, live.item_runs(world.db, world.workshop), state.current_item
    )
    assert skipped == program[1:3]
    # Going back to one of them runs it: no longer skipped.
    live.go_to(world.db, world.organiser, world.workshop, program[1], at(120))
    state = fresh(world)
    skipped = live.skipped_items(
        world.workshop, live.item_runs(world.db, world.workshop), state.current_item
    )
    assert skipped == [program[2]]
