"""Forming and running breakout groups on the realtime channel: the moderators' and the
participants' moves (preview, open, move, choose, join, groups, help, messages, timers,
close, gallery, report-back, end) and the `breakouts.board` query. Who follows which
group, the renders, the overview tally and the snapshot are in `following.py`, the
boards' events in `board_events.py`, all on the same feature object.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import Field
from sqlalchemy.orm import Session

from facilitator.breakouts import board_wire, opening, placing, rounds, running, wire
from facilitator.breakouts.feature import feature
from facilitator.breakouts.models import (
    MAX_GROUP_NAME,
    MAX_MEETING_URL,
    MAX_MESSAGE,
    BreakoutGroup,
    BreakoutRound,
)
from facilitator.breakouts.rounds import MAX_GROUPS, BreakoutRefused, Rule
from facilitator.breakouts.running import MAX_TIMER_S
from facilitator.live.services import RunReset
from facilitator.participation.senders import sender_participant, sender_workshop
from facilitator.realtime import protocol
from facilitator.realtime.connections import EVERYONE, MODERATORS, PARTICIPANTS, Kind
from facilitator.realtime.protocol import Mutation as Payload
from facilitator.realtime.registry import Context, Refused
from facilitator.realtime.runtime import current

__all__ = ["feature"]

KEY = r"^[a-z0-9-]{1,64}$"
MEMBERS_OR_MODERATORS: frozenset[Kind] = frozenset({"moderator", "participant"})

Result = tuple[Any, Sequence[object]]
Id = Annotated[int, Field(ge=1, le=protocol.MAX_INT)]
BlockKey = Annotated[str, Field(pattern=KEY)]
Blocks = Annotated[list[BlockKey], Field(max_length=50)]

# --- payloads ----------------------------------------------------------------------------


class Preview(Payload):
    item: str | None = Field(default=None, pattern=KEY)
    mode: Literal["random", "self", "language", "stakeholder", "manual"]
    groups: int | None = Field(default=None, ge=1, le=MAX_GROUPS)
    size: int | None = Field(default=None, ge=1, le=1000)
    max_size: int | None = Field(default=None, ge=1, le=1000)
    blocks: Blocks | None = None


class Move(Payload):
    participant: Id
    group: Id | None


class GroupEdit(Payload):
    group: Id
    name: str | None = Field(default=None, max_length=MAX_GROUP_NAME)
    blocks: Blocks | None = None
    meeting_url: str | None = Field(default=None, max_length=MAX_MEETING_URL)


class GroupAdd(Payload):
    name: str | None = Field(default=None, max_length=MAX_GROUP_NAME)
    blocks: Blocks | None = None


class OneGroup(Payload):
    group: Id


class Rapporteur(Payload):
    group: Id
    participant: Id | None


class Empty(Payload):
    pass


class HelpAnswer(Payload):
    request: Id


class Broadcast(Payload):
    text: str = Field(min_length=1, max_length=MAX_MESSAGE)
    group: Id | None = None


class Timer(Payload):
    seconds: int = Field(ge=0, le=MAX_TIMER_S)
    group: Id | None = None


class TimeAdd(Payload):
    seconds: int = Field(ge=-3600, le=3600)
    group: Id | None = None


class Close(Payload):
    seconds: int = Field(default=running.DEFAULT_CLOSE_S, ge=0, le=3600)


class Gallery(Payload):
    open: bool


class Report(Payload):
    group: Id | None
    cycle: bool = False


class Board(protocol.Payload):
    group: Id


# --- helpers -------------------------------------------------------------------------------


def _round(ctx: Context) -> BreakoutRound:
    return rounds.require_round(ctx.db, ctx.principal.workshop_id, ctx.now)


def _online(workshop_id: int) -> set[int]:
    """Who of the workshop is connected now, on every worker."""
    return set(current().board.here(workshop_id).participants)


# --- forming ---------------------------------------------------------------------------------


@feature.mutation("breakouts.preview", Preview, MODERATORS)
def _preview(ctx: Context, data: Preview) -> Result:
    round_, events = opening.preview(
        ctx.db,
        sender_workshop(ctx),
        Rule(data.mode, data.groups, data.size, data.max_size),
        now=ctx.now,
        item=data.item,
        blocks=data.blocks,
        present=_online(ctx.principal.workshop_id),
    )
    return {"round": round_.id}, events


@feature.mutation("breakouts.move", Move, MODERATORS)
def _move(ctx: Context, data: Move) -> Result:
    return None, placing.move(ctx.db, _round(ctx), data.participant, data.group, ctx.now)


@feature.mutation("breakouts.group.edit", GroupEdit, MODERATORS)
def _group_edit(ctx: Context, data: GroupEdit) -> Result:
    return None, placing.edit_group(
        ctx.db,
        _round(ctx),
        data.group,
        name=data.name,
        blocks=data.blocks,
        meeting_url=data.meeting_url,
        set_url="meeting_url" in data.model_fields_set,
    )


@feature.mutation("breakouts.group.add", GroupAdd, MODERATORS)
def _group_add(ctx: Context, data: GroupAdd) -> Result:
    added, events = placing.add_group(
        ctx.db, _round(ctx), name=data.name, blocks=data.blocks, now=ctx.now
    )
    return {"group": added.id}, events


@feature.mutation("breakouts.group.remove", OneGroup, MODERATORS)
def _group_remove(ctx: Context, data: OneGroup) -> Result:
    return None, placing.remove_group(ctx.db, _round(ctx), data.group, ctx.now)


@feature.mutation("breakouts.rapporteur", Rapporteur, MEMBERS_OR_MODERATORS)
def _rapporteur(ctx: Context, data: Rapporteur) -> Result:
    by = ctx.principal.participant_id if ctx.principal.kind == "participant" else None
    return None, placing.set_rapporteur(
        ctx.db, _round(ctx), data.group, data.participant, by_participant=by
    )


@feature.mutation("breakouts.open", Empty, MODERATORS)
def _open(ctx: Context, _: Empty) -> Result:
    return None, opening.open_round(ctx.db, _round(ctx), ctx.now)


@feature.mutation("breakouts.choose", OneGroup, PARTICIPANTS)
def _choose(ctx: Context, data: OneGroup) -> Result:
    return {"group": data.group}, placing.choose(
        ctx.db, _round(ctx), sender_participant(ctx), data.group, ctx.now
    )


@feature.mutation("breakouts.join", Empty, PARTICIPANTS)
def _join(ctx: Context, _: Empty) -> Result:
    placed, events = placing.join(ctx.db, _round(ctx), sender_participant(ctx), ctx.now)
    return {"group": placed}, events


# --- running ----------------------------------------------------------------------------------


@feature.mutation("breakouts.help", Empty, PARTICIPANTS)
def _help(ctx: Context, _: Empty) -> Result:
    request, events = running.call_help(ctx.db, _round(ctx), sender_participant(ctx), ctx.now)
    return {"request": request.id}, events


@feature.mutation("breakouts.help.answer", HelpAnswer, MODERATORS)
def _help_answer(ctx: Context, data: HelpAnswer) -> Result:
    return None, running.answer_help(ctx.db, ctx.principal.workshop_id, data.request, ctx.now)


@feature.mutation("breakouts.message", Broadcast, MODERATORS)
def _message(ctx: Context, data: Broadcast) -> Result:
    sent, events = running.send_message(ctx.db, _round(ctx), data.text, data.group, ctx.now)
    return {"message": sent.id}, events


@feature.mutation("breakouts.timer", Timer, MODERATORS)
def _timer(ctx: Context, data: Timer) -> Result:
    return None, running.set_timer(ctx.db, _round(ctx), data.seconds, data.group, ctx.now)


@feature.mutation("breakouts.time.add", TimeAdd, MODERATORS)
def _time_add(ctx: Context, data: TimeAdd) -> Result:
    return None, running.add_time(ctx.db, _round(ctx), data.seconds, data.group, ctx.now)


@feature.mutation("breakouts.close", Close, MODERATORS)
def _close(ctx: Context, data: Close) -> Result:
    return None, running.close(ctx.db, _round(ctx), data.seconds, ctx.now)


@feature.mutation("breakouts.reopen", Empty, MODERATORS)
def _reopen(ctx: Context, _: Empty) -> Result:
    return None, running.reopen(ctx.db, _round(ctx), ctx.now)


@feature.mutation("breakouts.gallery", Gallery, MODERATORS)
def _gallery(ctx: Context, data: Gallery) -> Result:
    return None, running.set_gallery(ctx.db, _round(ctx), data.open)


@feature.mutation("breakouts.report", Report, MODERATORS)
def _report(ctx: Context, data: Report) -> Result:
    return None, running.report(ctx.db, _round(ctx), data.group, data.cycle)


@feature.mutation("breakouts.end", Empty, MODERATORS)
def _end(ctx: Context, _: Empty) -> Result:
    return None, running.end(ctx.db, _round(ctx), ctx.now)


@feature.along(RunReset)
def _clear_rehearsal(db: Session, event: RunReset) -> list[object]:
    """A reset after a rehearsal takes its breakout groups away; every screen resyncs."""
    rounds.clear(db, event.workshop_id)
    return []


@feature.query("breakouts.board", Board, EVERYONE)
def _board(ctx: Context, data: Board) -> dict[str, Any]:
    """One group's detail and whole board, for whoever may read it: its members, the
    moderators, every participant during a gallery walk, a display the group presented."""
    found = ctx.db.get(BreakoutGroup, data.group)
    if found is None or found.workshop_id != ctx.principal.workshop_id:
        raise BreakoutRefused("unknown_group")
    if not board_wire.may_read(ctx.db, found, ctx.principal):
        raise Refused(protocol.FORBIDDEN, "not a board you may read")
    online = _online(found.workshop_id) if ctx.principal.kind == "moderator" else None
    return {
        "group": wire.group_detail(ctx.db, found, online),
        "board": board_wire.board_view(ctx.db, found, ctx.principal, ctx.now),
    }


from facilitator.breakouts import following  # noqa: E402, F401  (joins, renders, snapshot)

# isort: split
from facilitator.breakouts import board_events  # noqa: E402, F401  (the boards, same feature)
