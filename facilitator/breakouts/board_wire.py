"""A breakout group's board on the wire: the shapes of cards, blocks, the synthesis and the
self-assessment's distribution, and who may read a board and the board as a viewer sees it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from facilitator.agenda.models import GuidelineBlock, Workshop
from facilitator.breakouts import hot
from facilitator.breakouts.board_authors import Authors, author_key, authors
from facilitator.breakouts.board_models import Assessment, Card, CardVote, Synthesis
from facilitator.breakouts.board_rules import (
    BoardRefused,
    Viewer,
    blocks_of,
    held_row,
    is_member,
    is_moderator,
    is_open,
    round_of,
)
from facilitator.breakouts.models import BreakoutGroup
from facilitator.database import utcnow
from facilitator.participation.models import Participant

# --- the wire's shapes ----------------------------------------------------------------------


def ms(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


def card_view(card: Card, votes: int, who: Authors) -> dict[str, Any]:
    """A card as screens get it. A removed (or hidden) card says only that it is gone."""
    if who.hidden(card):
        return {
            "id": card.id,
            "block": card.block_key,
            "column": card.column,
            "position": card.position,
            "text": "",
            "author": None,
            "author_key": None,
            "version": card.version,
            "cluster": None,
            "votes": 0,
            "removed": True,
        }
    return {
        "id": card.id,
        "block": card.block_key,
        "column": card.column,
        "position": card.position,
        "text": card.text,
        "author": who.name(card),
        "author_key": who.key(card),
        "version": card.version,
        "cluster": card.cluster_id,
        "votes": votes,
        "removed": False,
    }


def card_votes(db: Session, card_id: int) -> int:
    """Votes on one card (for `breakouts.votes`): counted, removed participants' left out."""
    return hot.card_votes(db, card_id)


def vote_counts(
    db: Session, group_id: int, card_ids: Iterable[int] | None = None
) -> dict[int, int]:
    """Votes per card of a group: COUNTs of rows, removed participants' left out."""
    query = (
        select(CardVote.card_id, func.count(CardVote.id))
        .join(Participant, Participant.id == CardVote.participant_id)
        .where(CardVote.group_id == group_id, Participant.removed_at.is_(None))
        .group_by(CardVote.card_id)
    )
    if card_ids is not None:
        query = query.where(CardVote.card_id.in_(list(card_ids)))
    return {card: n for card, n in db.execute(query)}


def cards_view(
    db: Session, workshop_id: int, card_ids: Iterable[int], *, new: bool = False
) -> list[dict[str, Any]]:
    """The given cards on the wire's shape, in id order (for `breakouts.card`). Rows the
    unit of work already holds (the card just written, its author) are not read again;
    `new`: the cards were added in it, so they have no votes to count."""
    wanted = sorted(set(card_ids))
    held = {i: c for i in wanted if isinstance(c := held_row(db, Card, i), Card)}
    missing = [i for i in wanted if i not in held]
    if missing:
        held.update((c.id, c) for c in db.scalars(select(Card).where(Card.id.in_(missing))))
    cards = [held[i] for i in wanted if i in held]
    if not cards:
        return []
    who = authors(db, workshop_id, cards)
    if new:
        votes: dict[int, int] = {}
    elif len(cards) == 1:
        votes = {cards[0].id: hot.card_votes(db, cards[0].id)}
    else:
        votes = vote_counts(db, cards[0].group_id, [c.id for c in cards])
    return [card_view(c, votes.get(c.id, 0), who) for c in cards]


def visible_cards(db: Session, group_id: int) -> list[Card]:
    return list(
        db.scalars(
            select(Card)
            .outerjoin(Participant, Participant.id == Card.author_participant_id)
            .where(
                Card.group_id == group_id,
                Card.removed.is_(False),
                or_(Card.author_participant_id.is_(None), Participant.removed_at.is_(None)),
            )
            .order_by(Card.block_key, Card.column, Card.position, Card.id)
        )
    )


def pick(text: Mapping[str, str] | None, language: str | None, default: str) -> str:
    """The agenda's text in the viewer's language when it has it, else the default."""
    if not text:
        return ""
    for candidate in (language, default):
        if candidate and candidate in text:
            return text[candidate]
    if language:
        for key, value in text.items():
            if key.split("-")[0] == language.split("-")[0]:
                return value
    return next(iter(text.values()), "")


def block_view(block: GuidelineBlock, language: str | None, default: str) -> dict[str, Any]:
    """A block's title, its prompts (the board's columns) and its assessment scale, in the
    viewer's language where the agenda has them."""
    scale = block.assessment
    return {
        "key": block.key,
        "title": pick(block.title, language, default),
        "prompts": [pick(p, language, default) for p in (block.prompts or [])]
        or [pick(block.title, language, default)],
        "assessment": None
        if not scale
        else {
            "min": scale["min"],
            "max": scale["max"],
            "min_label": pick(scale.get("min_label"), language, default) or None,
            "max_label": pick(scale.get("max_label"), language, default) or None,
        },
    }


def synthesis_view(db: Session, group_id: int) -> dict[str, Any]:
    row = db.scalar(select(Synthesis).where(Synthesis.group_id == group_id))
    if row is None:
        return {"group": group_id, "text": "", "version": 0, "by": None}
    return {"group": group_id, "text": row.text, "version": row.version, "by": row.updated_by}


@dataclass(frozen=True)
class Distribution:
    """A block's self-assessments in one group (or the room): value -> count, and the mean."""

    block_key: str
    counts: dict[int, int]
    count: int
    mean: float | None

    def wire(self, group_id: int) -> dict[str, Any]:
        return {
            "group": group_id,
            "block": self.block_key,
            "distribution": {str(v): n for v, n in sorted(self.counts.items())},
            "count": self.count,
            "mean": self.mean,
        }


def distribution_of(block_key: str, values: Iterable[int]) -> Distribution:
    counts = Counter(values)
    n = sum(counts.values())
    mean = round(sum(v * c for v, c in counts.items()) / n, 2) if n else None
    return Distribution(block_key, dict(counts), n, mean)


def distribution(db: Session, group_id: int, block_key: str) -> Distribution:
    values = db.scalars(
        select(Assessment.value)
        .join(Participant, Participant.id == Assessment.participant_id)
        .where(
            Assessment.group_id == group_id,
            Assessment.block_key == block_key,
            Participant.removed_at.is_(None),
        )
    )
    return distribution_of(block_key, values)


# --- reading a board ----------------------------------------------------------------------------


def may_read(db: Session, group: BreakoutGroup, viewer: Viewer) -> bool:
    """Members and moderators; every participant while the gallery walk is open; a display
    the group presented in report-back."""
    if group.workshop_id != viewer.workshop_id:
        return False
    if is_moderator(viewer):
        return True
    board_round = round_of(db, group)
    if viewer.kind == "display":
        return board_round.report_group_id == group.id
    if viewer.kind != "participant":
        return False
    return is_member(db, group.id, viewer.participant_id) or board_round.gallery


def board_view(
    db: Session, group: BreakoutGroup, viewer: Viewer, now: datetime | None = None
) -> dict[str, Any]:
    """The whole board of one group as `viewer` may see it (refused `forbidden` otherwise):
    its blocks and their prompts (the columns) in the viewer's language, the cards (removed
    ones and removed participants' left out), votes, the viewer's own votes and votes left,
    the self-assessments (the viewer's own and the group's distribution), the synthesis,
    and whether the viewer may write now."""
    board_round = round_of(db, group)
    # A member is asked once (may_read asks it of a participant too).
    member = viewer.kind == "participant" and is_member(db, group.id, viewer.participant_id)
    if group.workshop_id != viewer.workshop_id or not (member or may_read(db, group, viewer)):
        raise BoardRefused("forbidden")
    workshop = db.get(Workshop, group.workshop_id)
    assert workshop is not None
    default = workshop.default_language
    language = viewer.language or default
    blocks = blocks_of(db, group.workshop_id, group.block_keys)
    cards = visible_cards(db, group.id)
    # A board just opened has no cards: no authors, votes or dots to read (a thousand
    # phones resync at once then).
    who = authors(db, group.workshop_id, cards) if cards else Authors(anonymous=False)
    votes = vote_counts(db, group.id) if cards else {}
    me: Participant | None = (
        db.get(Participant, viewer.participant_id) if viewer.participant_id else None
    )
    my_votes: list[int] = []
    mine: dict[str, int] = {}
    if member and me is not None:
        my_votes = (
            list(
                db.scalars(
                    select(CardVote.card_id)
                    .where(CardVote.group_id == group.id, CardVote.participant_id == me.id)
                    .order_by(CardVote.card_id)
                )
            )
            if cards
            else []
        )
        mine = dict(
            db.execute(
                select(Assessment.block_key, Assessment.value).where(
                    Assessment.round_id == board_round.id, Assessment.participant_id == me.id
                )
            ).all()
        )
    assessments = {}
    for key in group.block_keys:
        block = blocks.get(key)
        if block is not None and block.assessment:
            d = distribution(db, group.id, key).wire(group.id)
            d["mine"] = mine.get(key)
            assessments[key] = d
    writable = (is_moderator(viewer) or member) and is_open(board_round, now or utcnow())
    return {
        "group": group.id,
        "phase": group.phase,
        "phase_deadline_ms": ms(group.phase_deadline),
        "blocks": [
            block_view(blocks[k], language, default) for k in group.block_keys if k in blocks
        ],
        "cards": [card_view(c, votes.get(c.id, 0), who) for c in cards],
        "me": author_key(me) if member and me is not None else None,
        "my_votes": my_votes,
        "votes_per_member": board_round.votes_per_member,
        "votes_left": max(0, board_round.votes_per_member - len(my_votes)) if member else None,
        "assessment": assessments,
        "synthesis": synthesis_view(db, group.id),
        "writable": writable,
    }
