"""The record's own rows: versioned notes, images, hand-entered counts, the draft's edits,
published versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from facilitator.database import Base, UTCDateTime, utcnow

MAX_NOTE_LENGTH = 20_000
MAX_NAME_LENGTH = 200


class Note(Base):
    """One place the rapporteur writes in: its slot says what it is about.

    `slot` is `kind:item:person:question:name` (empty parts left blank), unique per workshop.
    """

    __tablename__ = "record_note"
    __table_args__ = (UniqueConstraint("workshop_id", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    slot: Mapped[str] = mapped_column(String(400))
    kind: Mapped[str] = mapped_column(String(16))  # item, summary, answer, conclusion
    item_id: Mapped[int | None] = mapped_column(ForeignKey("program_item.id", ondelete="SET NULL"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("guiding_question.id", ondelete="SET NULL")
    )
    person_name: Mapped[str | None] = mapped_column(String(MAX_NAME_LENGTH))  # not on the agenda
    version: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(35))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NoteVersion(Base):
    """Every save, kept: accepted ones carry the version they made; a refused one
    (based on an old version) keeps its text with `version` None, so nothing is lost."""

    __tablename__ = "record_note_version"
    __table_args__ = (UniqueConstraint("workshop_id", "author_id", "cid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    note_id: Mapped[int] = mapped_column(ForeignKey("record_note.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    cid: Mapped[str] = mapped_column(String(36))
    based_on: Mapped[int] = mapped_column(Integer)
    version: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(35))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RecordImage(Base):
    """An image of the record, re-encoded (no metadata travels)."""

    __tablename__ = "record_image"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    mime: Mapped[str] = mapped_column(String(32))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    caption: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RecordSettings(Base):
    """Per workshop: the hand-entered online count, the draft's edits, the public link."""

    __tablename__ = "record_settings"

    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), primary_key=True
    )
    online_count: Mapped[int | None] = mapped_column(Integer)
    online_label: Mapped[str | None] = mapped_column(String(200))  # "Zoom participation"
    # {"texts": {entry: text}, "hidden": [entry], "order": {section: [entry]}, "redact": [name]}
    edits: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    public_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The most phones connected at once, as the coalesced tally saw them (a few times a
    # second, every worker merged): a high-water mark, only ever raised.
    peak_connected: Mapped[int | None] = mapped_column(Integer)
    peak_connected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RecordVersion(Base):
    """A published record: the compiled data as it was, downloadable in every format."""

    __tablename__ = "record_version"
    __table_args__ = (UniqueConstraint("workshop_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
