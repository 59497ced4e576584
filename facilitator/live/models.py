"""What is happening now in a workshop, kept in the database so a restart resumes it."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Enum, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.agenda.models import ProgramItem, Workshop
from facilitator.database import Base, UTCDateTime


class Phase(enum.StrEnum):
    WAITING = "waiting"  # not started: screens show the join code and the first item
    RUNNING = "running"
    ENDED = "ended"


class LiveState(Base):
    """One row per workshop that has been opened for running."""

    __tablename__ = "live_state"

    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), primary_key=True
    )
    join_code: Mapped[str] = mapped_column(String(8), unique=True)
    display_token: Mapped[str] = mapped_column(String(64), unique=True)
    phase: Mapped[Phase] = mapped_column(Enum(Phase, native_enum=False, length=16))
    current_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("program_item.id", ondelete="SET NULL")
    )
    joining_locked: Mapped[bool] = mapped_column(Boolean, default=False)
    # The timer: `duration_s` to count down; `elapsed_s` run before `running_since`;
    # while running, elapsed = elapsed_s + (now - running_since).
    timer_duration_s: Mapped[int] = mapped_column(Integer, default=0)
    timer_elapsed_s: Mapped[float] = mapped_column(Float, default=0.0)
    timer_running_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message: Mapped[str | None] = mapped_column(Text)
    message_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A run started on another date than its first item's (a rehearsal) is timed from its
    # actual start: every planned time moves by this many seconds. 0 on the planned date.
    schedule_shift_s: Mapped[int] = mapped_column(Integer, default=0)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    workshop: Mapped[Workshop] = relationship()
    current_item: Mapped[ProgramItem | None] = relationship()


class ItemRun(Base):
    """When an item actually ran; an item run twice (the moderator went back) has two rows."""

    __tablename__ = "item_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("program_item.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    item: Mapped[ProgramItem] = relationship()
