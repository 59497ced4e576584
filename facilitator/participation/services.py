"""Joining a workshop by its code, without an account, and being recognised again."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from facilitator.accounts.models import User
from facilitator.accounts.services import CAN_RUN, require_role
from facilitator.agenda.models import Workshop
from facilitator.agenda.schema import known_countries
from facilitator.config import LANGUAGES as INTERFACE_LANGUAGES
from facilitator.domain import DomainError
from facilitator.live.codes import normalise_join_code
from facilitator.live.models import LiveState, Phase
from facilitator.participation.models import Participant

TOKEN_BYTES = 16  # 128 bits
MAX_NAME = 80
MAX_ORGANISATION = 200
STAKEHOLDER_TYPES = (
    "local-government",
    "national-government",
    "sse-organisation",
    "civil-society",
    "academia",
    "international-organisation",
    "private-sector",
    "other",
)
# The kind of organisation, beside the stakeholder group: the forms of the social and
# solidarity economy first (what a breakdown of answers by organisation type shows).
ORGANISATION_TYPES = (
    "cooperative",
    "mutual",
    "association",
    "foundation",
    "social-enterprise",
    "network",
    "public-body",
    "company",
    "research",
    "informal",
    "other",
)


class JoinRefused(DomainError):
    """`code`: not_found (a wrong or expired code: one answer for both), locked, invalid."""


@dataclass(frozen=True)
class Profile:
    language: str
    display_name: str | None = None
    organisation: str | None = None
    country: str | None = None
    stakeholder_type: str | None = None
    organisation_type: str | None = None


@dataclass(frozen=True)
class Joined:
    participant: Participant  # flushed: its id is known
    token: str  # given to the phone once; only its hash is kept
    workshop: Workshop


@dataclass(frozen=True)
class ParticipantsChanged:
    workshop_id: int


@dataclass(frozen=True)
class ParticipantRemoved:
    workshop_id: int
    participant_id: int


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_workshop_by_code(db: Session, typed: str) -> tuple[Workshop, LiveState]:
    """The workshop a join code opens; wrong and ended codes get the same refusal."""
    code = normalise_join_code(typed)
    # One query for both: the workshop comes with its live row, not lazily after it.
    state = (
        None
        if code is None
        else db.scalar(
            select(LiveState)
            .options(joinedload(LiveState.workshop, innerjoin=True))
            .where(LiveState.join_code == code)
        )
    )
    if state is None or state.phase is Phase.ENDED:
        raise JoinRefused("not_found")
    return state.workshop, state


# Invisible characters that would make a name look blank or read backwards on screens.
_INVISIBLE = frozenset("\u061c\u200b\u200e\u200f\u2060\ufeff") | frozenset(
    chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
)
# What secrets.token_urlsafe makes; anything else cannot be a token of ours.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _clean(value: str | None, limit: int) -> str | None:
    """One line of visible text: control characters become spaces, runs of spaces one."""
    kept = (
        " " if unicodedata.category(c) == "Cc" else c
        for c in value or ""
        if c not in _INVISIBLE and unicodedata.category(c) not in ("Cs", "Co")
    )
    value = " ".join("".join(kept).split())
    return value[:limit].rstrip() or None


def participant_languages(workshop: Workshop) -> list[str]:
    """What a participant may choose: the session's languages first, then every other
    language the interface speaks. A Korean speaker in an English session gets a Korean
    interface (the agenda's text stays in English), and the moderators see them counted."""
    base = {language.split("-")[0] for language in workshop.languages}
    return [*workshop.languages, *(code for code in INTERFACE_LANGUAGES if code not in base)]


def validate_profile(workshop: Workshop, profile: Profile) -> Profile:
    if profile.language not in participant_languages(workshop):
        raise JoinRefused("invalid_language")
    country = (profile.country or "").strip().upper() or None
    if country is not None and country not in known_countries():
        raise JoinRefused("invalid_country")
    stakeholder = profile.stakeholder_type or None
    if stakeholder is not None and stakeholder not in STAKEHOLDER_TYPES:
        raise JoinRefused("invalid_stakeholder_type")
    kind = profile.organisation_type or None
    if kind is not None and kind not in ORGANISATION_TYPES:
        raise JoinRefused("invalid_organisation_type")
    return Profile(
        language=profile.language,
        display_name=_clean(profile.display_name, MAX_NAME),
        organisation=_clean(profile.organisation, MAX_ORGANISATION),
        country=country,
        stakeholder_type=stakeholder,
        organisation_type=kind,
    )


def join(
    db: Session, typed_code: str, profile: Profile, now: datetime
) -> tuple[Joined, list[ParticipantsChanged]]:
    workshop, state = open_workshop_by_code(db, typed_code)
    return join_opened(db, workshop, state, profile, now)


def join_opened(
    db: Session, workshop: Workshop, state: LiveState, profile: Profile, now: datetime
) -> tuple[Joined, list[ParticipantsChanged]]:
    """`join`, for a caller that already opened the workshop by its code in this session."""
    if state.joining_locked:
        raise JoinRefused("locked")
    profile = validate_profile(workshop, profile)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    participant = Participant(
        workshop_id=workshop.id,
        token_hash=hash_token(token),
        display_name=profile.display_name,
        language=profile.language,
        organisation=profile.organisation,
        country=profile.country,
        stakeholder_type=profile.stakeholder_type,
        organisation_type=profile.organisation_type,
        joined_at=now,
    )
    db.add(participant)
    db.flush()
    return Joined(participant, token, workshop), [ParticipantsChanged(workshop.id)]


def _hash_of_ours(token: str | None) -> str | None:
    """The hash to look a token up by; None for what cannot be a token of ours."""
    return hash_token(token) if token and _TOKEN.fullmatch(token) else None


def recognise(db: Session, workshop: Workshop, token: str | None) -> Participant | None:
    """The participant this token belongs to in this workshop, unless removed."""
    token_hash = _hash_of_ours(token)
    if token_hash is None:
        return None
    participant = db.scalar(select(Participant).where(Participant.token_hash == token_hash))
    if participant is None or participant.workshop_id != workshop.id:
        return None
    return None if participant.removed_at is not None else participant


@dataclass(frozen=True)
class Recognised:
    """Who a socket's token names: what a connection needs, no more."""

    id: int
    workshop_id: int
    language: str


def recognise_in(db: Session, slug: str, token: str | None) -> Recognised | None:
    """`recognise` by the workshop's slug, in one query: the participant this token belongs
    to in the workshop with this slug, unless removed. A wrong slug, a wrong token, a token
    of another workshop and a removed participant all give None.

    Three columns, not the entity: every phone of a join storm connects through here,
    and building an ORM object costs more than the query."""
    token_hash = _hash_of_ours(token)
    if token_hash is None:
        return None
    row = db.execute(
        select(Participant.id, Participant.workshop_id, Participant.language)
        .join(Workshop, Workshop.id == Participant.workshop_id)
        .where(
            Participant.token_hash == token_hash,
            Workshop.slug == slug,
            Participant.removed_at.is_(None),
        )
    ).first()
    return None if row is None else Recognised(row.id, row.workshop_id, row.language)


@dataclass(frozen=True)
class LanguageChanged:
    workshop_id: int
    participant_id: int
    language: str


def change_language(
    db: Session, participant: Participant, language: str
) -> list[LanguageChanged | ParticipantsChanged]:
    workshop = db.get(Workshop, participant.workshop_id)
    assert workshop is not None
    if language not in participant_languages(workshop):
        raise JoinRefused("invalid_language")
    participant.language = language
    return [
        LanguageChanged(workshop.id, participant.id, language),
        ParticipantsChanged(workshop.id),
    ]


def update_profile(
    db: Session, participant: Participant, profile: Profile
) -> list[ParticipantsChanged]:
    """The optional step after joining: organisation, its type, country, stakeholder group
    (each may be cleared).

    `profile.language` is the participant's own: the language changes by itself."""
    workshop = db.get(Workshop, participant.workshop_id)
    assert workshop is not None
    checked = validate_profile(workshop, profile)
    participant.organisation = checked.organisation
    participant.country = checked.country
    participant.stakeholder_type = checked.stakeholder_type
    participant.organisation_type = checked.organisation_type
    return [ParticipantsChanged(workshop.id)]


def remove(
    db: Session, actor: User, workshop: Workshop, participant_id: int, now: datetime
) -> list[ParticipantRemoved | ParticipantsChanged]:
    require_role(db, actor, workshop, CAN_RUN)
    participant = db.get(Participant, participant_id)
    if participant is None or participant.workshop_id != workshop.id:
        raise JoinRefused("unknown_participant")
    if participant.removed_at is not None:
        return []
    participant.removed_at = now
    return [ParticipantRemoved(workshop.id, participant.id), ParticipantsChanged(workshop.id)]


def participants(db: Session, workshop: Workshop) -> list[Participant]:
    return list(
        db.scalars(
            select(Participant)
            .where(Participant.workshop_id == workshop.id, Participant.removed_at.is_(None))
            .order_by(Participant.joined_at, Participant.id)
        )
    )


def count_by_language(db: Session, workshop: Workshop) -> dict[str, int]:
    rows = db.execute(
        select(Participant.language, func.count())
        .where(Participant.workshop_id == workshop.id, Participant.removed_at.is_(None))
        .group_by(Participant.language)
    )
    return {language: count for language, count in rows}
