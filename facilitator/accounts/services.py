"""Accounts, roles and invitations. No web imports: callers pass a Session and the actor."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import CursorResult, case, func, select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from facilitator.accounts.models import (
    INVITABLE_ROLES,
    Invitation,
    Membership,
    Role,
    User,
    new_session_token,
)
from facilitator.agenda.models import Workshop
from facilitator.database import utcnow
from facilitator.domain import DomainError

MIN_PASSWORD_LENGTH = 10
# werkzeug's default (scrypt); the test suite swaps in a cheap one to save minutes.
PASSWORD_HASH_METHOD = "scrypt"
MAX_NAME_LENGTH = 200
MAX_EMAIL_LENGTH = 254
INVITATION_SALT = "facilitator.invitation"

# Roles that may do each thing in a workshop (an admin may do everything).
CAN_VIEW = frozenset(Role)
CAN_RUN = frozenset({Role.ORGANISER, Role.MODERATOR})
CAN_MANAGE = frozenset({Role.ORGANISER})


class AccountError(DomainError):
    """A request about accounts that cannot be granted; `code` is stable, for tests and UIs."""


class Forbidden(AccountError):
    def __init__(self) -> None:
        super().__init__("forbidden")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(db: Session, email: str) -> User | None:
    return db.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(
    db: Session, email: str, password: str, name: str = "", *, is_admin: bool = False
) -> User:
    email = normalise_email(email)
    local, _, domain = email.rpartition("@")
    if not local or not domain or len(email) > MAX_EMAIL_LENGTH or any(c.isspace() for c in email):
        raise AccountError("invalid_email")
    if len(name.strip()) > MAX_NAME_LENGTH:
        raise AccountError("invalid_name")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("weak_password")
    if find_user_by_email(db, email) is not None:
        raise AccountError("email_taken")
    user = User(
        email=email,
        name=name.strip(),
        password_hash=generate_password_hash(password, method=PASSWORD_HASH_METHOD),
        is_admin=is_admin,
    )
    db.add(user)
    db.flush()
    return user


def authenticate(db: Session, email: str, password: str) -> User | None:
    user = find_user_by_email(db, email)
    if user is None:
        # Hash anyway so a wrong e-mail takes as long as a wrong password.
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


_DUMMY_HASH = generate_password_hash(secrets.token_urlsafe(16))


def user_of_login(db: Session, login_id: str) -> User | None:
    """The user a session or remember cookie names (`User.login_id`), if it still may."""
    token = login_id.partition(".")[0]
    if not token:
        return None
    return db.scalar(select(User).where(User.session_token == token))


def end_all_logins(db: Session, user: User) -> None:
    """Void every session and remember cookie of `user`, on every device."""
    user.session_token = new_session_token()
    db.flush()


def set_password(db: Session, user: User, password: str) -> None:
    """A new password; every login made with the old one ends."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("weak_password")
    user.password_hash = generate_password_hash(password, method=PASSWORD_HASH_METHOD)
    end_all_logins(db, user)


def change_password(db: Session, user: User, current: str, new: str) -> None:
    """The user's own change: the current password first (a left-open laptop is not enough)."""
    if not check_password_hash(user.password_hash, current):
        raise AccountError("wrong_password")
    set_password(db, user, new)


@dataclass(frozen=True)
class FirstAdmin:
    user: User
    generated_password: str | None  # shown once when we made it up


def ensure_first_admin(db: Session, email: str | None, password: str | None) -> FirstAdmin | None:
    """Create the first organiser account when there is none; None when one exists."""
    if db.scalar(select(func.count()).select_from(User)):
        return None
    generated = None
    if not password:
        generated = password = secrets.token_urlsafe(12)
    user = create_user(db, email or "admin@example.org", password, "Admin", is_admin=True)
    return FirstAdmin(user, generated)


def _power(role: Role) -> int:
    """0 for the strongest role; smaller is stronger."""
    return list(Role).index(role)


# Roles are stored as their names; sort them by power in SQL, not alphabetically.
_ROLE_ORDER = case(*((Membership.role == role, _power(role)) for role in Role))


def role_in(db: Session, user: User, workshop: Workshop) -> Role | None:
    return db.scalar(
        select(Membership.role).where(
            Membership.workshop_id == workshop.id, Membership.user_id == user.id
        )
    )


def require_role(db: Session, user: User, workshop: Workshop, allowed: frozenset[Role]) -> None:
    if user.is_admin:
        return
    role = role_in(db, user, workshop)
    if role is None or role not in allowed:
        raise Forbidden()


def visible_workshops(db: Session, user: User) -> list[Workshop]:
    query = select(Workshop).order_by(Workshop.updated_at.desc(), Workshop.slug)
    if not user.is_admin:
        query = query.join(Membership, Membership.workshop_id == Workshop.id).where(
            Membership.user_id == user.id
        )
    return list(db.scalars(query))


def grant(db: Session, user: User, workshop: Workshop, role: Role) -> Membership:
    """Give `user` a role; a user keeps the stronger of an old and a new role."""
    membership = db.scalar(
        select(Membership).where(
            Membership.workshop_id == workshop.id, Membership.user_id == user.id
        )
    )
    if membership is None:
        membership = Membership(workshop_id=workshop.id, user_id=user.id, role=role)
        db.add(membership)
    elif _power(role) < _power(membership.role):
        membership.role = role
    db.flush()
    return membership


def members(db: Session, workshop: Workshop) -> list[Membership]:
    return list(
        db.scalars(
            select(Membership)
            .where(Membership.workshop_id == workshop.id)
            .order_by(_ROLE_ORDER, Membership.created_at, Membership.id)
        )
    )


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=INVITATION_SALT)


def create_invitation(
    db: Session,
    actor: User,
    workshop: Workshop,
    role: Role,
    *,
    secret_key: str,
    max_age_seconds: int,
) -> tuple[Invitation, str]:
    """Return the invitation and its signed token (the link's last part)."""
    require_role(db, actor, workshop, CAN_MANAGE)
    if role not in INVITABLE_ROLES:
        raise AccountError("invalid_role")
    invitation = Invitation(
        workshop_id=workshop.id,
        role=role,
        nonce=secrets.token_urlsafe(24),
        created_by_id=actor.id,
        expires_at=utcnow() + timedelta(seconds=max_age_seconds),
    )
    db.add(invitation)
    db.flush()
    token = _serializer(secret_key).dumps({"i": invitation.id, "n": invitation.nonce})
    return invitation, token


def open_invitation(db: Session, token: str, *, secret_key: str) -> Invitation:
    """The invitation a token names, if it is genuine, unexpired and unused."""
    try:
        data = _serializer(secret_key).loads(token)
    except SignatureExpired as exc:
        raise AccountError("invitation_expired") from exc
    except BadSignature as exc:
        raise AccountError("invitation_invalid") from exc
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        raise AccountError("invitation_invalid")
    invitation = db.get(Invitation, data["i"])
    if invitation is None or not secrets.compare_digest(invitation.nonce, str(data.get("n"))):
        raise AccountError("invitation_invalid")
    if invitation.used_at is not None:
        raise AccountError("invitation_used")
    if invitation.expires_at <= utcnow():
        raise AccountError("invitation_expired")
    return invitation


def holds_at_least(db: Session, user: User, workshop: Workshop, role: Role) -> bool:
    """Whether `user` already holds `role` or a stronger one in `workshop`."""
    held = role_in(db, user, workshop)
    return held is not None and _power(held) <= _power(role)


def accept_invitation(db: Session, token: str, user: User, *, secret_key: str) -> Membership:
    """Grant the invitation's role to `user` and use the link up.

    A user who already holds that role or a stronger one gets `already_member`
    and the link stays open for the person it was meant for.
    """
    invitation = open_invitation(db, token, secret_key=secret_key)
    if holds_at_least(db, user, invitation.workshop, invitation.role):
        raise AccountError("already_member")
    # Mark it used in the same transaction; the row lock (PostgreSQL) or the
    # database write lock (SQLite) makes a second accept see used_at.
    claimed = cast(
        "CursorResult[Any]",
        db.execute(
            update(Invitation)
            .where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
            .values(used_at=utcnow(), used_by_id=user.id)
            .execution_options(synchronize_session=False)
        ),
    )
    if claimed.rowcount != 1:
        raise AccountError("invitation_used")
    db.expire(invitation)
    return grant(db, user, invitation.workshop, invitation.role)


def pending_invitations(db: Session, workshop: Workshop) -> list[Invitation]:
    return list(
        db.scalars(
            select(Invitation)
            .where(
                Invitation.workshop_id == workshop.id,
                Invitation.used_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
            .order_by(Invitation.created_at.desc())
        )
    )


def revoke_invitation(
    db: Session, actor: User, workshop: Workshop, invitation_id: int
) -> Invitation:
    """Withdraw an unused invitation of `workshop`; its link then reads as invalid."""
    require_role(db, actor, workshop, CAN_MANAGE)
    invitation = db.get(Invitation, invitation_id)
    if invitation is None or invitation.workshop_id != workshop.id:
        raise AccountError("invitation_not_found")
    if invitation.used_at is not None:
        raise AccountError("invitation_used")
    db.delete(invitation)
    db.flush()
    return invitation


def remove_member(db: Session, actor: User, workshop: Workshop, user_id: int) -> Membership:
    """Take a user's role in `workshop` away; a workshop always keeps one organiser."""
    require_role(db, actor, workshop, CAN_MANAGE)
    membership = db.scalar(
        select(Membership).where(
            Membership.workshop_id == workshop.id, Membership.user_id == user_id
        )
    )
    if membership is None:
        raise AccountError("not_member")
    if membership.role is Role.ORGANISER:
        organisers = db.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.workshop_id == workshop.id, Membership.role == Role.ORGANISER)
        )
        if (organisers or 0) <= 1:
            raise AccountError("last_organiser")
    db.delete(membership)
    db.flush()
    return membership
