"""Participants answer; moderators hide, highlight and merge. Every change is rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from facilitator.database import savepoint
from facilitator.participation.models import Participant
from facilitator.questions.changes import AnswerChanged, AnswerModerated, WordsChanged
from facilitator.questions.lifecycle import QuestionRefused, is_open
from facilitator.questions.models import Answer, AnswerPart, Question, WordRule
from facilitator.questions.types import AnswerRefused, Part, Shape, question_type
from facilitator.questions.words import normal_form


def shape_of(question: Question) -> Shape:
    scale = question.scale or {}
    return Shape(
        options=len(question.options or []),
        scale_min=int(scale.get("min", 0)),
        scale_max=int(scale.get("max", 0)),
        max_answers=question.max_answers,
    )


def submit(
    db: Session,
    me: Participant,
    question: Question,
    value: object,
    now: datetime,
    answer_id: int | None = None,
    *,
    retry: bool = True,
) -> tuple[Answer, list[object]]:
    """Give an answer, or change one (`answer_id`, or the only one of a one-answer type).

    An answer to a question that is not open is refused and stored nowhere."""
    if question.workshop_id != me.workshop_id:
        raise QuestionRefused("unknown_question")
    if not is_open(db, question):
        raise QuestionRefused("question_closed")
    kind = question_type(question.type)
    parsed = kind.parse(value, shape_of(question))
    mine = list(
        db.scalars(
            select(Answer)
            .where(Answer.question_id == question.id, Answer.participant_id == me.id)
            .order_by(Answer.slot)
        )
    )
    if answer_id is not None:
        answer = next((a for a in mine if a.id == answer_id), None)
        if answer is None:
            raise AnswerRefused("unknown_answer")
    elif not kind.many_answers and mine:
        answer = mine[0]
    else:
        taken = {a.slot for a in mine}
        free = [s for s in range(max(question.max_answers, 1)) if s not in taken]
        if not free:
            raise AnswerRefused("answer_limit")
        answer = Answer(question_id=question.id, participant_id=me.id, slot=free[0])
        answer.hidden = False
        answer.highlighted = False
        answer.created_at = now
        answer.value = parsed.value
        answer.text = parsed.text  # all of it in the INSERT: no UPDATE after it
        answer.number = parsed.number
        answer.updated_at = now
        try:
            with savepoint(db):  # the same participant may answer from two devices at once
                db.add(answer)
        except IntegrityError:
            if not retry:
                raise
            # The other device's answer won the slot: change it (or take the next slot).
            return submit(db, me, question, value, now, answer_id, retry=False)
        set_committed_value(answer, "parts", [])  # a new answer has none: no query for them
    answer.value = parsed.value
    answer.text = parsed.text
    answer.number = parsed.number
    answer.updated_at = now
    _replace_parts(db, answer, parsed.parts)
    db.flush()
    return answer, [AnswerChanged(question.workshop_id, question.id, answer.id, me.id)]


def _replace_parts(db: Session, answer: Answer, parts: tuple[Part, ...]) -> None:
    if "parts" not in answer.__dict__ or answer.parts:
        # Changed: the stored rows go by one statement, before the new ones take their
        # keys. Not from what this session loaded: an answer raced in from another
        # device may have rows that this session has not seen.
        db.execute(delete(AnswerPart).where(AnswerPart.answer_id == answer.id))
        set_committed_value(answer, "parts", [])
    answer.parts.extend(AnswerPart(key=p.key, position=p.position, label=p.label) for p in parts)


def withdraw(db: Session, me: Participant, answer_id: int) -> list[object]:
    """Take an answer back while its question is open: its row (and parts) go."""
    answer = db.get(Answer, answer_id)
    if answer is None or answer.participant_id != me.id:
        raise AnswerRefused("unknown_answer")
    question = db.get(Question, answer.question_id)
    assert question is not None
    if not is_open(db, question):
        raise QuestionRefused("question_closed")
    db.delete(answer)
    db.flush()
    return [AnswerChanged(question.workshop_id, question.id, answer_id, me.id, removed=True)]


def moderated_answer(db: Session, workshop_id: int, answer_id: int) -> tuple[Answer, Question]:
    answer = db.get(Answer, answer_id)
    question = None if answer is None else db.get(Question, answer.question_id)
    if answer is None or question is None or question.workshop_id != workshop_id:
        raise AnswerRefused("unknown_answer")
    return answer, question


def hide_answer(db: Session, workshop_id: int, answer_id: int, hidden: bool) -> list[object]:
    answer, question = moderated_answer(db, workshop_id, answer_id)
    answer.hidden = hidden
    db.flush()
    return [AnswerModerated(workshop_id, question.id, answer.id)]


def highlight_answer(
    db: Session, workshop_id: int, answer_id: int, highlighted: bool
) -> list[object]:
    answer, question = moderated_answer(db, workshop_id, answer_id)
    answer.highlighted = highlighted
    db.flush()
    return [AnswerModerated(workshop_id, question.id, answer.id)]


def _rule(db: Session, question: Question, word: str) -> WordRule:
    if question.type != "words":
        raise QuestionRefused("not_a_words_question")
    key = normal_form(word)
    if not key:
        raise AnswerRefused("answer_empty")
    rule = db.scalar(
        select(WordRule).where(WordRule.question_id == question.id, WordRule.word == key)
    )
    if rule is None:
        rule = WordRule(question_id=question.id, word=key, hidden=False)
        db.add(rule)
    return rule


def hide_word(db: Session, question: Question, word: str, hidden: bool) -> list[object]:
    _rule(db, question, word).hidden = hidden
    db.flush()
    return [WordsChanged(question.workshop_id, question.id)]


def merge_word(db: Session, question: Question, word: str, into: str | None) -> list[object]:
    """Count `word` as `into` from now on (`into` None, or the word itself: undo)."""
    rule = _rule(db, question, word)
    target = None if into is None else normal_form(into)
    if target == rule.word or not target:
        target = None
    elif db.scalar(
        select(WordRule.id).where(
            WordRule.question_id == question.id, WordRule.word == target, WordRule.into.is_not(None)
        )
    ):
        raise QuestionRefused("merge_chain")  # merge into a word that is itself merged away
    rule.into = target
    db.flush()
    return [WordsChanged(question.workshop_id, question.id)]


def hide_answers_of(db: Session, workshop_id: int, participant_id: int) -> list[int]:
    """Hide every answer of one participant (a removed troll, say); the ids hidden."""
    ids = list(
        db.scalars(
            select(Answer.id)
            .join(Question, Question.id == Answer.question_id)
            .where(
                Question.workshop_id == workshop_id,
                Answer.participant_id == participant_id,
                Answer.hidden.is_(False),
            )
        )
    )
    if ids:
        db.execute(update(Answer).where(Answer.id.in_(ids)).values(hidden=True))
    return ids
