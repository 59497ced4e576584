"""What each screen gets of the audience Q&A: snapshot parts and the votes tally."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.agenda.models import ItemPerson, Person, ProgramItem
from facilitator.qa.models import AudienceQuestion, QaSettings, SpeakerLink
from facilitator.qa.services import OPEN, is_public
from facilitator.qa.votes import voted_by, votes
from facilitator.qa.wire import own_view, person_keys, public_view, staff_view

TOP = 10  # open questions a projector shows beside the pinned ones


def _all(db: Session, workshop_id: int) -> list[AudienceQuestion]:
    return list(
        db.scalars(
            select(AudienceQuestion)
            .where(AudienceQuestion.workshop_id == workshop_id)
            .order_by(AudienceQuestion.created_at, AudienceQuestion.id)
        )
    )


def settings_view(db: Session, workshop_id: int) -> dict[str, Any]:
    row = db.get(QaSettings, workshop_id)  # none yet: the defaults (no write in a snapshot)
    if row is None:
        return {"moderated": False, "names": "any"}
    return {"moderated": row.moderated, "names": row.names}


def vote_counts(db: Session, workshop_id: int) -> dict[str, Any]:
    """`qa.votes`: the votes of every public question, as [[id, votes], …]."""
    public = {q.id for q in _all(db, workshop_id) if is_public(q)}
    counted = votes(db, workshop_id)
    return {"votes": [[q, counted.get(q, 0)] for q in sorted(public)]}


def _names_people(q: AudienceQuestion) -> bool:
    return q.speaker_id is not None or q.answered_by_id is not None


def ranked(questions: list[AudienceQuestion], counted: dict[int, int]) -> list[AudienceQuestion]:
    """By votes, then the older first."""
    return sorted(questions, key=lambda q: (-counted.get(q.id, 0), q.created_at, q.id))


def people_view(db: Session, workshop_id: int) -> list[dict[str, Any]]:
    """The consoles' list of the agenda's people: whom a question can be addressed to or
    answered by, the program items they speak in, and their speaker's link if made."""
    people = list(
        db.scalars(
            select(Person).where(Person.workshop_id == workshop_id).order_by(Person.position)
        )
    )
    if not people:
        return []
    items: dict[int, list[str]] = {}
    for person_id, item in db.execute(
        select(ItemPerson.person_id, ProgramItem.key)
        .join(ProgramItem, ProgramItem.id == ItemPerson.item_id)
        .where(ProgramItem.workshop_id == workshop_id)
        .order_by(ProgramItem.position)
    ):
        items.setdefault(person_id, []).append(item)
    links = dict(
        db.execute(
            select(SpeakerLink.person_id, SpeakerLink.token).where(
                SpeakerLink.person_id.in_([p.id for p in people])
            )
        ).all()
    )
    return [
        {"id": p.key, "name": p.name, "items": items.get(p.id, []), "link": links.get(p.id)}
        for p in people
    ]


def part(db: Session, workshop_id: int, kind: str, me: int | None) -> dict[str, Any]:
    questions = _all(db, workshop_id)
    counted = votes(db, workshop_id) if questions else {}
    people = person_keys(db, workshop_id) if any(_names_people(q) for q in questions) else {}
    data: dict[str, Any] = {"settings": settings_view(db, workshop_id)}
    if kind == "moderator":
        data["questions"] = [staff_view(q, people, counted.get(q.id, 0)) for q in questions]
        data["people"] = people_view(db, workshop_id)
    elif kind == "display":
        public = [q for q in questions if is_public(q)]
        data["pinned"] = [public_view(q, people, counted.get(q.id, 0)) for q in public if q.pinned]
        data["top"] = [
            public_view(q, people, counted.get(q.id, 0))
            for q in ranked([q for q in public if q.status == OPEN and not q.pinned], counted)[:TOP]
        ]
    else:
        data["questions"] = [
            (own_view if q.participant_id == me else public_view)(q, people, counted.get(q.id, 0))
            for q in questions
            if is_public(q) or q.participant_id == me
        ]
        data["voted"] = [] if me is None or not questions else voted_by(db, me)
    return data
