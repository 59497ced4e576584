"""Questions of a workshop, the participants' answers and the counted parts of them.

An agenda's guiding question gets a row here the first time the workshop is seen
(linked by `guiding_question_id`, so a re-upload that keeps its id keeps its
answers); a question written live has no link. Rule 6: results are COUNTs of
`answer` and `answer_part` rows, each under a unique constraint.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.agenda.models import TextMap
from facilitator.database import Base, UTCDateTime, utcnow


class Question(Base):
    __tablename__ = "question"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    guiding_question_id: Mapped[int | None] = mapped_column(
        ForeignKey("guiding_question.id", ondelete="CASCADE"), unique=True
    )
    position: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(16))
    text: Mapped[TextMap] = mapped_column(JSON)
    options: Mapped[list[TextMap] | None] = mapped_column(JSON)
    scale: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    max_answers: Mapped[int] = mapped_column(Integer, default=1)
    # ready (never opened, or back from an item that opened it), open, closed
    state: Mapped[str] = mapped_column(String(16), default="ready")
    revealed: Mapped[bool] = mapped_column(Boolean, default=False)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # first time: wording fixed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Answer(Base):
    __tablename__ = "answer"
    # One answer per participant and question; an open question has `max_answers` slots.
    __table_args__ = (UniqueConstraint("question_id", "participant_id", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    slot: Mapped[int] = mapped_column(Integer, default=0)
    value: Mapped[Any] = mapped_column(JSON)  # the canonical answer, as given back
    text: Mapped[str | None] = mapped_column(Text)
    number: Mapped[int | None] = mapped_column(Integer)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    highlighted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    parts: Mapped[list[AnswerPart]] = relationship(
        cascade="all, delete-orphan", order_by="AnswerPart.position"
    )


class AnswerPart(Base):
    """A counted piece of an answer: a word's normal form, an option, an option at a rank."""

    __tablename__ = "answer_part"
    __table_args__ = (UniqueConstraint("answer_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    key: Mapped[str] = mapped_column(String(64))
    label: Mapped[str | None] = mapped_column(String(64))


class WordRule(Base):
    """The moderator's word moderation: hidden from the cloud, or counted as another word."""

    __tablename__ = "word_rule"
    __table_args__ = (UniqueConstraint("question_id", "word"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    word: Mapped[str] = mapped_column(String(64))
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    into: Mapped[str | None] = mapped_column(String(64))


class QuestionSettings(Base):
    __tablename__ = "question_settings"

    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), primary_key=True
    )
    # A question listed by a program item opens when the item starts, closes when it ends.
    auto_open: Mapped[bool] = mapped_column(Boolean, default=False)
