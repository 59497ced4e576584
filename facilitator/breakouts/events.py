"""Forming and running breakout groups on the realtime channel.

Who follows which group (`joins`): a participant the group of the current round they are
a member of, once it is open (and while closed, until the end); a moderator every group
of the current round; a display none. A change of membership is announced with
`breakouts.moved` on the participant's stream (their screens resync and so move rooms).
The boards' events are declared in `board_events.py`, on the same feature object.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import Field
from sqlalchemy.orm import Session

from facilitator.breakouts import board_wire, opening, placing, rounds, running, wire
from facilitator.breakouts.changes import (
    GroupChanged,
    HelpChanged,
    MessageSent,
    Moved,
    ReportChanged,
    RoundChanged,
)
from facilitator.breakouts.feature import feature
from facilitator.breakouts.models import (
    MAX_GROUP_NAME,
    MAX_MEETING_URL,
    MAX_MESSAGE,
    BreakoutGroup,
    BreakoutRound,
    GroupMessage,
    HelpRequest,
)
from facilitator.breakouts.rounds import MAX_GROUPS, BreakoutRefused, Rule
from facilitator.breakouts.running import MAX_TIMER_S
from facilitator.database import utcnow
from facilitator.participation.senders import sender_participant, sender_workshop
from facilitator.realtime import protocol
from facilitator.realtime.connections import EVERYONE, MODERATORS, PARTICIPANTS, Kind, Principal
from facilitator.realtime.protocol import Mutation as Payload
from facilitator.realtime.registry import (
    Context,
    Effects,
    Message,
    Refused,
    RenderContext,
    SnapshotContext,
    TallyContext,
)
from facilitator.realtime.rooms import Audience, everyone, group, moderators, participant
from facilitator.realtime.runtime import current

__all__ = ["OVERVIEW", "feature"]

OVERVIEW = "breakouts.overview"
FOLLOWED = "breakouts.followed"  # in a session's info: the group `joins` found, for the snapshot
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


# --- who follows which group ----------------------------------------------------------------


@feature.joins
def _joins(db: Session, principal: Principal) -> list[Audience]:
    w = principal.workshop_id
    if principal.kind == "participant" and principal.participant_id is not None:
        followed = rounds.followed_group(db, w, principal.participant_id)
        db.info[FOLLOWED] = (principal.participant_id, followed)  # the snapshot's, just after
        return [] if followed is None else [group(w, followed)]
    if principal.kind == "moderator":
        return [group(w, g) for g in rounds.current_group_ids(db, w)]
    return []


# --- on the wire ---------------------------------------------------------------------------------


@feature.renders(RoundChanged, "breakouts.changed", "breakouts.forming")
def _round_changed(ctx: RenderContext, event: RoundChanged) -> list[Message]:
    now_current = rounds.current_round(ctx.db, event.workshop_id)
    messages = [
        Message(
            "breakouts.changed",
            {"round": wire.round_view(ctx.db, now_current, ctx.now)},
            everyone(event.workshop_id),
        )
    ]
    if event.members:
        messages.append(
            Message(
                "breakouts.forming",
                wire.forming_view(ctx.db, now_current),
                moderators(event.workshop_id),
            )
        )
    return messages


@feature.renders(GroupChanged, "breakouts.group")
def _group_changed(ctx: RenderContext, event: GroupChanged) -> list[Message]:
    found = ctx.db.get(BreakoutGroup, event.group_id)
    if found is None:  # removed in the same unit of work
        return []
    return [
        Message(
            "breakouts.group",
            wire.group_detail(ctx.db, found),
            group(event.workshop_id, event.group_id),
        )
    ]


@feature.renders(Moved, "breakouts.moved")
def _moved(_ctx: RenderContext, event: Moved) -> list[Message]:
    """Not sequenced: opening a round of a thousand members would otherwise take a thousand
    stream numbers in one transaction (seconds of a held write lock); a phone that misses
    it resyncs when it reconnects anyway, and so finds its group. `sync_within_ms`: the
    phone resyncs at a random moment within it (a mass move: not all in one instant)."""
    return [
        Message(
            "breakouts.moved",
            {"group": event.group_id, "sync_within_ms": event.spread_ms},
            participant(event.workshop_id, event.participant_id),
            sequenced=False,
        )
    ]


@feature.renders(MessageSent, "breakouts.message")
def _message_sent(ctx: RenderContext, event: MessageSent) -> list[Message]:
    sent = ctx.db.get(GroupMessage, event.message_id)
    assert sent is not None
    audience = (
        everyone(event.workshop_id)
        if sent.group_id is None
        else group(event.workshop_id, sent.group_id)
    )
    return [Message("breakouts.message", wire.message_view(sent), audience)]


@feature.renders(HelpChanged, "breakouts.help")
def _help_changed(ctx: RenderContext, event: HelpChanged) -> list[Message]:
    request = ctx.db.get(HelpRequest, event.request_id)
    assert request is not None
    return [
        Message(
            "breakouts.help",
            {"request": wire.help_view(ctx.db, request)},
            moderators(event.workshop_id),
        )
    ]


@feature.renders(ReportChanged, "breakouts.report")
def _report_changed(ctx: RenderContext, event: ReportChanged) -> list[Message]:
    round_ = ctx.db.get(BreakoutRound, event.round_id)
    return [
        Message(
            "breakouts.report",
            {"report": wire.report_view(ctx.db, round_)},
            everyone(event.workshop_id),
        )
    ]


@feature.after_commit(RoundChanged)
@feature.after_commit(GroupChanged)
@feature.after_commit(HelpChanged)
def _recount(effects: Effects, event: RoundChanged | GroupChanged | HelpChanged) -> None:
    effects.mark(OVERVIEW, event.workshop_id)


# Once a second: fifty groups' counts for a glance, not an animation (recounting them
# four times a second was a tenth of the server while a thousand phones wrote).
@feature.tally(OVERVIEW, moderators, on_connection=True, every=1.0)
def _overview(ctx: TallyContext, workshop_id: int) -> dict[str, Any] | None:
    round_ = rounds.current_round(ctx.db, workshop_id)
    if round_ is None:
        return None
    return wire.overview(ctx.db, round_, set(ctx.here(workshop_id).participants))


# --- the snapshot -------------------------------------------------------------------------------


@feature.snapshot
def _snapshot(ctx: SnapshotContext) -> dict[str, Any]:
    """The round for everyone; a member's group and its board; for the moderators every
    group's detail, the forming view, the help requests waiting (boards: `breakouts.board`);
    the report-back."""
    p = ctx.principal
    now = utcnow()
    round_ = rounds.current_round(ctx.db, p.workshop_id)
    part: dict[str, Any] = {
        "round": wire.round_view(ctx.db, round_, now),
        "report": wire.report_view(ctx.db, round_),
    }
    if p.kind == "participant" and p.participant_id is not None:
        known = ctx.db.info.get(FOLLOWED)
        followed = (
            None
            if round_ is None
            else known[1]
            if known is not None and known[0] == p.participant_id
            else rounds.followed_group(ctx.db, p.workshop_id, p.participant_id)
        )
        mine = None if followed is None else ctx.db.get(BreakoutGroup, followed)
        part["group"] = None if mine is None else wire.group_detail(ctx.db, mine)
        part["board"] = None if mine is None else board_wire.board_view(ctx.db, mine, p, now)
    elif p.kind == "moderator":
        online = set(ctx.here(p.workshop_id).participants)
        part["groups"] = [] if round_ is None else wire.group_details(ctx.db, round_, online)
        part["forming"] = wire.forming_view(ctx.db, round_)
        part["help"] = (
            []
            if round_ is None
            else [wire.help_view(ctx.db, r) for r in running.open_help(ctx.db, round_.id)]
        )
    return {"breakouts": part}


from facilitator.breakouts import board_events  # noqa: E402, F401  (the boards, same feature)
