"""Upvotes: one row per participant and question (a unique constraint), counted by COUNT.

Two votes of one participant raced in on two connections make one row: the loser's
insert fails inside its savepoint and it answers as if it had found the row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from facilitator.database import savepoint
from facilitator.participation.models import Participant
from facilitator.qa.changes import VoteChanged
from facilitator.qa.models import AudienceQuestion, Upvote
from facilitator.qa.services import QaRefused, find, is_public


def vote(
    db: Session, me: Participant, question_id: int, voted: bool, now: datetime
) -> list[object]:
    """Upvote (`voted`) or take the vote back; doing it twice changes nothing."""
    question = find(db, me.workshop_id, question_id)
    if not is_public(question):
        raise QaRefused("unknown_question")  # nothing to learn of hidden or pending ones
    if voted:
        try:
            with savepoint(db):
                db.add(Upvote(question_id=question.id, participant_id=me.id, created_at=now))
        except IntegrityError:
            pass  # already voted, on this device or another
    else:
        db.execute(
            delete(Upvote).where(Upvote.question_id == question.id, Upvote.participant_id == me.id)
        )
    return [VoteChanged(me.workshop_id, question.id, me.id, voted)]


def votes(db: Session, workshop_id: int) -> dict[int, int]:
    """Votes per question of the workshop: COUNTs of rows."""
    rows = db.execute(
        select(Upvote.question_id, func.count(Upvote.id))
        .join(AudienceQuestion, AudienceQuestion.id == Upvote.question_id)
        .where(AudienceQuestion.workshop_id == workshop_id)
        .group_by(Upvote.question_id)
    )
    return {q: n for q, n in rows}


def voted_by(db: Session, participant_id: int) -> list[int]:
    return list(
        db.scalars(
            select(Upvote.question_id)
            .where(Upvote.participant_id == participant_id)
            .order_by(Upvote.question_id)
        )
    )
