"""What the realtime mechanism keeps: applied mutations (idempotency) and stream counters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from facilitator.database import Base, UTCDateTime, utcnow


class AppliedMutation(Base):
    __tablename__ = "applied_mutation"
    # Keyed on the sender too: one client cannot replay or block another's cid.
    __table_args__ = (UniqueConstraint("workshop_id", "actor", "cid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    actor: Mapped[str] = mapped_column(String(32))  # "u:<user id>" or "p:<participant id>"
    cid: Mapped[str] = mapped_column(String(36))
    event: Mapped[str] = mapped_column(String(64))
    result: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StreamSeq(Base):
    """The last sequence number sent to one audience (one row per room that got one)."""

    __tablename__ = "stream_seq"

    room: Mapped[str] = mapped_column(String(64), primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int]
