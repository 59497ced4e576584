"""What each screen gets of the questions: the snapshot parts and the coalesced tallies."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from facilitator.participation.models import Participant
from facilitator.questions import lifecycle, results
from facilitator.questions.lifecycle import OPEN, READY, auto_opened, status
from facilitator.questions.models import Answer, Question, QuestionSettings, WordRule
from facilitator.questions.types import PUBLIC_WALL_SIZE
from facilitator.questions.wire import (
    agenda_keys,
    answer_view,
    my_answer_view,
    question_view,
    rules_view,
    visible,
)


def _questions(db: Session, workshop_id: int) -> list[Question]:
    return list(
        db.scalars(
            select(Question)
            .where(Question.workshop_id == workshop_id)
            .order_by(Question.guiding_question_id.is_(None), Question.position, Question.id)
        )
    )


def active(db: Session, workshop_id: int) -> bool:
    """Has the workshop used questions yet (opened, revealed or closed one, or set them up)?

    Until then the tallies have nothing to say, and stay silent: a change of the current
    item in a workshop without polls sends no question message to anyone."""
    used = select(Question.id).where(
        Question.workshop_id == workshop_id,
        or_(Question.state != READY, Question.opened_at.is_not(None), Question.revealed),
    )
    configured = select(QuestionSettings.workshop_id).where(
        QuestionSettings.workshop_id == workshop_id
    )
    return bool(db.scalar(select(or_(exists(used), exists(configured)))))


def open_questions(db: Session, workshop_id: int) -> dict[str, Any]:
    """`question.open_list`: every open question, as phones ask them."""
    current = auto_opened(db, workshop_id)
    shown = [q for q in _questions(db, workshop_id) if status(q, current) == OPEN]
    keys = agenda_keys(db, shown)
    return {"questions": [question_view(q, current, keys) for q in shown]}


def revealed_results(db: Session, workshop_id: int) -> dict[str, Any]:
    """`question.results`: the results the moderator revealed, for projectors and phones."""
    current = auto_opened(db, workshop_id)
    return {
        "results": [
            {"question": q.id, "results": results.results(db, q, PUBLIC_WALL_SIZE)}
            for q in _questions(db, workshop_id)
            if q.revealed and visible(q, current)
        ]
    }


def console_counts(db: Session, workshop_id: int, connected: int) -> dict[str, Any]:
    """`question.counts`: answers, who answered of those connected, and every result."""
    current = auto_opened(db, workshop_id)
    answered = results.answered(db, workshop_id)
    return {
        "connected": connected,
        "questions": [
            {
                "question": q.id,
                "answers": answered.get(q.id, (0, 0))[0],
                "participants": answered.get(q.id, (0, 0))[1],
                "results": results.results(db, q),
            }
            for q in _questions(db, workshop_id)
            if q.id in answered or status(q, current) != READY
        ],
    }


def public_part(db: Session, workshop_id: int, me: int | None) -> dict[str, Any]:
    """A phone's (`me`) or a projector's part: the questions opened so far, revealed results
    and, for a phone, its own answers."""
    # No adoption of the agenda's questions here: a question phones see was opened, so it
    # has its row (this runs for every phone of a join storm: a few queries, no writes).
    current = auto_opened(db, workshop_id)
    shown = [q for q in _questions(db, workshop_id) if visible(q, current)]
    keys = agenda_keys(db, shown)
    part: dict[str, Any] = {
        "list": [question_view(q, current, keys) for q in shown],
        "results": [
            {"question": q.id, "results": results.results(db, q, PUBLIC_WALL_SIZE)}
            for q in shown
            if q.revealed
        ],
    }
    if me is not None:
        mine = db.scalars(
            select(Answer)
            .where(Answer.participant_id == me)
            .order_by(Answer.question_id, Answer.slot)
        )
        part["mine"] = [my_answer_view(a) for a in mine]
    return part


def staff_part(db: Session, workshop_id: int, connected: int) -> dict[str, Any]:
    """The console's part: every question, every answer with its moderation, word rules."""
    questions = lifecycle.ensure_questions(db, workshop_id)
    current = auto_opened(db, workshop_id)
    keys = agenda_keys(db, questions)
    ids = [q.id for q in questions]
    answers = db.execute(
        select(Answer, Participant)
        .join(Participant, Participant.id == Answer.participant_id)
        .where(Answer.question_id.in_(ids))
        .order_by(Answer.id)
    ).all()
    rules = list(db.scalars(select(WordRule).where(WordRule.question_id.in_(ids))))
    return {
        "list": [question_view(q, current, keys, staff=True) for q in questions],
        "answers": [answer_view(a, p) for a, p in answers],
        "words": [
            {"question": q, "rules": rules_view([r for r in rules if r.question_id == q])}
            for q in sorted({r.question_id for r in rules})
        ],
        "settings": {"auto_open": lifecycle.settings(db, workshop_id).auto_open},
        "counts": console_counts(db, workshop_id, connected),
    }
