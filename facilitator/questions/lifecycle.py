"""A question's life: written (from the agenda or live), edited, opened, closed, revealed.

Stored states are `ready`, `open` and `closed`. With the workshop's `auto_open`, a
`ready` question listed by the current program item counts as open (and is ready
again once the item is over), so the live state alone decides it: nothing has to
run when the moderator moves on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from facilitator.agenda.models import GuidingQuestion, ItemQuestion, Workshop
from facilitator.database import savepoint
from facilitator.domain import DomainError
from facilitator.live.models import LiveState
from facilitator.questions.changes import QuestionChanged, QuestionSettingsChanged
from facilitator.questions.models import Answer, Question, QuestionSettings, WordRule
from facilitator.questions.types import TYPES, question_type

MAX_OPEN_ANSWERS = 10
MAX_TEXT_LENGTH = 500
MAX_OPTIONS = 12
READY, OPEN, CLOSED = "ready", "open", "closed"


class QuestionRefused(DomainError):
    """A lifecycle move the question's state does not allow; `code` says which rule."""


@dataclass(frozen=True)
class Draft:
    """A question as the moderator writes it live (or rewrites it before opening)."""

    type: str
    text: dict[str, str]
    options: list[dict[str, str]] | None = None
    scale: dict[str, Any] | None = None
    max_answers: int = 1


def settings(db: Session, workshop_id: int) -> QuestionSettings:
    row = db.get(QuestionSettings, workshop_id)
    if row is None:
        row = QuestionSettings(workshop_id=workshop_id, auto_open=False)
        db.add(row)
        db.flush()
    return row


def configure(db: Session, workshop_id: int, auto_open: bool) -> list[object]:
    settings(db, workshop_id).auto_open = auto_open
    db.flush()
    return [QuestionSettingsChanged(workshop_id)]


def ensure_questions(db: Session, workshop_id: int) -> list[Question]:
    """Every question of the workshop, in order; the agenda's get their rows here, and
    their wording follows the agenda (a re-upload rewrites it; a removed id takes its
    question and answers with it, by the foreign key)."""
    rows = list(
        db.scalars(
            select(Question).where(Question.workshop_id == workshop_id).order_by(Question.id)
        )
    )
    linked = {q.guiding_question_id: q for q in rows if q.guiding_question_id is not None}
    guiding = db.scalars(
        select(GuidingQuestion)
        .where(GuidingQuestion.workshop_id == workshop_id)
        .order_by(GuidingQuestion.position)
    )
    for g in guiding:
        row = linked.get(g.id)
        if row is None:
            row = _adopt(db, workshop_id, g)
            if row is None:
                continue
            rows.append(row)
        if row.type != g.type:  # its answers answer another question now
            db.execute(delete(Answer).where(Answer.question_id == row.id))
        for name in ("type", "text", "options", "scale", "position"):
            if getattr(row, name) != getattr(g, name):
                setattr(row, name, getattr(g, name))
    return sorted(rows, key=lambda q: (q.guiding_question_id is None, q.position, q.id))


def _adopt(db: Session, workshop_id: int, g: GuidingQuestion) -> Question | None:
    row = Question(
        workshop_id=workshop_id,
        guiding_question_id=g.id,
        position=g.position,
        type=g.type,
        text=g.text,
        options=g.options,
        scale=g.scale,
        max_answers=3 if g.type == "open" else 1,
        state=READY,
        revealed=False,
    )
    try:
        with savepoint(db):  # another worker may adopt it at the same moment
            db.add(row)
    except IntegrityError:
        return db.scalar(select(Question).where(Question.guiding_question_id == g.id))
    return row


def find(db: Session, workshop_id: int, question_id: int) -> Question:
    question = db.get(Question, question_id)
    if question is None or question.workshop_id != workshop_id:
        raise QuestionRefused("unknown_question")
    return question


def check_draft(draft: Draft, languages: Sequence[str]) -> None:
    kind = TYPES.get(draft.type)
    if kind is None:
        raise QuestionRefused("unknown_type")
    texts = [draft.text, *(draft.options or [])]
    if draft.scale is not None:
        texts += [t for t in (draft.scale.get("min_label"), draft.scale.get("max_label")) if t]
    for text in texts:
        if not text or not any(v.strip() for v in text.values()):
            raise QuestionRefused("text_missing")
        if set(text) - set(languages):
            raise QuestionRefused("unknown_language")
        if any(len(v) > MAX_TEXT_LENGTH for v in text.values()):
            raise QuestionRefused("text_too_long")
    count = len(draft.options or [])
    if kind.has_options != (draft.options is not None) or (
        kind.has_options and not 2 <= count <= MAX_OPTIONS
    ):
        raise QuestionRefused("options_do_not_fit")
    if kind.has_scale != (draft.scale is not None) or (
        draft.scale is not None and not draft.scale["min"] < draft.scale["max"]
    ):
        raise QuestionRefused("scale_does_not_fit")
    if not 1 <= draft.max_answers <= (MAX_OPEN_ANSWERS if kind.many_answers else 1):
        raise QuestionRefused("max_answers_does_not_fit")


def create(
    db: Session, workshop: Workshop, draft: Draft, now: datetime
) -> tuple[Question, list[object]]:
    check_draft(draft, workshop.languages)
    last = db.scalar(
        select(Question.position)
        .where(Question.workshop_id == workshop.id)
        .order_by(Question.position.desc())
        .limit(1)
    )
    question = Question(workshop_id=workshop.id, position=(last or 0) + 1, state=READY)
    question.revealed = False
    question.created_at = now
    _fill(question, draft)
    db.add(question)
    db.flush()
    return question, [QuestionChanged(workshop.id, question.id)]


def edit(db: Session, workshop: Workshop, question: Question, draft: Draft) -> list[object]:
    """Rewrite a live question before it first opens; the agenda's are the file's to change."""
    if question.guiding_question_id is not None:
        raise QuestionRefused("question_from_agenda")
    if question.opened_at is not None or _has_answers(db, question):
        raise QuestionRefused("question_started")
    check_draft(draft, workshop.languages)
    _fill(question, draft)
    db.flush()
    return [QuestionChanged(workshop.id, question.id)]


def _fill(question: Question, draft: Draft) -> None:
    question.type = draft.type
    question.text = dict(draft.text)
    question.options = None if draft.options is None else [dict(o) for o in draft.options]
    question.scale = None if draft.scale is None else dict(draft.scale)
    question.max_answers = draft.max_answers


def _has_answers(db: Session, question: Question) -> bool:
    return (
        db.scalar(select(Answer.id).where(Answer.question_id == question.id).limit(1)) is not None
    )


def open_question(db: Session, question: Question, now: datetime) -> list[object]:
    """Open, or reopen a closed one; several may be open at once."""
    if question.state == OPEN:
        raise QuestionRefused("already_open")
    question.state = OPEN
    question.opened_at = question.opened_at or now
    db.flush()
    return [QuestionChanged(question.workshop_id, question.id)]


def close_question(db: Session, question: Question, current: set[int]) -> list[object]:
    if status(question, current) != OPEN:
        raise QuestionRefused("not_open")
    question.state = CLOSED
    db.flush()
    return [QuestionChanged(question.workshop_id, question.id)]


def limit_answers(db: Session, question: Question, max_answers: int) -> list[object]:
    """How many answers each participant may give an open question (the agenda's too);
    lowering it keeps answers already given."""
    if not question_type(question.type).many_answers:
        raise QuestionRefused("max_answers_does_not_fit")
    question.max_answers = max_answers
    db.flush()
    return [QuestionChanged(question.workshop_id, question.id)]


def reveal(db: Session, question: Question, revealed: bool) -> list[object]:
    question.revealed = revealed
    db.flush()
    return [QuestionChanged(question.workshop_id, question.id)]


def clear_rehearsal(db: Session, workshop_id: int) -> None:
    """After a rehearsal: every answer and word rule goes, and every question is ready
    again, its results hidden, its wording editable as before it first opened. The
    questions themselves stay (the agenda's, and those written live)."""
    questions = select(Question.id).where(Question.workshop_id == workshop_id)
    db.execute(delete(Answer).where(Answer.question_id.in_(questions)))  # parts cascade
    db.execute(delete(WordRule).where(WordRule.question_id.in_(questions)))
    db.execute(
        update(Question)
        .where(Question.workshop_id == workshop_id)
        .values(state=READY, revealed=False, opened_at=None)
    )


def auto_opened(db: Session, workshop_id: int) -> set[int]:
    """The questions the current item opens, when the workshop lets items open them
    (one query: it runs in every phone's snapshot)."""
    return set(
        db.scalars(
            select(Question.id)
            .join(ItemQuestion, ItemQuestion.question_id == Question.guiding_question_id)
            .join(LiveState, LiveState.current_item_id == ItemQuestion.item_id)
            .join(QuestionSettings, QuestionSettings.workshop_id == LiveState.workshop_id)
            .where(
                Question.workshop_id == workshop_id,
                LiveState.workshop_id == workshop_id,
                QuestionSettings.auto_open.is_(True),
            )
        )
    )


def status(question: Question, current: set[int]) -> str:
    """The state screens see: `current` is what the current item opens (auto_opened)."""
    if question.state == READY and question.id in current:
        return OPEN
    return question.state


def is_open(db: Session, question: Question) -> bool:
    if question.state == OPEN:
        return True
    return question.state == READY and question.id in auto_opened(db, question.workshop_id)
