"""The statements of a board's hot path, built once: what a card write or a dot reads and
writes while a thousand phones work on their boards (the bench: one every 5 s per phone).

Each is a Core statement over the tables with bound parameters, made at import: no ORM
objects for the group and round (their columns are all a write needs), no statement
built, no cache key computed per write. `board_cards` and `board_services` check and write
with them; what they return and send is the same as through the ORM.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Integer, String, Table, and_, bindparam, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from facilitator.agenda.models import GuidelineBlock
from facilitator.breakouts.board_models import Card, CardVote
from facilitator.breakouts.models import BreakoutGroup, BreakoutRound, GroupMember
from facilitator.participation.models import Participant
from facilitator.qa.models import QaSettings

CARDS = cast(Table, Card.__table__)
VOTES = cast(Table, CardVote.__table__)
GROUPS = cast(Table, BreakoutGroup.__table__)
CARD = CARDS.c
VOTE = VOTES.c
GROUP = GROUPS.c
ROUND = BreakoutRound.__table__.c
MEMBER = GroupMember.__table__.c
BLOCK = GuidelineBlock.__table__.c
PERSON = Participant.__table__.c
QA = QaSettings.__table__.c

_participant = bindparam("participant", type_=Integer)  # None for a moderator: no member row
_SCOPE = (
    GROUP.id.label("group_id"),
    GROUP.workshop_id,
    GROUP.phase,
    GROUP.rapporteur_id,
    GROUP.last_activity_at,
    ROUND.state,
    ROUND.closes_at,
    ROUND.votes_per_member,
    MEMBER.id.label("member"),
    QA.names,
)
_MEMBER_OF_GROUP = and_(MEMBER.group_id == GROUP.id, MEMBER.participant_id == _participant)

CARD_COLUMNS = tuple(c.key for c in CARDS.c)
CARD_SCOPE = (
    select(*(c.label(f"card_{c.key}") for c in CARDS.c), *_SCOPE)
    .select_from(CARDS)
    .join(BreakoutGroup, GROUP.id == CARD.group_id)
    .join(BreakoutRound, ROUND.id == GROUP.round_id)
    .outerjoin(GroupMember, _MEMBER_OF_GROUP)
    .outerjoin(QaSettings, QA.workshop_id == CARD.workshop_id)
    .where(CARD.id == bindparam("card", type_=Integer))
)

GROUP_SCOPE = (
    select(*_SCOPE, GROUP.block_keys, BLOCK.id.label("block"), BLOCK.prompts)
    .select_from(BreakoutGroup)
    .join(BreakoutRound, ROUND.id == GROUP.round_id)
    .outerjoin(GroupMember, _MEMBER_OF_GROUP)
    .outerjoin(
        GuidelineBlock,
        and_(
            BLOCK.workshop_id == GROUP.workshop_id,
            BLOCK.key == bindparam("block_key", type_=String),
        ),
    )
    .outerjoin(QaSettings, QA.workshop_id == GROUP.workshop_id)
    .where(GROUP.id == bindparam("group", type_=Integer))
)

LAST_POSITION = select(func.max(CARD.position)).where(
    CARD.group_id == bindparam("group", type_=Integer),
    CARD.block_key == bindparam("block_key", type_=String),
    CARD.column == bindparam("column", type_=Integer),
)

INSERT_CARD = insert(CARDS).returning(CARD.id)

EDIT_CARD = (  # only from the version the writer saw, on a card not removed
    update(CARDS)
    .where(
        CARD.id == bindparam("card", type_=Integer),
        CARD.version == bindparam("seen", type_=Integer),
        CARD.removed.is_(False),
    )
    .values(version=bindparam("seen", type_=Integer) + 1)
)

TOUCH = update(GROUPS).where(GROUP.id == bindparam("group", type_=Integer))

MY_VOTES = select(VOTE.card_id, VOTE.slot).where(
    VOTE.group_id == bindparam("group", type_=Integer),
    VOTE.participant_id == bindparam("me", type_=Integer),
)

INSERT_VOTE = {  # a vote raced in (the same card, or the same slot) inserts nothing
    name: dialect.insert(VOTES).on_conflict_do_nothing()
    for name, dialect in (("sqlite", sqlite), ("postgresql", postgresql))
}

DELETE_VOTE = delete(VOTES).where(
    VOTE.card_id == bindparam("card", type_=Integer),
    VOTE.participant_id == bindparam("me", type_=Integer),
)

CARD_VOTES = (
    select(func.count())
    .select_from(VOTES.join(Participant.__table__, PERSON.id == VOTE.participant_id))
    .where(VOTE.card_id == bindparam("card", type_=Integer), PERSON.removed_at.is_(None))
)


@dataclass(frozen=True)
class Scope:
    """What a hot write needs of its group and round, and whether the sender is a member."""

    group_id: int
    workshop_id: int
    phase: str
    rapporteur_id: int | None
    last_activity_at: datetime | None
    state: str
    closes_at: datetime | None
    votes_per_member: int
    member: bool
    anonymous: bool  # the workshop's board authors go unnamed (its Q&A's names setting)

    @classmethod
    def of(cls, row: Any) -> Scope:
        m = row._mapping
        return cls(
            m["group_id"],
            m["workshop_id"],
            m["phase"],
            m["rapporteur_id"],
            m["last_activity_at"],
            m["state"],
            m["closes_at"],
            m["votes_per_member"],
            m["member"] is not None,
            m["names"] == "anonymous",
        )


def card_scope(
    db: Session, card_id: int, participant_id: int | None
) -> tuple[dict[str, Any], Scope] | None:
    """The card's columns and its scope."""
    params = {"card": card_id, "participant": participant_id}
    row = db.connection().execute(CARD_SCOPE, params).first()
    if row is None:
        return None
    m = row._mapping
    return {key: m[f"card_{key}"] for key in CARD_COLUMNS}, Scope.of(row)


def group_scope(
    db: Session, group_id: int, block_key: str, participant_id: int | None
) -> tuple[Scope, list[str], bool, list[Any] | None] | None:
    """The group's scope, its blocks, whether the block is the workshop's, its prompts."""
    params = {"group": group_id, "block_key": block_key, "participant": participant_id}
    row = db.connection().execute(GROUP_SCOPE, params).first()
    if row is None:
        return None
    m = row._mapping
    return Scope.of(row), list(m["block_keys"] or []), m["block"] is not None, m["prompts"]


def next_position(db: Session, group_id: int, block_key: str, column: int) -> int:
    params = {"group": group_id, "block_key": block_key, "column": column}
    last = db.connection().execute(LAST_POSITION, params).scalar()
    return 1 if last is None else int(last) + 1


def insert_card(db: Session, values: dict[str, Any]) -> int:
    return int(db.connection().execute(INSERT_CARD, values).scalar_one())


def edit_card(db: Session, card_id: int, seen: int, text: str, now: datetime) -> bool:
    """Set the card's text if it is still at version `seen`; False when it is not."""
    params = {"card": card_id, "seen": seen, "text": text, "updated_at": now}
    return bool(db.connection().execute(EDIT_CARD, params).rowcount == 1)


def touch(db: Session, group_id: int, now: datetime) -> None:
    db.connection().execute(TOUCH, {"group": group_id, "last_activity_at": now})


def my_votes(db: Session, group_id: int, me: int) -> list[tuple[int, int]]:
    rows = db.connection().execute(MY_VOTES, {"group": group_id, "me": me})
    return [(int(card), int(slot)) for card, slot in rows]


def insert_vote(db: Session, values: dict[str, Any]) -> bool:
    """Insert the vote; False when a unique key already held it (a race), nothing written."""
    connection = db.connection()
    inserted = connection.execute(INSERT_VOTE[connection.dialect.name], values)
    return bool(inserted.rowcount == 1)


def delete_vote(db: Session, card_id: int, me: int) -> None:
    db.connection().execute(DELETE_VOTE, {"card": card_id, "me": me})


def card_votes(db: Session, card_id: int) -> int:
    """Votes on one card: a COUNT of rows, removed participants' left out (rule 6)."""
    return int(db.connection().execute(CARD_VOTES, {"card": card_id}).scalar_one())
