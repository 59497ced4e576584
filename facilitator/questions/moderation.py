"""Hiding everything one participant wrote, in one action: answers and Q&A questions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.participation.models import Participant
from facilitator.qa.models import AudienceQuestion
from facilitator.qa.services import hide_questions_of, is_public
from facilitator.questions.answering import hide_answers_of
from facilitator.questions.changes import ParticipantHidden
from facilitator.questions.lifecycle import QuestionRefused


def hide_participant(db: Session, workshop_id: int, participant_id: int) -> ParticipantHidden:
    who = db.get(Participant, participant_id)
    if who is None or who.workshop_id != workshop_id:
        raise QuestionRefused("unknown_participant")
    public = {
        q.id
        for q in db.scalars(
            select(AudienceQuestion).where(AudienceQuestion.participant_id == participant_id)
        )
        if is_public(q)
    }
    answers = hide_answers_of(db, workshop_id, participant_id)
    questions = hide_questions_of(db, workshop_id, participant_id)
    db.flush()
    return ParticipantHidden(
        workshop_id,
        participant_id,
        tuple(answers),
        tuple(questions),
        tuple(sorted(public & set(questions))),
    )
