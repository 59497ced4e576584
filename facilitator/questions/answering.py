"""Participants answer; moderators hide, highlight and merge. Every change is rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from facilitator.database import savepoint
from facilitator.domain import DomainError
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


@dataclass(frozen=True)
class Submission:
    """One participant's answer to give, or to change (`answer_id`)."""

    me: Participant
    question: Question
    value: object
    answer_id: int | None = None


@dataclass(frozen=True)
class Given:
    """What a submission came to: the answer row, and the value it was given then (a
    later submission of the same batch may change the row again)."""

    answer: Answer
    value: object
    events: list[object]


# The answers each (question, participant) of this unit of work holds after its writes:
# the renderer of `answer.mine` reads them here instead of once per answer.
MINE = "questions.mine"


def submit(
    db: Session,
    me: Participant,
    question: Question,
    value: object,
    now: datetime,
    answer_id: int | None = None,
) -> tuple[Answer, list[object]]:
    """Give an answer, or change one (`answer_id`, or the only one of a one-answer type).

    An answer to a question that is not open is refused and stored nowhere."""
    (outcome,) = submit_many(db, [Submission(me, question, value, answer_id)], now)
    if isinstance(outcome, DomainError):
        raise outcome
    return outcome.answer, outcome.events


def submit_many(
    db: Session, submissions: Sequence[Submission], now: datetime, *, retry: bool = True
) -> list[Given | DomainError]:
    """Many answers at once (a room answering together), in order: one read of what the
    senders gave before, one write for all. Each is checked as if it came alone, and a
    refused one writes nothing."""
    mine = _given_before(db, submissions)
    opened: dict[int, bool] = {}
    parts: dict[Answer, tuple[Part, ...]] = {}
    outcomes: list[tuple[Submission, Answer, object] | DomainError] = []
    for s in submissions:
        try:
            if s.question.workshop_id != s.me.workshop_id:
                raise QuestionRefused("unknown_question")
            if s.question.id not in opened:
                opened[s.question.id] = is_open(db, s.question)
            if not opened[s.question.id]:
                raise QuestionRefused("question_closed")
            parsed = question_type(s.question.type).parse(s.value, shape_of(s.question))
            answer = _place(mine[(s.question.id, s.me.id)], s, now)
        except DomainError as exc:
            outcomes.append(exc)
            continue
        answer.value = parsed.value
        answer.text = parsed.text
        answer.number = parsed.number
        answer.updated_at = now
        parts[answer] = parsed.parts
        outcomes.append((s, answer, parsed.value))
    rows: dict[Answer, Answer] = {}
    try:
        if parts:
            with savepoint(db):  # the same participant may answer from two devices at once
                rows = _write(db, parts)
    except IntegrityError:
        if not retry:
            raise
        # Another device's answer won a slot: read again, and change it (or take the next).
        return submit_many(db, submissions, now, retry=False)
    stored = {pair: [rows.get(a, a) for a in answers] for pair, answers in mine.items()}
    db.info.setdefault(MINE, {}).update(stored)
    return [
        o if isinstance(o, DomainError) else _given(o[0], rows.get(o[1], o[1]), o[2])
        for o in outcomes
    ]


def _given(s: Submission, answer: Answer, value: object) -> Given:
    changed = AnswerChanged(s.question.workshop_id, s.question.id, answer.id, s.me.id)
    return Given(answer, value, [changed])


def _given_before(
    db: Session, submissions: Sequence[Submission]
) -> dict[tuple[int, int], list[Answer]]:
    mine: dict[tuple[int, int], list[Answer]] = {(s.question.id, s.me.id): [] for s in submissions}
    rows = _answers_of(db, {s.question.id for s in submissions}, {s.me.id for s in submissions})
    for answer in rows:
        pair = (answer.question_id, answer.participant_id)
        if pair in mine:
            mine[pair].append(answer)
    return mine


def _place(mine: list[Answer], s: Submission, now: datetime) -> Answer:
    """The answer a submission changes, or a new one in the first free slot."""
    if s.answer_id is not None:
        answer = next((a for a in mine if a.id == s.answer_id), None)
        if answer is None:
            raise AnswerRefused("unknown_answer")
        return answer
    if not question_type(s.question.type).many_answers and mine:
        return mine[0]
    taken = {a.slot for a in mine}
    free = [slot for slot in range(max(s.question.max_answers, 1)) if slot not in taken]
    if not free:
        raise AnswerRefused("answer_limit")
    answer = Answer(question_id=s.question.id, participant_id=s.me.id, slot=free[0])
    answer.hidden = False
    answer.highlighted = False
    answer.created_at = now
    mine.append(answer)
    return answer


def _write(db: Session, parts: dict[Answer, tuple[Part, ...]]) -> dict[Answer, Answer]:
    """Write the batch: new answers by one INSERT of many rows (the ORM would send one
    per row to learn each id), then read back; changed ones lose their stored parts (by
    one statement, not from what this session loaded: an answer raced in from another
    device may have rows it has not seen); every answer gets its new parts. Returns the
    stored row of each new answer."""
    new = [a for a in parts if a.id is None]
    changed = [a for a in parts if a.id is not None]
    if changed:
        db.execute(delete(AnswerPart).where(AnswerPart.answer_id.in_([a.id for a in changed])))
    rows: dict[Answer, Answer] = {}
    if new:
        db.execute(_INSERT_ANSWERS, [{c: getattr(a, c) for c in _COLUMNS} for a in new])
        made = {(a.question_id, a.participant_id, a.slot): a for a in new}
        for row in _answers_of(db, {a.question_id for a in new}, {a.participant_id for a in new}):
            key = (row.question_id, row.participant_id, row.slot)
            if key in made:
                rows[made[key]] = row
    given = [
        {"answer_id": rows.get(a, a).id, "position": p.position, "key": p.key, "label": p.label}
        for a, answer_parts in parts.items()
        for p in answer_parts
    ]
    if given:
        db.execute(_INSERT_PARTS, given)
    for answer in changed:
        db.expire(answer, ["parts"])
    db.flush()
    return rows


def _answers_of(db: Session, questions: set[int], people: set[int]) -> list[Answer]:
    """The answers of these participants to these questions (and a few more: the pairs
    are the caller's to pick), by slot."""
    return list(db.scalars(_ANSWERS_OF, {"questions": list(questions), "people": list(people)}))


# Built once: a statement made per batch costs more than the query (cache keys, coercions).
_ANSWERS_OF = (
    select(Answer)
    .where(
        Answer.question_id.in_(bindparam("questions", expanding=True)),
        Answer.participant_id.in_(bindparam("people", expanding=True)),
    )
    .order_by(Answer.slot)
)
_INSERT_ANSWERS = insert(cast(Table, Answer.__table__))  # Core: no ORM bulk machinery
_INSERT_PARTS = insert(cast(Table, AnswerPart.__table__))

_COLUMNS = (
    "question_id",
    "participant_id",
    "slot",
    "value",
    "text",
    "number",
    "hidden",
    "highlighted",
    "created_at",
    "updated_at",
)


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
