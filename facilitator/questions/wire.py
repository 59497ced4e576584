"""What screens receive of questions and answers: data and codes, never sentences."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.agenda.models import GuidingQuestion, ItemQuestion, ProgramItem
from facilitator.participation.models import Participant
from facilitator.questions.lifecycle import READY, status
from facilitator.questions.models import Answer, Question, WordRule
from facilitator.questions.types import describe


def ms(moment: Any) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


def agenda_keys(db: Session, questions: list[Question]) -> dict[int, tuple[str, list[str]]]:
    """Per question from the agenda: its id in the file, and the items that list it."""
    linked = [q.guiding_question_id for q in questions if q.guiding_question_id is not None]
    if not linked:
        return {}
    keys = dict(
        db.execute(
            select(GuidingQuestion.id, GuidingQuestion.key).where(GuidingQuestion.id.in_(linked))
        ).all()
    )
    items: dict[int, list[str]] = {}
    for gid, item in db.execute(
        select(ItemQuestion.question_id, ProgramItem.key)
        .join(ProgramItem, ProgramItem.id == ItemQuestion.item_id)
        .where(ItemQuestion.question_id.in_(linked))
        .order_by(ProgramItem.position)
    ):
        items.setdefault(gid, []).append(item)
    return {
        q.id: (keys[q.guiding_question_id], items.get(q.guiding_question_id, []))
        for q in questions
        if q.guiding_question_id in keys
    }


def visible(question: Question, current: set[int]) -> bool:
    """Phones and projectors see a question once it has been opened."""
    return status(question, current) != READY or question.opened_at is not None


def question_view(
    question: Question,
    current: set[int],
    keys: dict[int, tuple[str, list[str]]],
    *,
    staff: bool = False,
) -> dict[str, Any]:
    key, items = keys.get(question.id, (None, []))
    view: dict[str, Any] = {
        "id": question.id,
        "key": key,  # the agenda's id, or None for a question written live
        "items": items,  # the program items that list it
        "type": question.type,
        **describe(question.type),
        "text": question.text,
        "options": question.options,
        "scale": question.scale,
        "max_answers": question.max_answers,
        "state": status(question, current),
        "revealed": question.revealed,
    }
    if staff:
        view["stored_state"] = question.state
        view["opened_ms"] = ms(question.opened_at)
        view["editable"] = question.guiding_question_id is None and question.opened_at is None
    return view


def my_answer_view(answer: Answer) -> dict[str, Any]:
    return {
        "id": answer.id,
        "question": answer.question_id,
        "slot": answer.slot,
        "value": answer.value,
        "at_ms": ms(answer.updated_at),
    }


def answer_view(answer: Answer, who: Participant | None) -> dict[str, Any]:
    """An answer as the console sees it: who gave it, and its moderation."""
    return {
        **my_answer_view(answer),
        "participant": answer.participant_id,
        "name": None if who is None else who.display_name,
        "language": None if who is None else who.language,
        "hidden": answer.hidden,
        "highlighted": answer.highlighted,
    }


def rules_view(rules: list[WordRule]) -> list[dict[str, Any]]:
    return [{"word": r.word, "hidden": r.hidden, "into": r.into} for r in rules]
