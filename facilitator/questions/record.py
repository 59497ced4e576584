"""What the session's record will take of questions and the Q&A: plain data, no Flask.

Every question that was opened or answered, with its results (all answers, hidden ones
left out) and its breakdowns by profile; and the Q&A questions that were answered,
with asker and answerer, like "Relevant Questions and Answers from Audience".
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.agenda.models import Person
from facilitator.qa.models import AudienceQuestion
from facilitator.qa.services import ANSWERED
from facilitator.qa.votes import votes
from facilitator.questions import results
from facilitator.questions.lifecycle import ensure_questions
from facilitator.questions.types import question_type
from facilitator.questions.wire import agenda_keys


def questions_for_record(db: Session, workshop_id: int) -> list[dict[str, Any]]:
    questions = ensure_questions(db, workshop_id)
    answered = results.answered(db, workshop_id)
    used = [q for q in questions if q.opened_at is not None or q.id in answered]
    keys = agenda_keys(db, used)
    return [
        {
            "id": q.id,
            "key": keys.get(q.id, (None, []))[0],
            "type": q.type,
            "chart": question_type(q.type).chart,
            "text": q.text,
            "options": q.options,
            "scale": q.scale,
            "results": results.results(db, q),
            "breakdowns": {
                dimension: results.breakdown(db, q, dimension) for dimension in results.DIMENSIONS
            },
        }
        for q in used
    ]


def answered_questions_for_record(db: Session, workshop_id: int) -> list[dict[str, Any]]:
    """The answered audience questions (not hidden), in the order they were asked."""
    people = {p.id: p for p in db.scalars(select(Person).where(Person.workshop_id == workshop_id))}
    counted = votes(db, workshop_id)
    rows = db.scalars(
        select(AudienceQuestion)
        .where(
            AudienceQuestion.workshop_id == workshop_id,
            AudienceQuestion.status == ANSWERED,
            AudienceQuestion.hidden.is_(False),
        )
        .order_by(AudienceQuestion.created_at, AudienceQuestion.id)
    )
    found = []
    for q in rows:
        speaker = people.get(q.speaker_id) if q.speaker_id else None
        by = people.get(q.answered_by_id) if q.answered_by_id else None
        found.append(
            {
                "question": q.text,
                "language": q.language,
                "asker": q.name,  # None: anonymous
                "to": None if speaker is None else speaker.name,
                "answered_by": by.name if by is not None else q.answered_by_name,
                "answer": q.answer_text,
                "votes": counted.get(q.id, 0),
            }
        )
    return found
