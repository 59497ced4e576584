"""What screens receive of the audience Q&A: data and codes, never sentences."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.agenda.models import Person
from facilitator.qa.models import AudienceQuestion


def ms(moment: Any) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


def person_keys(db: Session, workshop_id: int) -> dict[int, str]:
    return dict(
        db.execute(select(Person.id, Person.key).where(Person.workshop_id == workshop_id)).all()
    )


def public_view(q: AudienceQuestion, people: dict[int, str], votes: int) -> dict[str, Any]:
    """As phones, projectors and speakers see it: the asker's name only if given."""
    return {
        "id": q.id,
        "text": q.text,
        "language": q.language,
        "name": q.name,  # None: anonymous
        "speaker": people.get(q.speaker_id) if q.speaker_id else None,
        "status": q.status,
        "pinned": q.pinned,
        "votes": votes,
        "answer": (
            {
                "by_person": people.get(q.answered_by_id) if q.answered_by_id else None,
                "by_name": q.answered_by_name,
                "text": q.answer_text,
                "at_ms": ms(q.answered_at),
            }
            if q.status == "answered"
            else None
        ),
        "at_ms": ms(q.created_at),
        "edited": q.edited_at is not None,
    }


def own_view(q: AudienceQuestion, people: dict[int, str], votes: int) -> dict[str, Any]:
    """As its asker sees it: never told it was hidden."""
    return {**public_view(q, people, votes), "mine": True}


def staff_view(q: AudienceQuestion, people: dict[int, str], votes: int) -> dict[str, Any]:
    return {
        **public_view(q, people, votes),
        "hidden": q.hidden,
        "participant": q.participant_id,
        "added_by": q.added_by_user_id,
    }
