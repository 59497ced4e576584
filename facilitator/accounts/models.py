"""Accounts and who holds which role in which workshop."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import Boolean, Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.agenda.models import Workshop
from facilitator.database import Base, UTCDateTime, utcnow


class Role(enum.StrEnum):
    """A role in one workshop, from most to least power."""

    ORGANISER = "organiser"  # owns it: update, delete, invite
    MODERATOR = "moderator"  # runs it live
    RAPPORTEUR = "rapporteur"  # takes notes, exports the record


INVITABLE_ROLES = (Role.MODERATOR, Role.RAPPORTEUR)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What session and remember cookies name the user by (Flask-Login's alternative id),
    # never the row id: replacing it ends every login of the user at once.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    # Flask-Login's protocol, written out so the model does not import flask_login.
    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return self.session_token

    def login_id(self) -> str:
        """What one login stores: the alternative id plus a random part of its own.

        Flask-Login reads it (`LoginManager.id_attribute`), so two logins never
        share a remember cookie; the user loader looks up the part before the dot.
        """
        return f"{self.get_id()}.{secrets.token_urlsafe(12)}"

    @property
    def display_name(self) -> str:
        return self.name or self.email


class Membership(Base):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("workshop_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    workshop: Mapped[Workshop] = relationship()


class Invitation(Base):
    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=16))
    # Random; the signed token carries it, so a leaked id alone is worthless.
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    workshop: Mapped[Workshop] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    used_by: Mapped[User | None] = relationship(foreign_keys=[used_by_id])
