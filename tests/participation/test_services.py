"""Joining by code, being recognised again, and being removed, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from facilitator.accounts.models import Role, User
from facilitator.accounts.services import Forbidden, create_user, grant
from facilitator.agenda.models import Workshop
from facilitator.agenda.parsing import parse_agenda
from facilitator.agenda.services import store_agenda
from facilitator.live import services as live
from facilitator.live.codes import format_join_code
from facilitator.participation.models import Participant
from facilitator.participation.services import (
    MAX_NAME,
    MAX_ORGANISATION,
    STAKEHOLDER_TYPES,
    JoinRefused,
    LanguageChanged,
    ParticipantRemoved,
    ParticipantsChanged,
    Profile,
    change_language,
    count_by_language,
    join,
    participants,
    recognise,
    recognise_in,
    remove,
)
from tests.realtime.support import statements

ROOT = Path(__file__).resolve().parents[2]
# en, fr and ko: a workshop people join in several languages.
MULTILINGUAL = ROOT / "sessions" / "2020-gsef-local-governments-sse-partnership.yaml"
OTHER = ROOT / "sessions" / "2021-local-governments-sse-alliances.yaml"
PASSWORD = "a long test password"
NOW = datetime(2020, 11, 30, 12, 0, tzinfo=UTC)


@dataclass
class Room:
    db: Session
    workshop: Workshop
    code: str  # as the projector shows it: ABCD-EFGH
    organiser: User
    other: Workshop
    other_code: str
    other_moderator: User  # moderates the other workshop only


@pytest.fixture
def room(service_session: Session) -> Room:
    db = service_session
    organiser = create_user(db, "organiser@example.org", PASSWORD)
    workshop = store_agenda(db, parse_agenda(MULTILINGUAL.read_bytes()).agenda, organiser).workshop
    other_organiser = create_user(db, "elsewhere@example.org", PASSWORD)
    other = store_agenda(db, parse_agenda(OTHER.read_bytes()).agenda, other_organiser).workshop
    other_moderator = create_user(db, "other-moderator@example.org", PASSWORD)
    grant(db, other_moderator, other, Role.MODERATOR)
    room = Room(
        db=db,
        workshop=workshop,
        code=format_join_code(live.live_state(db, workshop).join_code),
        organiser=organiser,
        other=other,
        other_code=format_join_code(live.live_state(db, other).join_code),
        other_moderator=other_moderator,
    )
    db.commit()
    return room


def stored(room: Room) -> list[Participant]:
    room.db.commit()
    room.db.expire_all()
    return list(room.db.scalars(select(Participant).order_by(Participant.id)))


def refused(code: str, room: Room, typed: str, profile: Profile) -> JoinRefused:
    with pytest.raises(JoinRefused) as caught:
        join(room.db, typed, profile, NOW)
    assert caught.value.code == code
    return caught.value


def test_join_stores_the_profile(room: Room) -> None:
    profile = Profile(
        language="fr",
        display_name="Amélie",
        organisation="Ville de Montréal",
        country="CA",
        stakeholder_type="local-government",
    )
    joined, events = join(room.db, room.code, profile, NOW)

    assert events == [ParticipantsChanged(room.workshop.id)]
    [person] = stored(room)
    assert person.id == joined.participant.id
    assert person.workshop_id == room.workshop.id
    assert (person.display_name, person.language) == ("Amélie", "fr")
    assert (person.organisation, person.country) == ("Ville de Montréal", "CA")
    assert person.stakeholder_type == "local-government"
    assert person.joined_at == NOW
    assert person.removed_at is None


def test_the_token_is_128_random_bits_and_only_its_hash_is_kept(room: Room) -> None:
    tokens = [join(room.db, room.code, Profile("en"), NOW)[0].token for _ in range(20)]
    assert len(set(tokens)) == 20
    for token in tokens:  # 16 bytes, base64url without padding
        raw = base64.urlsafe_b64decode(token + "==")
        assert len(raw) == 16
        assert base64.urlsafe_b64encode(raw).rstrip(b"=").decode() == token

    rows = stored(room)
    assert [row.token_hash for row in rows] == [
        hashlib.sha256(token.encode()).hexdigest() for token in tokens
    ]
    for row in rows:  # the token itself is nowhere in the row
        values = [str(getattr(row, c.key)) for c in Participant.__table__.columns]
        assert not any(token in value for token in tokens for value in values)


def test_anonymous_with_only_a_language(room: Room) -> None:
    joined, _ = join(room.db, room.code, Profile("ko"), NOW)
    [person] = stored(room)
    assert person.display_name is None
    assert person.organisation is None and person.country is None
    assert person.stakeholder_type is None
    assert joined.participant.language == "ko"


@pytest.mark.parametrize("shape", [str.lower, lambda c: c.replace("-", ""), lambda c: f" {c} "])
def test_the_code_may_be_typed_loosely(room: Room, shape: Callable[[str], str]) -> None:
    joined, _ = join(room.db, shape(room.code), Profile("en"), NOW)
    assert joined.participant.workshop_id == room.workshop.id


def test_wrong_and_ended_codes_get_one_identical_answer(room: Room) -> None:
    wrong = refused("not_found", room, "ZZZZ-ZZZZ", Profile("en"))
    garbage = refused("not_found", room, "not a code at all", Profile("en"))

    live.start(room.db, room.organiser, room.workshop, NOW)
    live.end(room.db, room.organiser, room.workshop, NOW + timedelta(hours=1))
    room.db.commit()
    ended = refused("not_found", room, room.code, Profile("en"))

    assert str(wrong) == str(garbage) == str(ended)
    assert wrong.args == ended.args
    assert stored(room) == []


def test_joining_works_before_the_start_and_while_running(room: Room) -> None:
    join(room.db, room.code, Profile("en"), NOW)
    live.start(room.db, room.organiser, room.workshop, NOW)
    join(room.db, room.code, Profile("en"), NOW)
    assert len(stored(room)) == 2


def test_a_locked_workshop_refuses_new_people(room: Room) -> None:
    live.lock_joining(room.db, room.organiser, room.workshop, True)
    room.db.commit()
    refused("locked", room, room.code, Profile("en"))
    assert stored(room) == []

    live.lock_joining(room.db, room.organiser, room.workshop, False)
    join(room.db, room.code, Profile("en"), NOW)
    assert len(stored(room)) == 1


@pytest.mark.parametrize(
    ("profile", "code"),
    [
        (Profile("de"), "invalid_language"),  # not one of the workshop's languages
        (Profile(""), "invalid_language"),
        (Profile("EN"), "invalid_language"),
        (Profile("en", country="XX"), "invalid_country"),
        (Profile("en", country="FRA"), "invalid_country"),
        (Profile("en", country="EU"), "invalid_country"),
        (Profile("en", stakeholder_type="aliens"), "invalid_stakeholder_type"),
        (Profile("en", stakeholder_type="Local-Government"), "invalid_stakeholder_type"),
    ],
)
def test_an_invalid_profile_is_refused_and_nothing_stored(
    room: Room, profile: Profile, code: str
) -> None:
    refused(code, room, room.code, profile)
    assert stored(room) == []


def test_every_stakeholder_type_and_a_lowercase_country_are_accepted(room: Room) -> None:
    for kind in STAKEHOLDER_TYPES:
        join(room.db, room.code, Profile("en", country=" kr ", stakeholder_type=kind), NOW)
    rows = stored(room)
    assert [row.stakeholder_type for row in rows] == list(STAKEHOLDER_TYPES)
    assert {row.country for row in rows} == {"KR"}


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  Ana   María  ", "Ana María"),
        ("Ana\nMaría\t", "Ana María"),
        ("Ana\x00María", "Ana María"),  # control characters never reach a screen
        ("\x1b[31mRed\x1b[0m", "[31mRed [0m"),
        ("Bob\u202egnirts", "Bobgnirts"),  # no right-to-left override tricks
        ("\u200b\u200b", None),  # invisible only: anonymous
        ("   ", None),
        ("", None),
        ("김민준", "김민준"),
        ("👩\u200d💻 Dev", "👩\u200d💻 Dev"),  # emoji sequences stay whole
    ],
)
def test_names_are_cleaned(room: Room, typed: str, kept: str | None) -> None:
    join(room.db, room.code, Profile("en", display_name=typed, organisation=typed), NOW)
    [person] = stored(room)
    assert person.display_name == kept
    assert person.organisation == kept


def test_long_names_are_cut_to_the_limits(room: Room) -> None:
    profile = Profile("en", display_name="N" * 500, organisation="O" * 500)
    join(room.db, room.code, profile, NOW)
    # a cut that falls on a space leaves no trailing space
    spaced = Profile("en", display_name="x" * (MAX_NAME - 1) + " yz")
    join(room.db, room.code, spaced, NOW)
    first, second = stored(room)
    assert first.display_name == "N" * MAX_NAME
    assert first.organisation == "O" * MAX_ORGANISATION
    assert second.display_name == "x" * (MAX_NAME - 1)


def test_a_phone_is_recognised_in_its_workshop_only(room: Room) -> None:
    joined, _ = join(room.db, room.code, Profile("fr"), NOW)
    elsewhere, _ = join(room.db, room.other_code, Profile("en"), NOW)
    room.db.commit()
    room.db.expire_all()

    found = recognise(room.db, room.workshop, joined.token)
    assert found is not None and found.id == joined.participant.id
    assert recognise(room.db, room.other, joined.token) is None
    assert recognise(room.db, room.workshop, elsewhere.token) is None
    other = recognise(room.db, room.other, elsewhere.token)
    assert other is not None and other.id == elsewhere.participant.id


def test_a_phone_is_recognised_by_its_workshops_slug_only(room: Room) -> None:
    joined, _ = join(room.db, room.code, Profile("fr"), NOW)
    elsewhere, _ = join(room.db, room.other_code, Profile("en"), NOW)
    room.db.commit()
    room.db.expire_all()

    found = recognise_in(room.db, room.workshop.slug, joined.token)
    assert found is not None and found.id == joined.participant.id
    assert found.workshop_id == room.workshop.id and found.language == "fr"
    assert recognise_in(room.db, room.other.slug, joined.token) is None
    assert recognise_in(room.db, room.workshop.slug, elsewhere.token) is None
    assert recognise_in(room.db, "no-such-workshop", joined.token) is None
    assert recognise_in(room.db, "", joined.token) is None
    other = recognise_in(room.db, room.other.slug, elsewhere.token)
    assert other is not None and other.id == elsewhere.participant.id


def test_a_removed_participant_is_not_recognised_by_slug(room: Room) -> None:
    joined, _ = join(room.db, room.code, Profile("en"), NOW)
    remove(room.db, room.organiser, room.workshop, joined.participant.id, NOW)
    room.db.commit()
    assert recognise_in(room.db, room.workshop.slug, joined.token) is None


def test_joining_costs_one_query_and_the_insert(room: Room) -> None:
    room.db.expunge_all()  # as in a request: nothing of the workshop loaded yet
    with statements(room.db.get_bind().engine) as sent:
        joined, _ = join(room.db, room.code, Profile("en"), NOW)
        assert joined.participant.id is not None
        assert joined.workshop.slug == room.workshop.slug
    assert len(sent) == 2, sent
    assert sent[0].startswith("SELECT live_state.") and " JOIN workshop " in sent[0]
    assert sent[1].startswith("INSERT INTO participant ")


def test_recognising_by_slug_costs_one_query(room: Room) -> None:
    joined, _ = join(room.db, room.code, Profile("en"), NOW)
    room.db.commit()
    room.db.expunge_all()
    with statements(room.db.get_bind().engine) as sent:
        found = recognise_in(room.db, room.workshop.slug, joined.token)
    assert found is not None and found.id == joined.participant.id
    assert len(sent) == 1, sent


@pytest.mark.parametrize(
    "token",
    [
        None,
        "",
        " ",
        "x" * 65,
        "x" * 10_000,
        "not a token",
        "\ud800\udfff",  # lone surrogates, as a JSON payload may carry
        "🙂" * 5,
        "'; DROP TABLE participant; --",
    ],
)
def test_garbage_tokens_are_not_recognised(room: Room, token: str | None) -> None:
    join(room.db, room.code, Profile("en"), NOW)
    assert recognise(room.db, room.workshop, token) is None
    assert recognise_in(room.db, room.workshop.slug, token) is None


def test_a_token_one_character_off_is_not_recognised(room: Room) -> None:
    joined, _ = join(room.db, room.code, Profile("en"), NOW)
    last = "A" if joined.token[-1] != "A" else "B"
    assert recognise(room.db, room.workshop, joined.token[:-1] + last) is None
    assert recognise(room.db, room.workshop, joined.token[:-1]) is None
    # the stored hash is no key either: a leaked database lets no one in
    hashed = hashlib.sha256(joined.token.encode()).hexdigest()
    assert recognise(room.db, room.workshop, hashed) is None
    assert recognise_in(room.db, room.workshop.slug, hashed) is None
    assert recognise_in(room.db, room.workshop.slug, joined.token[:-1] + last) is None


def test_a_moderator_removes_a_participant(room: Room) -> None:
    joined, _ = join(room.db, room.code, Profile("fr"), NOW)
    join(room.db, room.code, Profile("fr"), NOW)
    pid = joined.participant.id

    events = remove(room.db, room.organiser, room.workshop, pid, NOW + timedelta(minutes=5))

    assert events == [
        ParticipantRemoved(room.workshop.id, pid),
        ParticipantsChanged(room.workshop.id),
    ]
    removed = stored(room)[0]
    assert removed.removed_at == NOW + timedelta(minutes=5)
    assert recognise(room.db, room.workshop, joined.token) is None
    assert pid not in [p.id for p in participants(room.db, room.workshop)]
    assert count_by_language(room.db, room.workshop) == {"fr": 1}
    # removing again changes nothing and tells no one
    assert remove(room.db, room.organiser, room.workshop, pid, NOW + timedelta(hours=1)) == []
    assert stored(room)[0].removed_at == NOW + timedelta(minutes=5)


def test_a_granted_moderator_may_remove(room: Room) -> None:
    moderator = create_user(room.db, "moderator@example.org", PASSWORD)
    grant(room.db, moderator, room.workshop, Role.MODERATOR)
    joined, _ = join(room.db, room.code, Profile("en"), NOW)
    assert remove(room.db, moderator, room.workshop, joined.participant.id, NOW)
    assert participants(room.db, room.workshop) == []


def test_removing_is_refused_to_others_and_across_workshops(room: Room) -> None:
    joined, _ = join(room.db, room.code, Profile("en"), NOW)
    elsewhere, _ = join(room.db, room.other_code, Profile("en"), NOW)
    rapporteur = create_user(room.db, "rapporteur@example.org", PASSWORD)
    grant(room.db, rapporteur, room.workshop, Role.RAPPORTEUR)
    room.db.commit()
    pid = joined.participant.id

    for actor in (room.other_moderator, rapporteur):
        with pytest.raises(Forbidden):
            remove(room.db, actor, room.workshop, pid, NOW)
    # a moderator of the other workshop cannot reach into this one through their own
    with pytest.raises(JoinRefused) as caught:
        remove(room.db, room.other_moderator, room.other, pid, NOW)
    assert caught.value.code == "unknown_participant"
    # nor this workshop's moderator into the other one
    with pytest.raises(JoinRefused) as caught:
        remove(room.db, room.organiser, room.workshop, elsewhere.participant.id, NOW)
    assert caught.value.code == "unknown_participant"
    with pytest.raises(JoinRefused):
        remove(room.db, room.organiser, room.workshop, 10**9, NOW)

    assert all(row.removed_at is None for row in stored(room))
    assert recognise(room.db, room.workshop, joined.token) is not None
    assert recognise(room.db, room.other, elsewhere.token) is not None


def test_count_by_language_counts_the_rows(room: Room) -> None:
    assert count_by_language(room.db, room.workshop) == {}
    joined = {}
    for n, language in enumerate(["en", "en", "en", "fr", "fr", "ko"]):
        joined[n] = join(room.db, room.code, Profile(language), NOW)[0]
    join(room.db, room.other_code, Profile("en"), NOW)  # another workshop's: not counted
    assert count_by_language(room.db, room.workshop) == {"en": 3, "fr": 2, "ko": 1}

    remove(room.db, room.organiser, room.workshop, joined[0].participant.id, NOW)
    change_language(room.db, joined[5].participant, "fr")
    assert count_by_language(room.db, room.workshop) == {"en": 2, "fr": 3}

    # a row changed behind the service's back is counted as it is now: nothing is cached
    room.db.execute(
        update(Participant).where(Participant.id == joined[1].participant.id).values(language="ko")
    )
    assert count_by_language(room.db, room.workshop) == {"en": 1, "fr": 3, "ko": 1}
    room.db.commit()
    assert room.db.scalar(select(func.count()).select_from(Participant)) == 7


def test_change_language(room: Room) -> None:
    joined, _ = join(room.db, room.code, Profile("en"), NOW)
    person = joined.participant

    events = change_language(room.db, person, "ko")

    assert events == [
        LanguageChanged(room.workshop.id, person.id, "ko"),
        ParticipantsChanged(room.workshop.id),
    ]
    assert stored(room)[0].language == "ko"
    with pytest.raises(JoinRefused) as caught:
        change_language(room.db, person, "de")
    assert caught.value.code == "invalid_language"
    assert stored(room)[0].language == "ko"


def test_the_profile_step_after_joining_sets_and_clears_the_details(room: Room) -> None:
    from facilitator.participation.services import update_profile

    joined, _ = join(room.db, room.code, Profile("fr", display_name="Ana"), NOW)
    person = joined.participant
    details = Profile(
        "en", organisation="  City\tof  Seoul ", country="kr", stakeholder_type="academia"
    )
    assert update_profile(room.db, person, details) == [ParticipantsChanged(room.workshop.id)]
    row = stored(room)[0]
    assert (row.organisation, row.country, row.stakeholder_type) == (
        "City of Seoul",
        "KR",
        "academia",
    )
    assert (row.language, row.display_name) == ("fr", "Ana")  # the step leaves these alone
    update_profile(room.db, person, Profile("fr"))  # edited later: cleared
    row = stored(room)[0]
    assert (row.organisation, row.country, row.stakeholder_type) == (None, None, None)
    for bad, code in [
        (Profile("fr", country="XX"), "invalid_country"),
        (Profile("fr", stakeholder_type="astronaut"), "invalid_stakeholder_type"),
    ]:
        with pytest.raises(JoinRefused) as caught:
            update_profile(room.db, person, bad)
        assert caught.value.code == code


def test_a_participant_may_pick_any_interface_language_too(service_session: Session) -> None:
    from facilitator.participation.services import participant_languages

    organiser = create_user(service_session, "languages@example.org", "a long test password")
    english_only = store_agenda(
        service_session,
        parse_agenda(
            (ROOT / "sessions" / "2021-local-governments-sse-alliances.yaml").read_bytes()
        ).agenda,
        organiser,
    ).workshop
    assert participant_languages(english_only) == ["en", "fr", "es", "pt", "ko"]
