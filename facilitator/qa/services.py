"""The audience Q&A: asking, adding on someone's behalf, moderation, settings, links.

States: `pending` (pre-moderated, awaiting approval) -> `open` -> `answered` (and back
to `open`); `hidden` and `pinned` are apart from the state. Only visible questions
(open or answered, not hidden) are public and take votes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from facilitator.agenda.models import Person, Workshop
from facilitator.domain import DomainError
from facilitator.participation.models import Participant
from facilitator.qa.changes import AudienceQuestionChanged, QaSettingsChanged, SpeakerLinkMade
from facilitator.qa.models import (
    MAX_NAME_LENGTH,
    MAX_QUESTION_LENGTH,
    AudienceQuestion,
    QaSettings,
    SpeakerLink,
)

PENDING, OPEN, ANSWERED = "pending", "open", "answered"
NAMES = ("any", "named", "anonymous")


class QaRefused(DomainError):
    """A Q&A move the question or the workshop's settings do not allow."""


@dataclass(frozen=True)
class Answered:
    by_person: str | None = None  # a person of the agenda, by key
    by_name: str | None = None  # or a name as given
    text: str | None = None


def settings(db: Session, workshop_id: int) -> QaSettings:
    row = db.get(QaSettings, workshop_id)
    if row is None:
        row = QaSettings(workshop_id=workshop_id, moderated=False, names="any")
        db.add(row)
        db.flush()
    return row


def configure(
    db: Session, workshop_id: int, moderated: bool | None, names: str | None
) -> list[object]:
    row = settings(db, workshop_id)
    if names is not None:
        if names not in NAMES:
            raise QaRefused("unknown_setting")
        row.names = names
    if moderated is not None:
        row.moderated = moderated
    db.flush()
    return [QaSettingsChanged(workshop_id)]


def is_public(question: AudienceQuestion) -> bool:
    return question.status != PENDING and not question.hidden


def _text(text: str, limit: int = MAX_QUESTION_LENGTH) -> str:
    cleaned = " ".join(text.split()) if "\n" not in text else text.strip()
    if not cleaned:
        raise QaRefused("text_missing")
    if len(cleaned) > limit:
        raise QaRefused("text_too_long")
    return cleaned


def person(db: Session, workshop_id: int, key: str | None) -> Person | None:
    if key is None:
        return None
    found = db.scalar(select(Person).where(Person.workshop_id == workshop_id, Person.key == key))
    if found is None:
        raise QaRefused("unknown_person")
    return found


def ask(
    db: Session,
    me: Participant,
    text: str,
    *,
    anonymous: bool,
    speaker: str | None,
    now: datetime,
) -> tuple[AudienceQuestion, list[object]]:
    """A participant asks, under their name or not, in their language."""
    rules = settings(db, me.workshop_id)
    if anonymous and rules.names == "named":
        raise QaRefused("anonymous_not_allowed")
    if not anonymous and rules.names == "anonymous":
        raise QaRefused("names_not_allowed")
    if not anonymous and not (me.display_name or "").strip():
        raise QaRefused("name_missing")
    target = person(db, me.workshop_id, speaker)
    question = AudienceQuestion(
        workshop_id=me.workshop_id,
        participant_id=me.id,
        name=None if anonymous else me.display_name,
        text=_text(text),
        language=me.language,
        speaker_id=None if target is None else target.id,
        status=PENDING if rules.moderated else OPEN,
        hidden=False,
        pinned=False,
        created_at=now,
    )
    db.add(question)
    db.flush()
    return question, [AudienceQuestionChanged(me.workshop_id, question.id, False)]


def add(
    db: Session,
    workshop: Workshop,
    user_id: int,
    text: str,
    *,
    name: str | None,
    language: str,
    speaker: str | None,
    now: datetime,
) -> tuple[AudienceQuestion, list[object]]:
    """The moderator adds a question from a microphone, a chat or a card ("from Janick")."""
    if language not in workshop.languages:
        raise QaRefused("unknown_language")
    target = person(db, workshop.id, speaker)
    question = AudienceQuestion(
        workshop_id=workshop.id,
        added_by_user_id=user_id,
        name=_text(name, MAX_NAME_LENGTH) if name and name.strip() else None,
        text=_text(text),
        language=language,
        speaker_id=None if target is None else target.id,
        status=OPEN,  # the moderator wrote it: no approval
        hidden=False,
        pinned=False,
        created_at=now,
    )
    db.add(question)
    db.flush()
    return question, [AudienceQuestionChanged(workshop.id, question.id, False)]


def find(db: Session, workshop_id: int, question_id: int) -> AudienceQuestion:
    question = db.get(AudienceQuestion, question_id)
    if question is None or question.workshop_id != workshop_id:
        raise QaRefused("unknown_question")
    return question


def _changed(question: AudienceQuestion, was_public: bool) -> list[object]:
    return [AudienceQuestionChanged(question.workshop_id, question.id, was_public)]


def approve(db: Session, question: AudienceQuestion) -> list[object]:
    if question.status != PENDING:
        raise QaRefused("not_pending")
    was = is_public(question)
    question.status = OPEN
    db.flush()
    return _changed(question, was)


def edit(db: Session, question: AudienceQuestion, text: str, now: datetime) -> list[object]:
    """Fix a typo: the text changes, the asker, votes and state stay."""
    was = is_public(question)
    question.text = _text(text)
    question.edited_at = now
    db.flush()
    return _changed(question, was)


def hide(db: Session, question: AudienceQuestion, hidden: bool) -> list[object]:
    """Hidden from everyone but the moderators; the asker is not told (their phone still
    shows it as they asked it)."""
    was = is_public(question)
    question.hidden = hidden
    if hidden:
        question.pinned = False
    db.flush()
    return _changed(question, was)


def pin(db: Session, question: AudienceQuestion, pinned: bool) -> list[object]:
    if pinned and not is_public(question):
        raise QaRefused("not_public")
    was = is_public(question)
    question.pinned = pinned
    db.flush()
    return _changed(question, was)


def answer(
    db: Session, question: AudienceQuestion, answered: Answered | None, now: datetime
) -> list[object]:
    """Mark answered, with who answered and a short answer (None: back to open)."""
    if question.status == PENDING:
        raise QaRefused("not_approved")
    was = is_public(question)
    if answered is None:
        question.status = OPEN
        question.answered_by_id = None
        question.answered_by_name = None
        question.answer_text = None
        question.answered_at = None
    else:
        by = person(db, question.workshop_id, answered.by_person)
        question.status = ANSWERED
        question.answered_by_id = None if by is None else by.id
        question.answered_by_name = (
            _text(answered.by_name, MAX_NAME_LENGTH) if answered.by_name else None
        )
        question.answer_text = _text(answered.text) if answered.text else None
        question.answered_at = now
        question.pinned = False
    db.flush()
    return _changed(question, was)


def hide_questions_of(db: Session, workshop_id: int, participant_id: int) -> list[int]:
    """Hide every question one participant asked; the ids hidden."""
    ids = list(
        db.scalars(
            select(AudienceQuestion.id).where(
                AudienceQuestion.workshop_id == workshop_id,
                AudienceQuestion.participant_id == participant_id,
                AudienceQuestion.hidden.is_(False),
            )
        )
    )
    if ids:
        db.execute(
            update(AudienceQuestion)
            .where(AudienceQuestion.id.in_(ids))
            .values(hidden=True, pinned=False)
        )
    return ids


def speaker_link(db: Session, workshop_id: int, key: str) -> tuple[SpeakerLink, list[object]]:
    """The speaker's own link (made once; the same token after)."""
    target = person(db, workshop_id, key)
    assert target is not None
    link = db.get(SpeakerLink, target.id)
    if link is None:
        link = SpeakerLink(person_id=target.id, token=secrets.token_urlsafe(24))
        db.add(link)
        db.flush()
    return link, [SpeakerLinkMade(workshop_id, target.id)]


def clear_rehearsal(db: Session, workshop_id: int) -> None:
    """After a rehearsal: every audience question goes, and its votes with it (the
    database cascades); the settings and the speakers' links stay."""
    db.execute(delete(AudienceQuestion).where(AudienceQuestion.workshop_id == workshop_id))
