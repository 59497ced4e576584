"""Breakout rounds and where things are: the refusal, a round's rule, the current round and
its state (a close whose countdown has passed is written down here), its groups, and who is
in which. Every other breakout module finds its round, groups and members through these.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from facilitator.breakouts import forming
from facilitator.breakouts.models import (
    CLOSED,
    OPEN,
    PREVIEW,
    BreakoutGroup,
    BreakoutRound,
    GroupMember,
)
from facilitator.domain import DomainError
from facilitator.participation.models import Participant

MAX_GROUPS = 200


class BreakoutRefused(DomainError):
    """A breakout move that the round's state, the rule or the sender does not allow."""


@dataclass(frozen=True)
class Rule:
    """How a round forms its groups: a mode, and N groups or N people per group."""

    mode: str
    groups: int | None = None
    size: int | None = None
    max_size: int | None = None  # self-select: at most this many per group


def unique(events: Iterable[object]) -> list[object]:
    """Each domain event once, in order: moving twenty people sends one view, not twenty."""
    return list(dict.fromkeys(events))


def current_round(db: Session, workshop_id: int) -> BreakoutRound | None:
    """The workshop's latest round that has not ended (in any state)."""
    return db.scalar(
        select(BreakoutRound)
        .where(BreakoutRound.workshop_id == workshop_id, BreakoutRound.ended_at.is_(None))
        .order_by(BreakoutRound.id.desc())
        .limit(1)
    )


def state_of(round_: BreakoutRound, now: datetime) -> str:
    """`closed` once the countdown has passed, whether or not anyone wrote it down."""
    return round_state(round_.state, round_.closes_at, now)


def round_state(state: str, closes_at: datetime | None, now: datetime) -> str:
    """`state_of` from the round's columns (a hot write reads them without the row)."""
    if state == OPEN and closes_at is not None and closes_at <= now:
        return CLOSED
    return state


def is_writable(round_: BreakoutRound, now: datetime) -> bool:
    """Boards take writes while the round is open and its countdown has not run out."""
    return state_of(round_, now) == OPEN


def settle(round_: BreakoutRound, now: datetime) -> None:
    """Write down a close whose countdown has passed."""
    if state_of(round_, now) == CLOSED and round_.state != CLOSED:
        round_.state = CLOSED
        round_.closed_at = round_.closes_at


def require_round(db: Session, workshop_id: int, now: datetime) -> BreakoutRound:
    round_ = current_round(db, workshop_id)
    if round_ is None:
        raise BreakoutRefused("no_round")
    settle(round_, now)
    return round_


def groups_of(db: Session, round_id: int) -> list[BreakoutGroup]:
    return list(
        db.scalars(
            select(BreakoutGroup)
            .where(BreakoutGroup.round_id == round_id)
            .order_by(BreakoutGroup.position, BreakoutGroup.id)
        )
    )


def group_in(db: Session, round_: BreakoutRound, group_id: int) -> BreakoutGroup:
    group = db.get(BreakoutGroup, group_id)
    if group is None or group.round_id != round_.id:
        raise BreakoutRefused("unknown_group")
    return group


def membership(db: Session, round_id: int, participant_id: int) -> GroupMember | None:
    return db.scalar(
        select(GroupMember).where(
            GroupMember.round_id == round_id, GroupMember.participant_id == participant_id
        )
    )


def group_of(db: Session, round_id: int, participant_id: int) -> int | None:
    return db.scalar(
        select(GroupMember.group_id).where(
            GroupMember.round_id == round_id, GroupMember.participant_id == participant_id
        )
    )


def followed_group(db: Session, workshop_id: int, participant_id: int) -> int | None:
    """The group a participant's screens follow: theirs in the current round, once it is
    open (in preview only the moderators see the groups)."""
    return db.scalar(
        select(GroupMember.group_id)
        .join(BreakoutRound, BreakoutRound.id == GroupMember.round_id)
        .where(
            GroupMember.participant_id == participant_id,
            BreakoutRound.id == _current_id(workshop_id),
            BreakoutRound.state != PREVIEW,
        )
    )


def _current_id(workshop_id: int) -> object:
    return (
        select(func.max(BreakoutRound.id))
        .where(BreakoutRound.workshop_id == workshop_id, BreakoutRound.ended_at.is_(None))
        .scalar_subquery()
    )


def current_group_ids(db: Session, workshop_id: int) -> list[int]:
    return list(
        db.scalars(
            select(BreakoutGroup.id)
            .where(BreakoutGroup.round_id == _current_id(workshop_id))
            .order_by(BreakoutGroup.position, BreakoutGroup.id)
        )
    )


def members_of(db: Session, group_id: int) -> list[Participant]:
    """The group's participants (those removed from the workshop left it), by name."""
    return list(
        db.scalars(
            select(Participant)
            .join(GroupMember, GroupMember.participant_id == Participant.id)
            .where(GroupMember.group_id == group_id, Participant.removed_at.is_(None))
            .order_by(GroupMember.placed_at, Participant.id)
        )
    )


def member_counts(db: Session, round_id: int) -> dict[int, int]:
    rows = db.execute(
        select(GroupMember.group_id, func.count())
        .join(Participant, Participant.id == GroupMember.participant_id)
        .where(GroupMember.round_id == round_id, Participant.removed_at.is_(None))
        .group_by(GroupMember.group_id)
    ).all()
    return {group_id: n for group_id, n in rows}


def participant(db: Session, workshop_id: int, participant_id: int) -> Participant:
    person = db.get(Participant, participant_id)
    if person is None or person.workshop_id != workshop_id or person.removed_at is not None:
        raise BreakoutRefused("unknown_participant")
    return person


def as_person(p: Participant) -> forming.Person:
    return forming.Person(p.id, p.language, p.stakeholder_type)


def clear(db: Session, workshop_id: int) -> int:
    """After a rehearsal: every round of the workshop goes, its groups, members, boards,
    votes, assessments, syntheses and help calls with it (the database cascades), so that
    neither the phones nor the record keep them. Returns how many rounds went."""
    gone = db.execute(delete(BreakoutRound).where(BreakoutRound.workshop_id == workshop_id))
    return int(getattr(gone, "rowcount", 0) or 0)
