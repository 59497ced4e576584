"""The run-of-show on the realtime channel: the moderators' controls, the clock, the live
state and program on every screen, and who may connect as a console or a projector."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from facilitator.accounts.access import current_account
from facilitator.accounts.changes import AccessRevoked
from facilitator.accounts.models import User
from facilitator.accounts.services import CAN_RUN, AccountError, require_role
from facilitator.agenda.changes import AgendaLoaded, WorkshopDeleted
from facilitator.agenda.models import Workshop
from facilitator.agenda.services import find_workshop
from facilitator.database import utcnow
from facilitator.live import services
from facilitator.live.models import ItemRun, LiveState
from facilitator.live.programs import ProgramCache, load_program
from facilitator.live.services import (
    DisplayTokenRotated,
    LiveChanged,
    RunReset,
    item_runs,
    live_state,
)
from facilitator.live.wire import join_view, live_view, ms, runs_view, workshop_view
from facilitator.participation.models import Participant
from facilitator.realtime import protocol
from facilitator.realtime.connections import EVERYONE, MODERATORS, Principal
from facilitator.realtime.protocol import Mutation as Payload
from facilitator.realtime.registry import (
    Context,
    Effects,
    Feature,
    Message,
    Refused,
    RenderContext,
    SnapshotContext,
    keep,
)
from facilitator.realtime.rooms import everyone, moderators

feature = Feature("live")


Result = tuple[Any, Sequence[object]]


class Empty(Payload):
    pass


class GoTo(Payload):
    item: str = Field(pattern=r"^[a-z0-9-]{1,64}$")


class Adjust(Payload):
    minutes: int = Field(ge=-120, le=120)


class Lock(Payload):
    locked: bool


class Message_(Payload):
    text: str | None = Field(default=None, max_length=services.MAX_MESSAGE_LENGTH)


class Reset(Payload):
    confirm: str = Field(max_length=64, description="the workshop's slug, typed by the moderator")


class Ping(protocol.Payload):
    pass


# --- who may connect, and stay ---------------------------------------------------------


@feature.identifies("display")
def _display(db: Session, auth: dict[str, Any]) -> Principal:
    token = str(auth.get("token", ""))[:64]
    workshop_id = db.scalar(select(LiveState.workshop_id).where(LiveState.display_token == token))
    if not token or workshop_id is None:
        raise Refused(protocol.FORBIDDEN, "no such display")
    return Principal("display", workshop_id)


@feature.identifies("moderator")
def _moderator(db: Session, auth: dict[str, Any]) -> Principal:
    # Log-in first, as the pages do: a visitor learns nothing of which workshops exist.
    user = current_account()
    if user is None:
        raise Refused("login_required", "log in first")
    workshop = find_workshop(db, str(auth.get("workshop", ""))[:64])
    if workshop is None:
        raise Refused(protocol.FORBIDDEN, "no such workshop")
    try:
        require_role(db, user, workshop, CAN_RUN)
    except AccountError as exc:
        raise Refused(protocol.FORBIDDEN, "you may not run this workshop") from exc
    return Principal("moderator", workshop.id, user_id=user.id)


@feature.guard
def _still_allowed(db: Session, principal: Principal) -> None:
    """Every event re-checks: a deleted workshop, or a moderator whose role was taken away."""
    if principal.kind == "participant":
        return  # participation's guard
    workshop = db.get(Workshop, principal.workshop_id)
    if workshop is None:
        raise Refused(protocol.FORBIDDEN, "this workshop no longer exists")
    keep(db, workshop)
    if principal.kind == "moderator":
        user = db.get(User, principal.user_id)
        try:
            if user is None:
                raise AccountError("forbidden")
            require_role(db, user, workshop, CAN_RUN)
        except AccountError as exc:
            raise Refused(protocol.FORBIDDEN, "you may no longer run this workshop") from exc
        keep(db, user)


def _run(ctx: Context) -> tuple[User, Workshop]:
    """The moderator and the workshop; the guard loaded both, so no query."""
    user = ctx.db.get(User, ctx.principal.user_id)
    workshop = ctx.db.get(Workshop, ctx.principal.workshop_id)
    assert user is not None and workshop is not None
    return user, workshop


# --- the moderators' controls ------------------------------------------------------------


@feature.mutation("live.start", Empty, MODERATORS)
def _start(ctx: Context, _: Empty) -> Result:
    return None, services.start(ctx.db, *_run(ctx), ctx.now)


@feature.mutation("live.goto", GoTo, MODERATORS)
def _goto(ctx: Context, data: GoTo) -> Result:
    return None, services.go_to(ctx.db, *_run(ctx), data.item, ctx.now)


@feature.mutation("live.next", Empty, MODERATORS)
def _next(ctx: Context, _: Empty) -> Result:
    return None, services.next_item(ctx.db, *_run(ctx), ctx.now)


@feature.mutation("live.end", Empty, MODERATORS)
def _end(ctx: Context, _: Empty) -> Result:
    return None, services.end(ctx.db, *_run(ctx), ctx.now)


@feature.mutation("timer.pause", Empty, MODERATORS)
def _pause(ctx: Context, _: Empty) -> Result:
    return None, services.pause_timer(ctx.db, *_run(ctx), ctx.now)


@feature.mutation("timer.resume", Empty, MODERATORS)
def _resume(ctx: Context, _: Empty) -> Result:
    return None, services.resume_timer(ctx.db, *_run(ctx), ctx.now)


@feature.mutation("timer.adjust", Adjust, MODERATORS)
def _adjust(ctx: Context, data: Adjust) -> Result:
    return None, services.adjust_timer(ctx.db, *_run(ctx), data.minutes, ctx.now)


@feature.mutation("timer.reset", Empty, MODERATORS)
def _reset(ctx: Context, _: Empty) -> Result:
    return None, services.reset_timer(ctx.db, *_run(ctx), ctx.now)


@feature.mutation("joining.lock", Lock, MODERATORS)
def _lock(ctx: Context, data: Lock) -> Result:
    return None, services.lock_joining(ctx.db, *_run(ctx), data.locked)


@feature.mutation("message.broadcast", Message_, MODERATORS)
def _message(ctx: Context, data: Message_) -> Result:
    return None, services.set_message(ctx.db, *_run(ctx), data.text, ctx.now)


@feature.mutation("live.reset", Reset, MODERATORS)
def _reset_run(ctx: Context, data: Reset) -> Result:
    return None, services.reset(ctx.db, *_run(ctx), data.confirm)


@feature.query("clock.ping", Ping, EVERYONE, guarded=False)
def _ping(_ctx: Context, _: Ping) -> dict[str, Any]:
    """The server's clock, for screens to agree on timers within a second."""
    return {"server_ms": ms(utcnow())}


# --- on the wire ---------------------------------------------------------------------------


@feature.renders(LiveChanged, "live.state", "live.runs")
def _live_changed(ctx: RenderContext, event: LiveChanged) -> list[Message]:
    state = ctx.db.get(LiveState, event.workshop_id)
    assert state is not None
    ctx.db.flush()
    runs = item_runs(ctx.db, state.workshop)
    return [
        Message(
            "live.state",
            {"live": live_view(state), "server_ms": ms(ctx.now)},
            everyone(event.workshop_id),
        ),
        Message("live.runs", runs_payload(state, runs), moderators(event.workshop_id)),
    ]


# After a reset every screen takes a new snapshot, each at a random moment within this
# much a participant (a room of a thousand within 12 s, as a breakout round's opening).
RESYNC_SPREAD_PER_PHONE_MS = 12
RESYNC_SPREAD_MAX_MS = 15_000


@feature.renders(RunReset, "live.cleared")
def _run_reset(ctx: RenderContext, event: RunReset) -> list[Message]:
    """Every screen drops what the rehearsal left and asks for the whole picture again."""
    phones = ctx.db.scalar(
        select(func.count(Participant.id)).where(Participant.workshop_id == event.workshop_id)
    )
    within = min(RESYNC_SPREAD_MAX_MS, (phones or 0) * RESYNC_SPREAD_PER_PHONE_MS)
    return [Message("live.cleared", {"sync_within_ms": within}, everyone(event.workshop_id))]


@feature.renders(DisplayTokenRotated, "display.changed")
def _display_changed(ctx: RenderContext, event: DisplayTokenRotated) -> list[Message]:
    """The consoles get the new display link; projectors of the old one are closed."""
    state = ctx.db.get(LiveState, event.workshop_id)
    assert state is not None
    return [
        Message(
            "display.changed",
            {"display_token": state.display_token},
            moderators(event.workshop_id),
        )
    ]


@feature.after_commit(DisplayTokenRotated)
def _close_old_displays(effects: Effects, event: DisplayTokenRotated) -> None:
    effects.kick(event.workshop_id, kind="display")


@feature.after_commit(AccessRevoked)
def _close_revoked_consoles(effects: Effects, event: AccessRevoked) -> None:
    effects.kick(event.workshop_id, kind="moderator", user_id=event.user_id)


@feature.after_commit(WorkshopDeleted)
def _close_every_screen(effects: Effects, event: WorkshopDeleted) -> None:
    effects.kick(event.workshop_id)


@feature.renders(AgendaLoaded, "program.changed")
def _agenda_loaded(ctx: RenderContext, event: AgendaLoaded) -> list[Message]:
    """A re-uploaded agenda reaches open screens at once, without a reload."""
    ctx.db.flush()
    program = workshop_view(load_program(ctx.db, event.workshop_id))
    return [Message("program.changed", {"workshop": program}, everyone(event.workshop_id))]


def runs_payload(state: LiveState, runs: list[ItemRun]) -> dict[str, Any]:
    """What actually ran, and what a jump passed over (the record's planned vs actual)."""
    return {
        "runs": runs_view(runs),
        "skipped": services.skipped_items(state.workshop, runs, state.current_item),
    }


def _programs(ctx: SnapshotContext) -> ProgramCache:
    cache: ProgramCache = ctx.cache.setdefault("live.programs", ProgramCache())
    return cache


@feature.snapshot
def _snapshot(ctx: SnapshotContext) -> dict[str, Any]:
    # The live row with its workshop in one query; the program then comes from the cache.
    state = ctx.db.get(
        LiveState, ctx.principal.workshop_id, options=[joinedload(LiveState.workshop)]
    )
    workshop, program = _programs(ctx).workshop(ctx.db, ctx.principal.workshop_id)
    if state is None:  # the first sync of a workshop makes its live row
        state = live_state(ctx.db, workshop)
    data: dict[str, Any] = {
        "workshop": program,
        "live": live_view(state),
        "join": join_view(state, ctx.base_url),
    }
    if ctx.principal.kind == "moderator":
        data.update(runs_payload(state, item_runs(ctx.db, workshop)))
        data["display_token"] = state.display_token
    return data
