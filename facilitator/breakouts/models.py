"""Breakout rounds, their groups and members, help requests and broadcast messages.

A round is one forming of groups (a program item of kind `breakout`, or none): it is
previewed, opened, closed (after an optional countdown), and kept for the record. At most
one round per workshop is not closed. A member row is kept when its participant leaves,
so that they come back to the same group.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from facilitator.database import Base, UTCDateTime, utcnow

MODES = ("random", "self", "language", "stakeholder", "manual")
PREVIEW, OPEN, CLOSED = "preview", "open", "closed"
PHASES = ("write", "cluster", "vote", "synthesise")
MAX_GROUP_NAME = 80
MAX_MEETING_URL = 2048
MAX_MESSAGE = 500


class BreakoutRound(Base):
    __tablename__ = "breakout_round"
    __table_args__ = (Index("ix_breakout_round_workshop", "workshop_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    item_key: Mapped[str | None] = mapped_column(String(64))  # the program item, of kind breakout
    mode: Mapped[str] = mapped_column(String(16))
    # {"groups": int|None, "size": int|None, "max_size": int|None}
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), default=PREVIEW)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a countdown runs till then
    gallery: Mapped[bool] = mapped_column(Boolean, default=False)
    report_group_id: Mapped[int | None] = mapped_column(Integer)
    report_cycle: Mapped[bool] = mapped_column(Boolean, default=False)
    timer_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    votes_per_member: Mapped[int] = mapped_column(Integer, default=3)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # `breakouts.end`: the breakout phase is over; the round is kept for the record only.
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class BreakoutGroup(Base):
    __tablename__ = "breakout_group"
    __table_args__ = (Index("ix_breakout_group_round", "round_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("breakout_round.id", ondelete="CASCADE"))
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(MAX_GROUP_NAME))
    block_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    language: Mapped[str | None] = mapped_column(String(35))  # mode `language`: its language
    meeting_url: Mapped[str | None] = mapped_column(String(MAX_MEETING_URL))  # members only
    rapporteur_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL")
    )
    phase: Mapped[str] = mapped_column(String(16), default="write")
    phase_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    timer_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # overrides the round's
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class GroupMember(Base):
    __tablename__ = "breakout_member"
    __table_args__ = (UniqueConstraint("round_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("breakout_round.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(
        ForeignKey("breakout_group.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HelpRequest(Base):
    __tablename__ = "breakout_help"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("breakout_group.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class GroupMessage(Base):
    __tablename__ = "breakout_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("breakout_round.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int | None] = mapped_column(  # None: every group
        ForeignKey("breakout_group.id", ondelete="CASCADE")
    )
    text: Mapped[str] = mapped_column(String(MAX_MESSAGE))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
