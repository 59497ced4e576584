"""Results counted from rows (rule 6): one GROUP BY per question, then the type summarises.

Hidden answers never count; hidden words leave the cloud; a merged word's count joins
the word it was merged into. A breakdown counts the same rows per participant group.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from facilitator.participation.models import Participant
from facilitator.questions.answering import shape_of
from facilitator.questions.models import Answer, AnswerPart, Question, WordRule
from facilitator.questions.types import WALL_SIZE, Counts, question_type

UNKNOWN = ""  # the group of participants who did not say
DIMENSIONS = ("language", "country", "organisation_type", "stakeholder_type")


def counts(
    db: Session,
    question: Question,
    where: ColumnElement[bool] | None = None,
    wall_size: int = WALL_SIZE,
) -> Counts:
    visible = [Answer.question_id == question.id, Answer.hidden.is_(False)]
    if where is not None:
        visible.append(where)
    join_people = where is not None

    def base(*columns: Any) -> Any:
        query = select(*columns).select_from(Answer)
        if join_people:
            query = query.join(Participant, Participant.id == Answer.participant_id)
        return query.where(*visible)

    answers = db.scalar(base(func.count(Answer.id))) or 0
    tallied = question_type(question.type).tallied
    if tallied == "texts":
        rows = db.execute(
            base(Answer.id, Answer.text, Answer.highlighted, Answer.created_at)
            .order_by(Answer.highlighted.desc(), Answer.created_at.desc(), Answer.id.desc())
            .limit(wall_size)
        )
        wall = [
            {"id": i, "text": t, "highlighted": h, "at_ms": int(at.timestamp() * 1000)}
            for i, t, h, at in rows
        ]
        return Counts(answers=answers, wall=wall)
    if tallied == "numbers":
        rows = db.execute(base(Answer.number, func.count()).group_by(Answer.number))
        return Counts(answers=answers, numbers={n: c for n, c in rows if n is not None})
    parts = base().join(AnswerPart, AnswerPart.answer_id == Answer.id)
    if tallied == "positions":
        rows = db.execute(
            parts.add_columns(AnswerPart.key, AnswerPart.position, func.count()).group_by(
                AnswerPart.key, AnswerPart.position
            )
        )
        return Counts(answers=answers, positions={(k, p): c for k, p, c in rows})
    rows = db.execute(
        parts.add_columns(AnswerPart.key, func.count(), func.min(AnswerPart.label)).group_by(
            AnswerPart.key
        )
    )
    keys: dict[str, int] = {}
    labels: dict[str, str] = {}
    for key, count, label in rows:
        keys[key] = count
        labels[key] = label or key
    if question.type == "words":
        keys = _apply_rules(db, question, keys, labels)
    return Counts(answers=answers, keys=keys, labels=labels)


def _apply_rules(
    db: Session, question: Question, keys: dict[str, int], labels: dict[str, str]
) -> dict[str, int]:
    rules = list(db.scalars(select(WordRule).where(WordRule.question_id == question.id)))
    merged = dict(keys)
    for rule in rules:
        if rule.into is not None and rule.word in merged:
            merged[rule.into] = merged.get(rule.into, 0) + merged.pop(rule.word)
            labels.setdefault(rule.into, rule.into)
    for rule in rules:
        if rule.hidden:
            merged.pop(rule.word, None)
    return merged


def results(db: Session, question: Question, wall_size: int = WALL_SIZE) -> dict[str, Any]:
    """`wall_size`: the answers an open question's wall shows (fewer for every phone)."""
    kind = question_type(question.type)
    return kind.summarise(counts(db, question, wall_size=wall_size), shape_of(question))


def breakdown(db: Session, question: Question, dimension: str) -> list[dict[str, Any]]:
    """The results once per group of participants: by language, country, organisation type
    or stakeholder type, where they gave it (`""`: those who did not)."""
    column = getattr(Participant, dimension, None) if dimension in DIMENSIONS else None
    if column is None:
        return []  # a profile field participants are not asked for (yet)
    groups = db.scalars(
        select(column)
        .distinct()
        .select_from(Answer)
        .join(Participant, Participant.id == Answer.participant_id)
        .where(Answer.question_id == question.id, Answer.hidden.is_(False))
    )
    kind = question_type(question.type)
    found = []
    for group in sorted(groups, key=lambda g: (g is None, g or "")):
        where = column.is_(None) if group is None else column == group
        found.append(
            {
                "group": UNKNOWN if group is None else group,
                "results": kind.summarise(counts(db, question, where), shape_of(question)),
            }
        )
    return found


def answered(db: Session, workshop_id: int) -> dict[int, tuple[int, int]]:
    """Per question: answers, and participants who answered (hidden ones included)."""
    rows = db.execute(
        select(
            Answer.question_id, func.count(Answer.id), func.count(Answer.participant_id.distinct())
        )
        .join(Question, Question.id == Answer.question_id)
        .where(Question.workshop_id == workshop_id)
        .group_by(Answer.question_id)
    )
    return {q: (a, p) for q, a, p in rows}
