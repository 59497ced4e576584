"""The boards of breakout groups: cards, dot votes, self-assessments and the synthesis.

A vote is a row (rule 6), one per card and participant; a participant's votes in one group
take numbered slots below the round's `votes_per_member`, unique per group and participant,
so the limit holds under a race on two connections as the unique constraint does. A card
and the synthesis carry a `version`: an edit names the version it was based on, and a
stale one is refused, never silently overwritten.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from facilitator.database import Base, UTCDateTime, utcnow

MAX_CARD = 280
MAX_SYNTHESIS = 5000
MAX_BY = 80


class Card(Base):
    __tablename__ = "breakout_card"
    __table_args__ = (Index("ix_breakout_card_group", "group_id", "block_key", "column"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("breakout_group.id", ondelete="CASCADE"))
    block_key: Mapped[str] = mapped_column(String(64))
    column: Mapped[int] = mapped_column(Integer)  # the index of the block's prompt
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(MAX_CARD))
    author_participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL")
    )
    author_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The card this one is merged into (always a card that is merged into none).
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey("breakout_card.id", ondelete="SET NULL")
    )
    removed: Mapped[bool] = mapped_column(Boolean, default=False)  # kept for the record
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CardVote(Base):
    __tablename__ = "breakout_vote"
    __table_args__ = (
        UniqueConstraint("card_id", "participant_id"),
        UniqueConstraint("group_id", "participant_id", "slot"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("breakout_card.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(
        ForeignKey("breakout_group.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    slot: Mapped[int] = mapped_column(Integer)  # 0 .. votes_per_member - 1
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Assessment(Base):
    __tablename__ = "breakout_assessment"
    __table_args__ = (UniqueConstraint("round_id", "block_key", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("breakout_round.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(
        ForeignKey("breakout_group.id", ondelete="CASCADE"), index=True
    )
    block_key: Mapped[str] = mapped_column(String(64))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    value: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Synthesis(Base):
    __tablename__ = "breakout_synthesis"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("breakout_group.id", ondelete="CASCADE"), unique=True
    )
    text: Mapped[str] = mapped_column(Text)  # markdown, rendered as text by every screen
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(MAX_BY))  # a name, for display
