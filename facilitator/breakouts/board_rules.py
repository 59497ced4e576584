"""The rules of a breakout group's board: the refusals, the domain events its writes return,
the lookups and the checks (who may write, whether the round is open, a column, a text) that
the board's services share, and the per-transaction memory their renders read from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from facilitator.agenda.models import GuidelineBlock
from facilitator.breakouts import hot, rounds
from facilitator.breakouts.board_models import Card
from facilitator.breakouts.models import OPEN, PREVIEW, BreakoutGroup, BreakoutRound, GroupMember
from facilitator.domain import DomainError

MAX_DEADLINE_S = 14_400
MAX_VOTES = 20  # dots per member and group
STAFF_KEY = "staff"  # the author key of a card a moderator wrote
# A group's last activity is shown in minutes: rewriting its row on every card and dot of a
# busy board would cost an UPDATE a write for nothing anyone sees.
TOUCH_EVERY = timedelta(seconds=15)
KEPT = "breakouts.kept"  # db.info: rows a write loaded, kept alive for its render
UNIT = "breakouts.unit"  # db.info: (transaction, what this transaction's writes read) below
ANONYMOUS = "anonymous"  # workshop id -> its board authors go unnamed


class BoardRefused(DomainError):
    """A board write or read that is not allowed; `code` says why."""


class Conflict(BoardRefused):
    """An edit made from a version that is no longer the current one.

    `current` is the card (or synthesis) as it is now, on the wire's shape; `yours` is the
    text the second writer sent, so that both texts reach them.
    """

    def __init__(self, current: dict[str, Any], yours: dict[str, Any]) -> None:
        super().__init__("conflict")
        self.current = current
        self.yours = yours


class Viewer(Protocol):
    """Who reads or writes a board: the realtime `Principal` has this shape."""

    @property
    def kind(self) -> str: ...
    @property
    def workshop_id(self) -> int: ...
    @property
    def user_id(self) -> int | None: ...
    @property
    def participant_id(self) -> int | None: ...
    @property
    def language(self) -> str | None: ...


# --- domain events ------------------------------------------------------------------------


@dataclass(frozen=True)
class CardChanged:
    workshop_id: int
    group_id: int
    card_ids: tuple[int, ...]
    new: bool = False  # cards added in this unit of work: nobody has voted on them yet


@dataclass(frozen=True)
class VotesChanged:
    workshop_id: int
    group_id: int
    card_id: int
    participant_id: int


@dataclass(frozen=True)
class AssessmentChanged:
    workshop_id: int
    group_id: int
    block_key: str


@dataclass(frozen=True)
class SynthesisChanged:
    workshop_id: int
    group_id: int


# --- lookups and checks ---------------------------------------------------------------------


def is_moderator(who: Viewer) -> bool:
    return who.kind == "moderator"


def find_group(db: Session, workshop_id: int, group_id: int) -> BreakoutGroup:
    group = db.get(BreakoutGroup, group_id)
    if group is None or group.workshop_id != workshop_id:
        raise BoardRefused("unknown_group")
    return group


def find_card(db: Session, workshop_id: int, card_id: int) -> Card:
    card = db.get(Card, card_id)
    if card is None or card.workshop_id != workshop_id or card.removed:
        raise BoardRefused("unknown_card")
    return card


def round_of(db: Session, group: BreakoutGroup) -> BreakoutRound:
    found = db.get(BreakoutRound, group.round_id)
    assert found is not None  # a group's round is deleted with it (FK cascade)
    return found


def is_member(db: Session, group_id: int, participant_id: int | None) -> bool:
    if participant_id is None:
        return False
    return (
        db.scalar(
            select(GroupMember.id).where(
                GroupMember.group_id == group_id, GroupMember.participant_id == participant_id
            )
        )
        is not None
    )


def is_open(board_round: BreakoutRound, now: datetime) -> bool:
    """Boards take writes while the round is open and its close time has not come."""
    return rounds.is_writable(board_round, now)


def check_open(board_round: BreakoutRound | hot.Scope, now: datetime) -> None:
    state = rounds.round_state(board_round.state, board_round.closes_at, now)
    if state == PREVIEW:
        raise BoardRefused("not_open")  # the groups are not open yet
    if state != OPEN:
        raise BoardRefused("closed")


def check_writer(db: Session, group: BreakoutGroup, who: Viewer, now: datetime) -> BreakoutRound:
    """A member of the group or a moderator, while the round takes writes."""
    if not (is_moderator(who) or is_member(db, group.id, who.participant_id)):
        raise BoardRefused("forbidden")
    board_round = round_of(db, group)
    check_open(board_round, now)
    return board_round


def unit(db: Session, name: str) -> dict[int, Any]:
    """What the writes of the current transaction read, for their renders: it goes with the
    transaction (a session that commits and goes on reads afresh)."""
    transaction = db.get_transaction()
    found: tuple[object, dict[str, dict[int, Any]]] | None = db.info.get(UNIT)
    if found is None or found[0] is not transaction:
        found = db.info[UNIT] = (transaction, {})
    return found[1].setdefault(name, {})


def keep(db: Session, *rows: object) -> None:
    """Keep what a write loaded alive until its render (the identity map holds rows weakly):
    the render of `breakouts.card` then reads the card and its author without a query."""
    db.info.setdefault(KEPT, []).extend(rows)


def is_rapporteur(db: Session, group: BreakoutGroup, who: Viewer) -> bool:
    return (
        who.participant_id is not None
        and group.rapporteur_id == who.participant_id
        and is_member(db, group.id, who.participant_id)
    )


def touch(group: BreakoutGroup, now: datetime) -> None:
    last = group.last_activity_at
    if last is None or now - last >= TOUCH_EVERY or now < last:
        group.last_activity_at = now


def blocks_of(db: Session, workshop_id: int, keys: Iterable[str]) -> dict[str, GuidelineBlock]:
    wanted = list(keys)
    if not wanted:
        return {}
    rows = db.scalars(
        select(GuidelineBlock).where(
            GuidelineBlock.workshop_id == workshop_id, GuidelineBlock.key.in_(wanted)
        )
    )
    return {b.key: b for b in rows}


def block_of(db: Session, group: BreakoutGroup, key: str) -> GuidelineBlock:
    if key not in group.block_keys:
        raise BoardRefused("unknown_block")
    block = blocks_of(db, group.workshop_id, [key]).get(key)
    if block is None:
        raise BoardRefused("unknown_block")
    return block


def columns_of(block: GuidelineBlock) -> int:
    """One column per prompt of the block; a block without prompts has one column."""
    return max(1, len(block.prompts or []))


def check_column(block: GuidelineBlock, column: int) -> None:
    if not 0 <= column < columns_of(block):
        raise BoardRefused("unknown_column")


def clean(text: str, limit: int, code: str) -> str:
    text = text.strip()
    if not text or len(text) > limit:
        raise BoardRefused(code)
    return text


def next_position(db: Session, group_id: int, block_key: str, column: int) -> int:
    last = db.scalar(
        select(func.max(Card.position)).where(
            Card.group_id == group_id, Card.block_key == block_key, Card.column == column
        )
    )
    return 1 if last is None else last + 1


def held_row(db: Session, model: type, ident: int) -> object | None:
    """The row if the session holds it already (with its attributes loaded), else None."""
    found: object | None = db.identity_map.get(db.identity_key(model, ident))
    if found is None or inspect(found).expired_attributes:
        return None
    return found
