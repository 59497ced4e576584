"""Join codes people type from a projector, and the projector's own link token."""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from datetime import date, time

import pytest
from sqlalchemy.orm import Session

from facilitator.agenda.models import Day, ProgramItem, Workshop
from facilitator.live import services
from facilitator.live.codes import (
    ALPHABET,
    CODE_LENGTH,
    format_join_code,
    new_display_token,
    new_join_code,
    normalise_join_code,
)


def test_the_alphabet_has_32_symbols_and_no_look_alikes() -> None:
    assert len(ALPHABET) == len(set(ALPHABET)) == 32
    assert set(ALPHABET) <= set(string.digits + string.ascii_uppercase)
    assert not set("ILOU") & set(ALPHABET)  # read as 1, 1, 0, or not at all
    assert CODE_LENGTH == 8
    assert len(ALPHABET) ** CODE_LENGTH >= 2**40


def test_a_new_code_has_eight_symbols_of_the_alphabet() -> None:
    codes = [new_join_code() for _ in range(2000)]
    assert all(len(code) == 8 and set(code) <= set(ALPHABET) for code in codes)
    assert len(set(codes)) == len(codes)
    assert set("".join(codes)) == set(ALPHABET)  # every symbol is used


def test_codes_do_not_follow_the_random_module(monkeypatch: pytest.MonkeyPatch) -> None:
    """Made by the CSPRNG: seeding `random` (as any library may) does not repeat them."""
    random.seed(3)
    first = new_join_code()
    random.seed(3)
    assert new_join_code() != first

    drawn: list[str] = []

    def choice(symbols: str) -> str:
        drawn.append(symbols)
        return "Z"

    monkeypatch.setattr("facilitator.live.codes.secrets.choice", choice)
    assert new_join_code() == "ZZZZZZZZ"
    assert drawn == [ALPHABET] * 8


def test_a_code_is_shown_in_two_groups_of_four() -> None:
    assert format_join_code("ABCD2345") == "ABCD-2345"


@pytest.mark.parametrize(
    "typed",
    [
        "ABCD-2345",
        "ABCD2345",
        "abcd-2345",
        "aBcD2345",
        " abcd 2345 ",
        "ab-cd-23-45",
        "ABCD\t2345\n",
        "ABCD\u00a02345",  # a phone's non-breaking space
    ],
)
def test_what_people_type_is_read_as_the_code(typed: str) -> None:
    assert normalise_join_code(typed) == "ABCD2345"


def test_look_alikes_are_read_as_the_digits() -> None:
    assert normalise_join_code("OOOO-IIII") == "00001111"
    assert normalise_join_code("oooo-llll") == "00001111"
    assert normalise_join_code("ABC0-1XYZ") == normalise_join_code("abco-ixyz") == "ABC01XYZ"


def test_every_shown_code_reads_back() -> None:
    for _ in range(200):
        code = new_join_code()
        assert normalise_join_code(format_join_code(code)) == code
        assert normalise_join_code(format_join_code(code).lower()) == code


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "-",
        "ABCD-234",  # 7
        "ABCD-23456",  # 9
        "ABCD-2345-ABCD-2345",
        "ABCD-234U",  # U is not in the alphabet
        "ABCD-234!",
        "ABCD_2345",
        "ABCD-234É",
        "ＡＢＣＤ２３４５",  # full-width forms
        "ABCD/2345",
    ],
)
def test_wrong_lengths_and_foreign_symbols_are_refused(typed: str) -> None:
    assert normalise_join_code(typed) is None


def test_display_tokens_are_long_urlsafe_and_distinct() -> None:
    tokens = [new_display_token() for _ in range(500)]
    assert len(set(tokens)) == len(tokens)
    for token in tokens:
        assert len(token) >= 32  # 192 bits: a projector link nobody guesses
        assert set(token) <= set(string.ascii_letters + string.digits + "-_")


def workshops(db: Session, count: int) -> list[Workshop]:
    made = []
    for number in range(count):
        workshop = Workshop(
            slug=f"w{number}", title={"en": f"W{number}"}, languages=["en"], timezone="UTC"
        )
        day = Day(position=1, date=date(2026, 1, 1), start=time(9), end=time(10))
        workshop.days.append(day)
        workshop.program.append(
            ProgramItem(
                key="a", position=1, day=day, start=time(9), end=time(10), title={"en": "A"}
            )
        )
        db.add(workshop)
        made.append(workshop)
    db.flush()
    return made


def test_every_workshop_gets_its_own_code_and_token(service_session: Session) -> None:
    states = [services.live_state(service_session, w) for w in workshops(service_session, 60)]
    service_session.commit()
    codes = [state.join_code for state in states]
    assert len(set(codes)) == 60
    assert all(normalise_join_code(code) == code for code in codes)
    assert len({state.display_token for state in states}) == 60


def test_a_code_already_in_use_is_never_given_again(
    service_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = workshops(service_session, 2)
    taken = services.live_state(service_session, first).join_code
    service_session.commit()

    def drawn() -> Iterator[str]:
        yield taken
        yield taken
        yield "FRESH234"

    draws = drawn()
    monkeypatch.setattr(services, "new_join_code", lambda: next(draws))
    assert services.live_state(service_session, second).join_code == "FRESH234"
    service_session.commit()
