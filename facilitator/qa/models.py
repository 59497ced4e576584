"""Audience questions, their upvotes (a row each: rule 6), settings and speaker links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from facilitator.database import Base, UTCDateTime, utcnow

MAX_QUESTION_LENGTH = 500
MAX_NAME_LENGTH = 80


class AudienceQuestion(Base):
    __tablename__ = "qa_question"
    __table_args__ = (Index("ix_qa_question_workshop", "workshop_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    # The phone that asked; None for a question the moderator added on someone's behalf.
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    added_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    name: Mapped[str | None] = mapped_column(String(MAX_NAME_LENGTH))  # None: anonymous
    text: Mapped[str] = mapped_column(String(MAX_QUESTION_LENGTH))
    language: Mapped[str] = mapped_column(String(35))
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    # pending (awaiting approval), open, answered; hiding is apart (the asker is not told)
    status: Mapped[str] = mapped_column(String(16), default="open")
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    answered_by_name: Mapped[str | None] = mapped_column(String(MAX_NAME_LENGTH))
    answer_text: Mapped[str | None] = mapped_column(String(MAX_QUESTION_LENGTH))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Upvote(Base):
    __tablename__ = "qa_vote"
    __table_args__ = (UniqueConstraint("question_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("qa_question.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class QaSettings(Base):
    __tablename__ = "qa_settings"

    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), primary_key=True
    )
    moderated: Mapped[bool] = mapped_column(Boolean, default=False)  # approve before shown
    # Who may ask how: "any", "named" (no anonymous questions) or "anonymous" (no names).
    names: Mapped[str] = mapped_column(String(16), default="any")


class SpeakerLink(Base):
    """A display-style link for one speaker of the agenda: their questions, no account."""

    __tablename__ = "qa_speaker_link"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
