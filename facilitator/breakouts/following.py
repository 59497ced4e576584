"""Who follows which group and what the screens hear of forming and running groups.

Who follows which group (`joins`): a participant the group of the current round they are
a member of, once it is open (and while closed, until the end); a moderator every group
of the current round; a display none. A change of membership is announced with
`breakouts.moved` on the participant's stream (their screens resync and so move rooms).
Here too are the renders of the domain events, the moderators' overview tally and the
snapshot; declared on the feature object of `feature.py`, as `events.py` declares the
moves that cause them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from facilitator.breakouts import board_wire, rounds, running, wire
from facilitator.breakouts.changes import (
    GroupChanged,
    HelpChanged,
    MessageSent,
    Moved,
    ReportChanged,
    RoundChanged,
)
from facilitator.breakouts.feature import feature
from facilitator.breakouts.models import BreakoutGroup, BreakoutRound, GroupMessage, HelpRequest
from facilitator.database import utcnow
from facilitator.realtime.connections import Principal
from facilitator.realtime.registry import (
    Effects,
    Message,
    RenderContext,
    SnapshotContext,
    TallyContext,
)
from facilitator.realtime.rooms import Audience, everyone, group, moderators, participant

__all__ = ["OVERVIEW"]

OVERVIEW = "breakouts.overview"
FOLLOWED = "breakouts.followed"  # in a session's info: the group `joins` found, for the snapshot


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
