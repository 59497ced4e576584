"""What people wrote: the rapporteur's notes, participants' answers, the audience Q&A,
images. Anonymous participants are never named; removed participants are left out."""

from __future__ import annotations

import base64
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.agenda.models import Workshop
from facilitator.participation.models import Participant
from facilitator.qa.models import AudienceQuestion
from facilitator.qa.services import ANSWERED
from facilitator.qa.votes import votes
from facilitator.questions.answering import shape_of
from facilitator.questions.lifecycle import ensure_questions
from facilitator.questions.models import Answer, Question
from facilitator.questions.results import counts
from facilitator.questions.types import question_type
from facilitator.record.data import (
    Contribution,
    Entry,
    GuidingQuestionInfo,
    ImageInfo,
    QaEntry,
    ResultRow,
)
from facilitator.record.models import Note, RecordImage
from facilitator.record.sections import pick

TOP_ANSWERS = 20


class Notes:
    """The workshop's notes as entries, sorted into the record's sections."""

    def __init__(self, db: Session, workshop: Workshop) -> None:
        self.people = {p.id: p for p in workshop.people}
        self.items = {i.id: i for i in workshop.program}
        rows = db.scalars(
            select(Note).where(Note.workshop_id == workshop.id, Note.text != "").order_by(Note.id)
        )
        self.by_kind: dict[str, list[Note]] = {}
        for note in rows:
            self.by_kind.setdefault(note.kind, []).append(note)

    def entry(self, note: Note, prefix: str) -> Entry:
        person = self.people.get(note.person_id) if note.person_id else None
        item = self.items.get(note.item_id) if note.item_id else None
        return Entry(
            id=f"{prefix}:{note.id}",
            text=note.text,
            language=note.language,
            about=person.name if person else note.person_name,
            about_key=person.key if person else None,
            item=item.key if item else None,
            at=note.updated_at.isoformat(),
        )

    def _order(self, note: Note) -> tuple[int, int, int]:
        item = self.items.get(note.item_id) if note.item_id else None
        person = self.people.get(note.person_id) if note.person_id else None
        return (
            item.position if item else 10**6,
            person.position if person else 10**6,
            note.id,
        )

    def section(self, kind: str, prefix: str) -> list[Entry]:
        notes = sorted(self.by_kind.get(kind, []), key=self._order)
        return [self.entry(n, prefix) for n in notes]

    def answers_to(self, question_id: int) -> list[Entry]:
        notes = [n for n in self.by_kind.get("answer", []) if n.question_id == question_id]
        return [self.entry(n, "answer") for n in sorted(notes, key=self._order)]


def _removed(db: Session, workshop_id: int) -> set[int]:
    return set(
        db.scalars(
            select(Participant.id).where(
                Participant.workshop_id == workshop_id, Participant.removed_at.is_not(None)
            )
        )
    )


TOP_ROWS = 15


def result_rows(results: dict[str, Any], options: list[str]) -> list[ResultRow]:
    """A poll's results as label and count, whatever its type, for tables and bars."""
    if "words" in results:
        return [ResultRow(w["label"], w["count"]) for w in results["words"][:TOP_ROWS]]
    if "distribution" in results:
        return [ResultRow(str(v), n) for v, n in results["distribution"]]
    if "points" in results:
        points = results["points"]
        return [
            ResultRow(options[i] if i < len(options) else str(i), points[i])
            for i in results.get("order", range(len(points)))
        ]
    if "options" in results:
        bars = results["options"]
        return [
            ResultRow(options[i] if i < len(options) else str(i), n) for i, n in enumerate(bars)
        ]
    if "wall" in results:  # open answers: the same text given by several counts once
        same: dict[str, ResultRow] = {}
        for answer in results["wall"]:
            text = " ".join((answer["text"] or "").split())
            row = same.setdefault(text.casefold(), ResultRow(text, 0))
            row.count += 1
        return sorted(same.values(), key=lambda r: -r.count)[:TOP_ROWS]
    return []


def present_results(db: Session, question: Question) -> dict[str, Any]:
    """The question's results without removed participants' answers."""
    kept = counts(db, question, Participant.removed_at.is_(None))
    return question_type(question.type).summarise(kept, shape_of(question))


def guiding_questions(
    db: Session, workshop: Workshop, notes: Notes, language: str
) -> list[GuidingQuestionInfo]:
    polls = {
        q.guiding_question_id: (present_results(db, q), question_type(q.type).chart)
        for q in ensure_questions(db, workshop.id)
        if q.guiding_question_id is not None
    }
    found = []
    for gq in workshop.guiding_questions:
        results, chart = polls.get(gq.id, (None, None))
        options = [pick(o, language, workshop.default_language) or "" for o in gq.options or []]
        answered = bool(results and results.get("answers"))
        found.append(
            GuidingQuestionInfo(
                key=gq.key,
                text=pick(gq.text, language, workshop.default_language) or gq.key,
                answers=notes.answers_to(gq.id),
                results=results,
                responses=int(results.get("answers", 0)) if results else 0,
                rows=result_rows(results, options) if results and answered else [],
                chart=chart,
                options=options,
            )
        )
    return found


def audience_qa(db: Session, workshop: Workshop) -> list[QaEntry]:
    """The answered audience questions (not hidden, not by a removed participant)."""
    removed = _removed(db, workshop.id)
    people = {p.id: p for p in workshop.people}
    counted = votes(db, workshop.id)
    rows = db.scalars(
        select(AudienceQuestion)
        .where(
            AudienceQuestion.workshop_id == workshop.id,
            AudienceQuestion.status == ANSWERED,
            AudienceQuestion.hidden.is_(False),
        )
        .order_by(AudienceQuestion.created_at, AudienceQuestion.id)
    )
    found = []
    for q in rows:
        if q.participant_id in removed:
            continue
        to = people.get(q.speaker_id) if q.speaker_id else None
        by = people.get(q.answered_by_id) if q.answered_by_id else None
        found.append(
            QaEntry(
                id=f"qa:{q.id}",
                question=q.text,
                language=q.language,
                asker=q.name or None,
                to=to.name if to else None,
                answered_by=by.name if by else q.answered_by_name,
                answer=q.answer_text,
                votes=counted.get(q.id, 0),
                asked_at=q.created_at.isoformat(),
                answered_at=q.answered_at.isoformat() if q.answered_at else None,
            )
        )
    return found


def images(db: Session, workshop_id: int) -> list[ImageInfo]:
    rows = db.scalars(
        select(RecordImage).where(RecordImage.workshop_id == workshop_id).order_by(RecordImage.id)
    )
    return [
        ImageInfo(
            id=f"image:{i.id}",
            caption=i.caption,
            mime=i.mime,
            width=i.width,
            height=i.height,
            data_base64=base64.b64encode(i.data).decode("ascii"),
        )
        for i in rows
    ]


def contributions(
    db: Session, workshop: Workshop, record_qa: list[QaEntry], notes: Notes, language: str
) -> list[Contribution]:
    """Every contribution as one CSV row: participants' answers, the audience Q&A, notes."""
    removed = _removed(db, workshop.id)
    questions = {
        q.id: pick(q.text, language, workshop.default_language) or ""
        for q in db.scalars(select(Question).where(Question.workshop_id == workshop.id))
    }
    languages = dict(
        db.execute(
            select(Participant.id, Participant.language).where(
                Participant.workshop_id == workshop.id
            )
        ).all()
    )
    rows: list[Contribution] = []
    # Columns, not entities: thousands of answers are read once and never changed here,
    # and an answer's JSON value is only decoded when it has no text of its own.
    answers = db.execute(
        select(
            Answer.id,
            Answer.question_id,
            Answer.participant_id,
            Answer.text,
            Answer.created_at,
        )
        .where(Answer.question_id.in_(list(questions)), Answer.hidden.is_(False))
        .order_by(Answer.created_at, Answer.id)
    )
    untexted: dict[int, Contribution] = {}
    for answer_id, question_id, participant_id, text, created_at in answers:
        if participant_id in removed:
            continue
        row = Contribution(
            kind="answer",
            column=questions[question_id],
            text=text or "",
            language=languages.get(participant_id),
            author=None,  # answers are anonymous to the record
            group=None,
            at=created_at.isoformat(),
        )
        rows.append(row)
        if not text:
            untexted[answer_id] = row
    if untexted:
        for answer_id, value in db.execute(
            select(Answer.id, Answer.value).where(Answer.id.in_(list(untexted)))
        ):
            untexted[answer_id].text = value if isinstance(value, str) else str(value)
    for qa in record_qa:
        asked = Contribution(
            kind="audience_question",
            column=qa.to or "",
            text=qa.question,
            language=qa.language,
            author=qa.asker,
            group=None,
            at=qa.asked_at,
            source=qa.id,
        )
        rows.append(asked)
        if qa.answer:
            answered = Contribution(
                kind="qa_answer",
                column=qa.question,
                text=qa.answer,
                language=None,
                author=qa.answered_by,
                group=None,
                at=qa.answered_at,
                source=qa.id,
            )
            rows.append(answered)
    for kind in ("item", "summary", "answer", "conclusion"):
        for entry in notes.section(kind, kind):
            column = entry.about or entry.item or ""
            rows.append(
                Contribution(
                    f"note_{kind}",
                    column,
                    entry.text,
                    entry.language,
                    None,
                    None,
                    entry.at,
                    entry.id,
                )
            )
    return rows
