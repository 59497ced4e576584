"""Running a workshop: the state machine of the program and its timer.

Every function takes the database session, the acting user and the time, checks
that the move is allowed, changes the rows and returns the domain events the
edge broadcasts after commit. Nothing here knows of Flask or Socket.IO.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, joinedload

from facilitator.accounts.models import User
from facilitator.accounts.services import CAN_RUN, require_role
from facilitator.agenda.models import ProgramItem, Workshop
from facilitator.domain import DomainError
from facilitator.live.codes import new_display_token, new_join_code
from facilitator.live.models import ItemRun, LiveState, Phase
from facilitator.live.schedule import TimerState, planned_duration_s, planned_start

MAX_TIMER_S = 24 * 3600
MAX_MESSAGE_LENGTH = 280


class InvalidTransition(DomainError):
    """The move does not fit the workshop's state; `code` says which rule."""


@dataclass(frozen=True)
class LiveChanged:
    """The live state (item, timer, lock, message) of a workshop changed."""

    workshop_id: int


@dataclass(frozen=True)
class RunReset:
    """Back to before the start after a rehearsal: each feature clears what the rehearsal
    left (`Feature.along`), and every screen takes a new snapshot."""

    workshop_id: int


def live_state(db: Session, workshop: Workshop) -> LiveState:
    """The workshop's live row, made on first use with its join code and display token."""
    state = db.get(LiveState, workshop.id)
    if state is None:
        state = LiveState(
            workshop_id=workshop.id,
            join_code=_unused_join_code(db),
            display_token=new_display_token(),
            phase=Phase.WAITING,
            joining_locked=False,
            timer_duration_s=0,
            timer_elapsed_s=0.0,
            schedule_shift_s=0,
        )
        db.add(state)
        db.flush()
    return state


def _unused_join_code(db: Session) -> str:
    while True:  # 2^40 codes: a clash is rare, but must not fail a moderator
        code = new_join_code()
        if db.scalar(select(LiveState.workshop_id).where(LiveState.join_code == code)) is None:
            return code


def timer_of(state: LiveState) -> TimerState:
    return TimerState(state.timer_duration_s, state.timer_elapsed_s, state.timer_running_since)


def _allowed(db: Session, actor: User, workshop: Workshop) -> LiveState:
    require_role(db, actor, workshop, CAN_RUN)
    return live_state(db, workshop)


def _item(workshop: Workshop, key: str) -> ProgramItem:
    for item in workshop.program:
        if item.key == key:
            return item
    raise InvalidTransition("unknown_item")


def _close_run(db: Session, state: LiveState, now: datetime) -> None:
    run = db.scalar(
        select(ItemRun).where(ItemRun.workshop_id == state.workshop_id, ItemRun.ended_at.is_(None))
    )
    if run is not None:
        run.ended_at = now


def _enter(db: Session, state: LiveState, item: ProgramItem, now: datetime) -> None:
    _close_run(db, state, now)
    state.current_item_id = item.id
    state.current_item = item
    db.add(ItemRun(workshop_id=state.workshop_id, item_id=item.id, started_at=now))
    state.timer_duration_s = planned_duration_s(item)
    state.timer_elapsed_s = 0.0
    state.timer_running_since = now


def start(db: Session, actor: User, workshop: Workshop, now: datetime) -> list[LiveChanged]:
    state = _allowed(db, actor, workshop)
    if state.phase is not Phase.WAITING:
        raise InvalidTransition("already_started")
    _begin(state, workshop, workshop.program[0], now)
    _enter(db, state, workshop.program[0], now)
    return [LiveChanged(workshop.id)]


def _begin(state: LiveState, workshop: Workshop, item: ProgramItem, now: datetime) -> None:
    """Running starts; a rehearsal on another date is timed from its actual start."""
    state.phase = Phase.RUNNING
    state.started_at = now
    state.schedule_shift_s = schedule_shift_s(workshop, item, now)


def schedule_shift_s(workshop: Workshop, item: ProgramItem, now: datetime) -> int:
    """How far to move the planned times for a run whose first item starts `now`.

    On the item's planned date, nothing: drift is measured against the clock, as planned.
    On another date (a rehearsal the night before), the clock times of that other day mean
    nothing, so the plan moves to start when the run did and drift counts from there.
    """
    today = now.astimezone(ZoneInfo(workshop.timezone)).date()
    if today == item.day.date:
        return 0
    return round((now - planned_start(item, workshop.timezone)).total_seconds())


def go_to(
    db: Session, actor: User, workshop: Workshop, key: str, now: datetime
) -> list[LiveChanged]:
    state = _allowed(db, actor, workshop)
    item = _item(workshop, key)
    if state.phase is Phase.WAITING:
        _begin(state, workshop, item, now)
    elif state.phase is Phase.ENDED:
        raise InvalidTransition("ended")
    if state.current_item_id == item.id:
        raise InvalidTransition("already_current")
    _enter(db, state, item, now)
    return [LiveChanged(workshop.id)]


def next_item(db: Session, actor: User, workshop: Workshop, now: datetime) -> list[LiveChanged]:
    state = _allowed(db, actor, workshop)
    if state.phase is Phase.WAITING:
        return start(db, actor, workshop, now)
    if state.phase is Phase.ENDED:
        raise InvalidTransition("ended")
    program = workshop.program
    index = next((i for i, item in enumerate(program) if item.id == state.current_item_id), None)
    if index is None:  # the agenda was re-loaded without the current item
        raise InvalidTransition("no_current_item")
    if index + 1 >= len(program):
        raise InvalidTransition("no_next_item")
    _enter(db, state, program[index + 1], now)
    return [LiveChanged(workshop.id)]


def end(db: Session, actor: User, workshop: Workshop, now: datetime) -> list[LiveChanged]:
    state = _allowed(db, actor, workshop)
    if state.phase is not Phase.RUNNING:
        raise InvalidTransition("not_running")
    _close_run(db, state, now)
    state.phase = Phase.ENDED
    state.ended_at = now
    state.current_item_id = None
    state.current_item = None
    _stop_timer(state, now)
    # A clean end: nobody joins a finished session, and no message lingers on the screens.
    state.joining_locked = True
    state.message = None
    state.message_at = None
    return [LiveChanged(workshop.id)]


def reset(db: Session, actor: User, workshop: Workshop, confirm: str) -> list[object]:
    """Back to before the start, after a rehearsal: the live state and every item run go,
    and with `RunReset` what the rehearsal's participants gave (answers, audience
    questions, breakout groups and their boards: each feature clears its own).

    `confirm` must be the workshop's id (the slug), typed by the moderator: a reset
    cannot be undone. The join code, the display link, the participants, the questions
    themselves and the rapporteur's notes stay, so phones that joined for the rehearsal
    wait for the real start.
    """
    state = _allowed(db, actor, workshop)
    if confirm != workshop.slug:
        raise InvalidTransition("confirmation_mismatch")
    if state.phase is Phase.WAITING and not item_runs(db, workshop):
        return []  # nothing ran: nothing to tell anyone
    db.execute(delete(ItemRun).where(ItemRun.workshop_id == workshop.id))
    state.phase = Phase.WAITING
    state.current_item_id = None
    state.current_item = None
    state.started_at = None
    state.ended_at = None
    state.timer_duration_s = 0
    state.timer_elapsed_s = 0.0
    state.timer_running_since = None
    state.joining_locked = False
    state.message = None
    state.message_at = None
    state.schedule_shift_s = 0
    db.flush()
    return [LiveChanged(workshop.id), RunReset(workshop.id)]


def skipped_items(
    workshop: Workshop, runs: list[ItemRun], current: ProgramItem | None
) -> list[str]:
    """Items passed over by a jump: before the furthest item reached, and never run."""
    reached = {run.item_id for run in runs}
    if current is not None:
        reached.add(current.id)
    positions = [i for i, item in enumerate(workshop.program) if item.id in reached]
    if not positions:
        return []
    return [item.key for item in workshop.program[: max(positions)] if item.id not in reached]


def _stop_timer(state: LiveState, now: datetime) -> None:
    state.timer_elapsed_s = timer_of(state).elapsed_at(now)
    state.timer_running_since = None


def _running(db: Session, actor: User, workshop: Workshop) -> LiveState:
    state = _allowed(db, actor, workshop)
    if state.phase is not Phase.RUNNING:
        raise InvalidTransition("not_running")
    return state


def pause_timer(db: Session, actor: User, workshop: Workshop, now: datetime) -> list[LiveChanged]:
    state = _running(db, actor, workshop)
    if state.timer_running_since is None:
        raise InvalidTransition("timer_paused")
    _stop_timer(state, now)
    return [LiveChanged(workshop.id)]


def resume_timer(db: Session, actor: User, workshop: Workshop, now: datetime) -> list[LiveChanged]:
    state = _running(db, actor, workshop)
    if state.timer_running_since is not None:
        raise InvalidTransition("timer_running")
    state.timer_running_since = now
    return [LiveChanged(workshop.id)]


def adjust_timer(
    db: Session, actor: User, workshop: Workshop, minutes: int, now: datetime
) -> list[LiveChanged]:
    """Add (or, negative, remove) minutes; the timer never goes below what has run."""
    state = _running(db, actor, workshop)
    duration = state.timer_duration_s + minutes * 60
    if duration <= 0 or duration > MAX_TIMER_S:
        raise InvalidTransition("timer_out_of_range")
    if minutes < 0:  # removing time ends the item now at most, never invents an overrun
        has_run = math.ceil(timer_of(state).elapsed_at(now))
        duration = max(duration, min(state.timer_duration_s, has_run))
        if duration == state.timer_duration_s:
            return []  # already over time: nothing left to remove
    state.timer_duration_s = duration
    return [LiveChanged(workshop.id)]


def reset_timer(db: Session, actor: User, workshop: Workshop, now: datetime) -> list[LiveChanged]:
    """Back to the current item's planned duration, counting from now."""
    state = _running(db, actor, workshop)
    if state.current_item is None:  # the agenda was re-loaded without the current item
        raise InvalidTransition("no_current_item")
    state.timer_duration_s = planned_duration_s(state.current_item)
    state.timer_elapsed_s = 0.0
    state.timer_running_since = now
    return [LiveChanged(workshop.id)]


def lock_joining(db: Session, actor: User, workshop: Workshop, locked: bool) -> list[LiveChanged]:
    state = _allowed(db, actor, workshop)
    if state.joining_locked == locked:
        return []  # already so: nothing to tell anyone
    state.joining_locked = locked
    return [LiveChanged(workshop.id)]


def set_message(
    db: Session, actor: User, workshop: Workshop, text: str | None, now: datetime
) -> list[LiveChanged]:
    """Show a short message on every screen; None clears it."""
    state = _allowed(db, actor, workshop)
    if text is not None:
        text = text.strip()
        if not text or len(text) > MAX_MESSAGE_LENGTH:
            raise InvalidTransition("message_length")
    state.message = text
    state.message_at = now if text else None
    return [LiveChanged(workshop.id)]


@dataclass(frozen=True)
class DisplayTokenRotated:
    """The display link changed: projectors opened with the old one must close."""

    workshop_id: int


def rotate_display_token(db: Session, workshop: Workshop) -> list[DisplayTokenRotated]:
    """A new display link, when someone who could see the old one lost their role.

    No permission check: the caller has just taken a role away, which is checked."""
    state = db.get(LiveState, workshop.id)
    if state is None:
        return []  # never run: no link was ever shown
    state.display_token = new_display_token()
    db.flush()
    return [DisplayTokenRotated(workshop.id)]


def item_runs(db: Session, workshop: Workshop) -> list[ItemRun]:
    return list(
        db.scalars(
            select(ItemRun)
            .where(ItemRun.workshop_id == workshop.id)
            .options(joinedload(ItemRun.item))  # views read each run's item key: one query
            .order_by(ItemRun.id)
        )
    )
