"""Accounts, roles and invitations, on a database with no Flask app at all."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.accounts import services
from facilitator.accounts.models import Invitation, Membership, Role, User
from facilitator.accounts.services import (
    CAN_MANAGE,
    CAN_RUN,
    AccountError,
    Forbidden,
    accept_invitation,
    authenticate,
    create_invitation,
    create_user,
    ensure_first_admin,
    grant,
    members,
    open_invitation,
    pending_invitations,
    remove_member,
    require_role,
    revoke_invitation,
    role_in,
)
from facilitator.agenda.models import Day, Workshop
from facilitator.database import utcnow

PASSWORD = "correct horse battery"
SECRET = "service-test-secret-" + "y" * 32
WEEK = 7 * 24 * 3600


@pytest.fixture
def db(service_session: Session) -> Session:
    return service_session


@pytest.fixture
def user(db: Session) -> Callable[..., User]:
    def make(email: str, *, admin: bool = False) -> User:
        made = create_user(db, email, PASSWORD, email.split("@")[0], is_admin=admin)
        db.commit()
        return made

    return make


@pytest.fixture
def workshop(db: Session) -> Callable[..., Workshop]:
    def make(slug: str, organiser: User | None = None) -> Workshop:
        made = Workshop(
            slug=slug, title={"en": slug}, languages=["en"], timezone="UTC", kind="workshop"
        )
        made.days.append(Day(position=1, date=date(2026, 1, 1), start=time(9), end=time(10)))
        db.add(made)
        db.flush()
        if organiser is not None:
            grant(db, organiser, made, Role.ORGANISER)
        db.commit()
        return made

    return make


def invite(
    db: Session, actor: User, workshop: Workshop, role: Role = Role.MODERATOR, max_age: int = WEEK
) -> tuple[Invitation, str]:
    invitation, token = create_invitation(
        db, actor, workshop, role, secret_key=SECRET, max_age_seconds=max_age
    )
    db.commit()
    return invitation, token


def code_of(excinfo: pytest.ExceptionInfo[AccountError]) -> str:
    return excinfo.value.code


# --- users ------------------------------------------------------------------------------


def test_create_and_authenticate(db: Session) -> None:
    made = create_user(db, "ana@example.org", PASSWORD, "  Ana  ")
    db.commit()
    assert made.name == "Ana"
    assert made.password_hash != PASSWORD
    assert authenticate(db, "ana@example.org", PASSWORD) == made
    assert authenticate(db, "ana@example.org", PASSWORD + "!") is None
    assert authenticate(db, "nobody@example.org", PASSWORD) is None


def test_email_is_normalised(db: Session) -> None:
    made = create_user(db, "  Ana.Lopez@Example.ORG ", PASSWORD)
    db.commit()
    assert made.email == "ana.lopez@example.org"
    assert authenticate(db, "ANA.LOPEZ@example.org  ", PASSWORD) == made
    with pytest.raises(AccountError) as excinfo:
        create_user(db, "ana.lopez@EXAMPLE.org", PASSWORD)
    assert code_of(excinfo) == "email_taken"


@pytest.mark.parametrize("email", ["", "no-at-sign", "@example.org", "ana@", "a na@example.org"])
def test_invalid_email_refused(db: Session, email: str) -> None:
    with pytest.raises(AccountError) as excinfo:
        create_user(db, email, PASSWORD)
    assert code_of(excinfo) == "invalid_email"


def test_weak_password_refused(db: Session) -> None:
    with pytest.raises(AccountError) as excinfo:
        create_user(db, "ana@example.org", "x" * (services.MIN_PASSWORD_LENGTH - 1))
    assert code_of(excinfo) == "weak_password"
    assert db.scalar(select(User)) is None


def test_too_long_name_refused(db: Session) -> None:
    with pytest.raises(AccountError) as excinfo:
        create_user(db, "ana@example.org", PASSWORD, "a" * (services.MAX_NAME_LENGTH + 1))
    assert code_of(excinfo) == "invalid_name"


def test_first_admin_with_generated_password(db: Session) -> None:
    first = ensure_first_admin(db, None, None)
    db.commit()
    assert first is not None
    assert first.user.is_admin
    assert first.generated_password is not None
    assert len(first.generated_password) >= services.MIN_PASSWORD_LENGTH
    assert authenticate(db, first.user.email, first.generated_password) == first.user
    # Only the first time: an existing account means there is nothing to do.
    assert ensure_first_admin(db, "other@example.org", PASSWORD) is None


def test_first_admin_with_given_password(db: Session) -> None:
    first = ensure_first_admin(db, "Boss@Example.org", PASSWORD)
    assert first is not None
    assert first.generated_password is None
    assert authenticate(db, "boss@example.org", PASSWORD) == first.user


# --- roles ------------------------------------------------------------------------------


def test_grant_keeps_the_stronger_role(
    db: Session, user: Callable[..., User], workshop: Callable[..., Workshop]
) -> None:
    ana = user("ana@example.org")
    place = workshop("a")
    grant(db, ana, place, Role.MODERATOR)
    assert role_in(db, ana, place) is Role.MODERATOR
    grant(db, ana, place, Role.RAPPORTEUR)  # weaker: ignored
    assert role_in(db, ana, place) is Role.MODERATOR
    grant(db, ana, place, Role.ORGANISER)  # stronger: taken
    assert role_in(db, ana, place) is Role.ORGANISER
    assert len(list(db.scalars(select(Membership)))) == 1


def test_require_role_and_admin(
    db: Session, user: Callable[..., User], workshop: Callable[..., Workshop]
) -> None:
    ana, admin, stranger = (
        user("ana@example.org"),
        user("root@example.org", admin=True),
        user("x@example.org"),
    )
    place = workshop("a")
    grant(db, ana, place, Role.RAPPORTEUR)
    with pytest.raises(Forbidden):
        require_role(db, ana, place, CAN_RUN)
    with pytest.raises(Forbidden):
        require_role(db, stranger, place, frozenset(Role))
    require_role(db, admin, place, CAN_MANAGE)  # an admin may do everything


def test_members_are_listed_strongest_role_first(
    db: Session, user: Callable[..., User], workshop: Callable[..., Workshop]
) -> None:
    place = workshop("a")
    rapporteur, organiser, moderator = (
        user("r@example.org"),
        user("o@example.org"),
        user("m@example.org"),
    )
    grant(db, rapporteur, place, Role.RAPPORTEUR)
    grant(db, organiser, place, Role.ORGANISER)
    grant(db, moderator, place, Role.MODERATOR)
    db.commit()
    assert [m.role for m in members(db, place)] == [
        Role.ORGANISER,
        Role.MODERATOR,
        Role.RAPPORTEUR,
    ]


# --- invitations ------------------------------------------------------------------------


def test_invitation_create_and_accept(
    db: Session, user: Callable[..., User], workshop: Callable[..., Workshop]
) -> None:
    owner = user("owner@example.org")
    place = workshop("a", owner)
    invitation, token = invite(db, owner, place, Role.RAPPORTEUR)
    assert pending_invitations(db, place) == [invitation]
    assert open_invitation(db, token, secret_key=SECRET) == invitation

    guest = user("guest@example.org")
    membership = accept_invitation(db, token, guest, secret_key=SECRET)
    db.commit()
    assert membership.role is Role.RAPPORTEUR
    assert role_in(db, guest, place) is Role.RAPPORTEUR
    db.refresh(invitation)
    assert invitation.used_by_id == guest.id
    assert invitation.used_at is not None
    assert pending_invitations(db, place) == []


def test_only_a_manager_invites_and_only_to_lesser_roles(
    db: Session, user: Callable[..., User], workshop: Callable[..., Workshop]
) -> None:
    owner, moderator = user("owner@example.org"), user("mod@example.org")
    place = workshop("a", owner)
    grant(db, moderator, place, Role.MODERATOR)
    with pytest.raises(Forbidden):
        invite(db, moderator, place, Role.RAPPORTEUR)
    with pytest.raises(AccountError) as excinfo:
        invite(db, owner, place, Role.ORGANISER)
    assert code_of(excinfo) == "invalid_role"


def test_expired_token_refused(
    db: Session, user: Callable[..., User], workshop: Callable[..., Workshop]
) -> None:
    owner = user("owner@example.org")
    place = workshop("a", owner)
    _invitation, token = invite(db, owner, place, max_age=-1)
    with pytest.raises(AccountError) as excinfo:
        open_invitation(db, token, secret_key=SECRET)
    assert code_of(excinfo) == "invitation_expired"
    with pytest.raises(AccountError) as excinfo:
        accept_invitation(db, token, user("late@example.org"), secret_key=SECRET)
    assert code_of(excinfo) == "invitation_expired"
    assert pending_invitations(db, place) == []


def test_link_refused_once_its_time_has_passed(
    db: Session, user: Callable[..., User], workshop: Callable[..., Workshop]
) -> None:
    """Valid today; a week and a second later (its expiry moved back as much) refused."""
    owner = user("owner@example.org")
    place = workshop("a", owner)
    invitation, token = invite(db, owner, place)
    assert open_invitation(db, token, secret_key=SECRET) == invitation
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    db.commit()
    with pytest.raises(AccountError) as excinfo:
        open_invitation(db, token, secret_key=SECRET)
    assert code_of(excinfo) == "invitation_expired"
    assert invitation.used_at is None


def test_reused_token_refused(
    db: Session, user: Callable[..., User], workshop: Callable[..., Workshop]
) -> None:
    owner = user("owner@example.org")
    place = workshop("a", owner)
    _invitation, token = invite(db, owner, place)
    accept_invitation(db, token, user("first@example.org"), secret_key=SECRET)
    db.commit()
    second = user("second@example.org")
    with pytest.raises(AccountError) as excinfo:
        accept_invitation(db, token, second, secret_key=SECRET)
    assert code_of(excinfo) == "invitation_used"
    assert role_in(db, second, place) is None


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "x" + token,
        lambda token: "not-a-token",
        lambda token: "",
    ],
)
def test_tampered_token_refused(
    db: Session,
    user: Callable[..., User],
    workshop: Callable[..., Workshop],
    tamper: Callable[[str], str],
) -> None:
    owner = user("owner@example.org")
    place = workshop("a", owner)
    _invitation, token = invite(db, owner, place)
    with pytest.raises(AccountError) as excinfo:
        open_invitation(db, tamper(token), secret_key=SECRET)
    assert code_of(excinfo) == "invitation_invalid"


def test_token_signed_with_another_key_or_wrong_nonce_refused(
    db: Session, user: Callable[..., User], workshop: Callable[..., Workshop]
) -> None:
    owner = user("owner@example.org")
    place = workshop("a", owner)
    invitation, token = invite(db, owner, place)
    with pytest.raises(AccountError) as excinfo:
        open_invitation(db, token, secret_key="another-secret-" + "z" * 32)
    assert code_of(excinfo) == "invitation_invalid"
    # Correctly signed, but guessing the id without the nonce gets nothing.
    forged = URLSafeTimedSerializer(SECRET, salt=services.INVITATION_SALT).dumps(
        {"i": invitation.id, "n": "guess"}
    )
    with pytest.raises(AccountError) as excinfo:
        open_invitation(db, forged, secret_key=SECRET)
    assert code_of(excinfo) == "invitation_invalid"


def test_invitation_of_one_workshop_grants_nothing_in_another(
    db: Session, user: Callable[..., User], workshop: Callable[..., Workshop]
) -> None:
    owner = user("owner@example.org")
    a, b = workshop("a", owner), workshop("b", owner)
    _invitation, token = invite(db, owner, a, Role.MODERATOR)
    guest = user("guest@example.org")
    accept_invitation(db, token, guest, secret_key=SECRET)
    db.commit()
    assert role_in(db, guest, a) is Role.MODERATOR
    assert role_in(db, guest, b) is None
    with pytest.raises(Forbidden):
        require_role(db, guest, b, frozenset(Role))
    assert services.visible_workshops(db, guest) == [a]


def test_member_with_that_role_already_does_not_use_up_the_link(
    db: Session, user: Callable[..., User], workshop: Callable[..., Workshop]
) -> None:
    owner = user("owner@example.org")
    place = workshop("a", owner)
    invitation, token = invite(db, owner, place, Role.RAPPORTEUR)
    with pytest.raises(AccountError) as excinfo:
        accept_invitation(db, token, owner, secret_key=SECRET)
    assert code_of(excinfo) == "already_member"
    db.rollback()
    assert role_in(db, owner, place) is Role.ORGANISER
    assert open_invitation(db, token, secret_key=SECRET) == invitation


def test_a_rapporteur_invited_as_moderator_is_promoted(
    db: Session, user: Callable[..., User], workshop: Callable[..., Workshop]
) -> None:
    owner, ana = user("owner@example.org"), user("ana@example.org")
    place = workshop("a", owner)
    grant(db, ana, place, Role.RAPPORTEUR)
    _invitation, token = invite(db, owner, place, Role.MODERATOR)
    accept_invitation(db, token, ana, secret_key=SECRET)
    assert role_in(db, ana, place) is Role.MODERATOR


# --- revoking and removing --------------------------------------------------------------


def test_revoke_invitation(
    db: Session, user: Callable[..., User], workshop: Callable[..., Workshop]
) -> None:
    owner = user("owner@example.org")
    place = workshop("a", owner)
    invitation, token = invite(db, owner, place)
    revoke_invitation(db, owner, place, invitation.id)
    db.commit()
    assert pending_invitations(db, place) == []
    with pytest.raises(AccountError) as excinfo:
        open_invitation(db, token, secret_key=SECRET)
    assert code_of(excinfo) == "invitation_invalid"


def test_revoke_is_for_managers_of_that_workshop_only(
    db: Session, user: Callable[..., User], workshop: Callable[..., Workshop]
) -> None:
    owner, other_owner, moderator = (
        user("owner@example.org"),
        user("other@example.org"),
        user("mod@example.org"),
    )
    a, b = workshop("a", owner), workshop("b", other_owner)
    grant(db, moderator, a, Role.MODERATOR)
    invitation, _token = invite(db, owner, a)
    with pytest.raises(Forbidden):
        revoke_invitation(db, moderator, a, invitation.id)
    # The organiser of B cannot reach A's invitation through B.
    with pytest.raises(AccountError) as excinfo:
        revoke_invitation(db, other_owner, b, invitation.id)
    assert code_of(excinfo) == "invitation_not_found"
    assert pending_invitations(db, a) == [invitation]


def test_used_invitation_cannot_be_revoked(
    db: Session, user: Callable[..., User], workshop: Callable[..., Workshop]
) -> None:
    owner = user("owner@example.org")
    place = workshop("a", owner)
    invitation, token = invite(db, owner, place)
    accept_invitation(db, token, user("guest@example.org"), secret_key=SECRET)
    db.commit()
    with pytest.raises(AccountError) as excinfo:
        revoke_invitation(db, owner, place, invitation.id)
    assert code_of(excinfo) == "invitation_used"


def test_remove_member(
    db: Session, user: Callable[..., User], workshop: Callable[..., Workshop]
) -> None:
    owner, ana = user("owner@example.org"), user("ana@example.org")
    place = workshop("a", owner)
    grant(db, ana, place, Role.MODERATOR)
    removed = remove_member(db, owner, place, ana.id)
    db.commit()
    assert removed.user_id == ana.id
    assert role_in(db, ana, place) is None
    with pytest.raises(AccountError) as excinfo:
        remove_member(db, owner, place, ana.id)
    assert code_of(excinfo) == "not_member"


def test_last_organiser_cannot_be_removed(
    db: Session, user: Callable[..., User], workshop: Callable[..., Workshop]
) -> None:
    owner, admin = user("owner@example.org"), user("root@example.org", admin=True)
    place = workshop("a", owner)
    for actor in (owner, admin):
        with pytest.raises(AccountError) as excinfo:
            remove_member(db, actor, place, owner.id)
        assert code_of(excinfo) == "last_organiser"
    assert role_in(db, owner, place) is Role.ORGANISER
    # With a second organiser, the first may step down.
    second = user("second@example.org")
    grant(db, second, place, Role.ORGANISER)
    remove_member(db, owner, place, owner.id)
    assert role_in(db, owner, place) is None


def test_only_managers_remove_members(
    db: Session, user: Callable[..., User], workshop: Callable[..., Workshop]
) -> None:
    owner, moderator = user("owner@example.org"), user("mod@example.org")
    place = workshop("a", owner)
    grant(db, moderator, place, Role.MODERATOR)
    with pytest.raises(Forbidden):
        remove_member(db, moderator, place, owner.id)
    assert role_in(db, owner, place) is Role.ORGANISER
