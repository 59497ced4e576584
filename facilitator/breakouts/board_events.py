"""The boards of breakout groups on the realtime channel: cards, clusters, phases, dot
votes, self-assessment and the synthesis; each change goes to its group's stream only
(`rooms.group`: the group's members and the moderators), never to another group.

Who may do what is checked by the services (`board_cards`, `board_services`): the
mechanism lets moderators and participants send, and a participant who is not a member of
the group is refused `forbidden` there. Card writes and votes of participants have
per-participant budgets of their own (as `questions/limits.py` does for answers and Q&A).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from flask import current_app
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from pydantic import Field

from facilitator.breakouts import board_cards, board_rules, board_services, board_wire
from facilitator.breakouts.board_models import MAX_CARD, MAX_SYNTHESIS
from facilitator.breakouts.board_rules import (
    AssessmentChanged,
    CardChanged,
    Conflict,
    SynthesisChanged,
    VotesChanged,
)
from facilitator.breakouts.feature import feature
from facilitator.breakouts.models import PHASES
from facilitator.ratelimits import SCHEME
from facilitator.realtime import protocol
from facilitator.realtime.connections import MODERATORS, PARTICIPANTS
from facilitator.realtime.protocol import Mutation as Payload
from facilitator.realtime.registry import Context, Effects, Message, Refused, RenderContext
from facilitator.realtime.rooms import group as group_audience

Result = tuple[Any, Sequence[object]]
Id = Annotated[int, Field(ge=1, le=protocol.MAX_INT)]
Block = Annotated[str, Field(pattern=r"^[a-z0-9-]{1,64}$")]
Column = Annotated[int, Field(ge=0, le=99)]
Version = Annotated[int, Field(ge=0, le=protocol.MAX_INT)]
Phase = Literal["write", "cluster", "vote", "synthesise"]
assert set(PHASES) == {"write", "cluster", "vote", "synthesise"}
WRITERS = MODERATORS | PARTICIPANTS
OVERVIEW = "breakouts.overview"  # the moderators' tally of every group (following.py)


class CardAdd(Payload):
    group: Id
    block: Block
    column: Column
    text: str = Field(min_length=1, max_length=MAX_CARD)


class CardEdit(Payload):
    card: Id
    text: str = Field(min_length=1, max_length=MAX_CARD)
    version: Version


class CardOne(Payload):
    card: Id


class CardMove(Payload):
    card: Id
    column: Column
    block: Block | None = None


class CardMerge(Payload):
    card: Id
    into: Id


class CardVotePayload(Payload):
    card: Id
    voted: bool


class PhasePayload(Payload):
    phase: Phase
    group: Id | None = None
    deadline_s: Annotated[int, Field(ge=0, le=board_rules.MAX_DEADLINE_S)] | None = None
    votes: Annotated[int, Field(ge=1, le=board_rules.MAX_VOTES)] | None = None


class AssessPayload(Payload):
    block: Block
    value: Annotated[int, Field(ge=-1000, le=1000)]


class SynthesisPayload(Payload):
    group: Id
    text: str = Field(max_length=MAX_SYNTHESIS)
    version: Version


# --- per-participant budgets ---------------------------------------------------------------

LIMITS_KEY = "facilitator.board_limits"
BUDGETS = {
    # budget: (setting, default, refusal code)
    "cards": ("BOARD_CARD_RATE", "30/minute", "cards_rate_limited"),
    "votes": ("BOARD_VOTE_RATE", "60/minute", "votes_rate_limited"),
}


class BoardLimits:
    """Card writes and votes per participant, each budget apart; one per app."""

    def __init__(self, config: Any) -> None:
        storage = config.get("MESSAGE_QUEUE") or f"{SCHEME}://"
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage))
        self._items: dict[str, RateLimitItem] = {
            budget: parse(str(config.get(name) or default))
            for budget, (name, default, _code) in BUDGETS.items()
        }

    def allow(self, budget: str, participant_id: int) -> bool:
        return bool(self._limiter.hit(self._items[budget], "board", budget, str(participant_id)))


def check_budget(budget: str, ctx: Context) -> None:
    """Refuse a participant over the budget with its code; moderators have none."""
    participant_id = ctx.principal.participant_id
    if participant_id is None:
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    limits = app.extensions.get(LIMITS_KEY)
    if limits is None:
        limits = app.extensions.setdefault(LIMITS_KEY, BoardLimits(app.config))
    if not limits.allow(budget, participant_id):
        raise Refused(BUDGETS[budget][2], "too many; wait a moment", limit=budget)


# --- mutations ---------------------------------------------------------------------------------
# The writes a whole room makes while it works (cards and dots) are batched: those that
# arrive together share one unit of work and one commit (realtime/batches.py), so a busy
# server spends less on each, however many groups write. Adding and editing a card and a
# dot check everything before they write (`checks_first`: board_cards.add_card,
# edit_card, board_services.vote), so their batches need no savepoint per write.


@feature.mutation("breakouts.card.add", CardAdd, WRITERS, batched=True, checks_first=True)
def _card_add(ctx: Context, data: CardAdd) -> Result:
    check_budget("cards", ctx)
    card, events = board_cards.add_card(
        ctx.db, ctx.principal, data.group, data.block, data.column, data.text, ctx.now
    )
    return {"card": card.id, "version": card.version}, events


@feature.mutation("breakouts.card.edit", CardEdit, WRITERS, batched=True, checks_first=True)
def _card_edit(ctx: Context, data: CardEdit) -> Result:
    check_budget("cards", ctx)
    try:
        card, events = board_cards.edit_card(
            ctx.db, ctx.principal, data.card, data.text, data.version, ctx.now
        )
    except Conflict as conflict:
        raise Refused(
            "conflict",
            "the card changed since that version: both texts are here",
            card=conflict.current,
            yours=conflict.yours,
        ) from conflict
    return {"card": card.id, "version": card.version}, events


@feature.mutation("breakouts.card.remove", CardOne, WRITERS)
def _card_remove(ctx: Context, data: CardOne) -> Result:
    check_budget("cards", ctx)
    return {"card": data.card}, board_cards.remove_card(ctx.db, ctx.principal, data.card, ctx.now)


@feature.mutation("breakouts.card.move", CardMove, WRITERS, batched=True)
def _card_move(ctx: Context, data: CardMove) -> Result:
    check_budget("cards", ctx)
    events = board_cards.move_card(
        ctx.db, ctx.principal, data.card, data.column, data.block, ctx.now
    )
    return {"card": data.card}, events


@feature.mutation("breakouts.card.merge", CardMerge, WRITERS)
def _card_merge(ctx: Context, data: CardMerge) -> Result:
    check_budget("cards", ctx)
    return {"card": data.card}, board_cards.merge_cards(
        ctx.db, ctx.principal, data.card, data.into, ctx.now
    )


@feature.mutation("breakouts.card.unmerge", CardOne, WRITERS)
def _card_unmerge(ctx: Context, data: CardOne) -> Result:
    check_budget("cards", ctx)
    return {"card": data.card}, board_cards.unmerge_card(ctx.db, ctx.principal, data.card, ctx.now)


@feature.mutation("breakouts.vote", CardVotePayload, PARTICIPANTS, batched=True, checks_first=True)
def _vote(ctx: Context, data: CardVotePayload) -> Result:
    check_budget("votes", ctx)
    return board_services.vote(ctx.db, ctx.principal, data.card, data.voted, ctx.now)


@feature.mutation("breakouts.phase", PhasePayload, WRITERS)
def _phase(ctx: Context, data: PhasePayload) -> Result:
    groups, events = board_services.set_phase(
        ctx.db, ctx.principal, data.phase, data.group, data.deadline_s, ctx.now, data.votes
    )
    return {"phase": data.phase, "groups": [g.id for g in groups]}, events


@feature.mutation("breakouts.assess", AssessPayload, PARTICIPANTS)
def _assess(ctx: Context, data: AssessPayload) -> Result:
    check_budget("votes", ctx)
    _distribution, events = board_services.assess(
        ctx.db, ctx.principal, data.block, data.value, ctx.now
    )
    return {"block": data.block, "value": data.value}, events


@feature.mutation("breakouts.synthesis", SynthesisPayload, WRITERS)
def _synthesis(ctx: Context, data: SynthesisPayload) -> Result:
    try:
        view, events = board_services.write_synthesis(
            ctx.db, ctx.principal, data.group, data.text, data.version, ctx.now
        )
    except Conflict as conflict:
        raise Refused(
            "conflict",
            "the synthesis changed since that version: both texts are here",
            synthesis=conflict.current,
            yours=conflict.yours,
        ) from conflict
    return {"group": data.group, "version": view["version"]}, events


# --- on the wire: each to its group's stream ----------------------------------------------------


@feature.renders(CardChanged, "breakouts.card")
def _card(ctx: RenderContext, event: CardChanged) -> list[Message]:
    audience = group_audience(event.workshop_id, event.group_id)
    return [
        Message("breakouts.card", {"card": view}, audience)
        for view in board_wire.cards_view(ctx.db, event.workshop_id, event.card_ids, new=event.new)
    ]


@feature.renders(VotesChanged, "breakouts.votes")
def _votes(ctx: RenderContext, event: VotesChanged) -> list[Message]:
    return [
        Message(
            "breakouts.votes",
            {"card": event.card_id, "votes": board_wire.card_votes(ctx.db, event.card_id)},
            group_audience(event.workshop_id, event.group_id),
        )
    ]


@feature.renders(AssessmentChanged, "breakouts.assessment")
def _assessment(ctx: RenderContext, event: AssessmentChanged) -> list[Message]:
    spread = board_wire.distribution(ctx.db, event.group_id, event.block_key)
    return [
        Message(
            "breakouts.assessment",
            spread.wire(event.group_id),
            group_audience(event.workshop_id, event.group_id),
        )
    ]


@feature.renders(SynthesisChanged, "breakouts.synthesis")
def _synthesis_changed(ctx: RenderContext, event: SynthesisChanged) -> list[Message]:
    return [
        Message(
            "breakouts.synthesis",
            board_wire.synthesis_view(ctx.db, event.group_id),
            group_audience(event.workshop_id, event.group_id),
        )
    ]


@feature.after_commit(CardChanged)
@feature.after_commit(VotesChanged)
@feature.after_commit(SynthesisChanged)
def _recount(effects: Effects, event: CardChanged | VotesChanged | SynthesisChanged) -> None:
    """The moderators' overview counts cards, votes and the synthesis' length."""
    effects.mark(OVERVIEW, event.workshop_id)
