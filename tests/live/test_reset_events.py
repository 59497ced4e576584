"""A reset after a rehearsal, over Socket.IO: what the rehearsal's participants gave goes
(answers, audience questions, breakout groups and their boards) in the same unit of work
as the run, what the room set up stays, and every screen is told to take a new snapshot."""

# ruff: noqa: F811  (the realtime fixtures, imported, are the tests' parameters)

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from facilitator.breakouts import rounds
from facilitator.breakouts.board_models import Card, CardVote
from facilitator.breakouts.models import BreakoutGroup, BreakoutRound, GroupMember
from facilitator.database import utcnow
from facilitator.live import services
from facilitator.live.models import LiveState, Phase
from facilitator.participation.models import Participant
from facilitator.qa.models import AudienceQuestion, Upvote
from facilitator.questions.models import Answer, AnswerPart, Question
from facilitator.realtime.registry import Feature, Registry
from facilitator.realtime.runtime import current
from tests.realtime import board_support as bs
from tests.realtime import questions_support as qs
from tests.realtime.conftest import database_template, sock, template, world  # noqa: F401
from tests.realtime.support import Client, World, as_organiser

Sock = Callable[..., Client]


def rehearsed(world: World) -> None:
    """The night before: the run started, a poll answered, a question asked and voted, a
    breakout round open with cards and a dot."""
    s, user, workshop = as_organiser(world)
    with s:
        services.start(s, user, workshop, utcnow())
        s.commit()
    qs.answered(world)
    qs.asked_and_voted(world)
    bs.arrange(world)
    with world.session() as s:
        card = s.scalar(select(Card).where(Card.text == "First card"))
        assert card is not None
        s.add(
            CardVote(
                card_id=card.id,
                group_id=card.group_id,
                participant_id=world.participant2.id,
                slot=0,
            )
        )
        s.commit()


def counts(world: World) -> dict[str, int]:
    with world.session() as s:
        return {
            model.__name__: int(s.scalar(select(func.count()).select_from(model)) or 0)
            for model in (
                Answer,
                AnswerPart,
                AudienceQuestion,
                Upvote,
                BreakoutRound,
                BreakoutGroup,
                GroupMember,
                Card,
                CardVote,
            )
        }


def reset(moderator: Client, world: World) -> dict[str, Any]:
    ack = moderator.call("live.reset", {"cid": "cid-reset-1", "confirm": world.slug})
    assert ack is not None
    return ack


@pytest.fixture
def rehearsal(world: World) -> Iterator[World]:
    rehearsed(world)
    before = counts(world)
    assert all(before.values()), before  # every kind of row is there to be cleared
    yield world


def test_a_reset_clears_what_the_rehearsal_left_and_keeps_the_room(
    rehearsal: World, sock: Sock
) -> None:
    world = rehearsal
    moderator = sock("moderator")
    ana = sock("participant", token=world.participant.token)
    assert ana.call("live.sync", {})["data"]["breakouts"]["group"] is not None
    ana.events()

    assert reset(moderator, world)["ok"] is True

    assert set(counts(world).values()) == {0}
    with world.session() as s:
        state = s.get(LiveState, world.workshop_id)
        assert state is not None and state.phase is Phase.WAITING
        question = s.scalar(select(Question).where(Question.workshop_id == world.workshop_id))
        assert question is not None  # the poll stays, as before it first opened
        assert (question.state, question.revealed, question.opened_at) == ("ready", False, None)
        assert s.scalar(select(func.count()).select_from(Participant)) >= 2  # phones stay joined
    # Every screen is told to take a new snapshot, spread over 12 ms a participant.
    cleared = ana.events("live.cleared")
    assert len(cleared) == 1 and cleared[0][1]["sync_within_ms"] > 0
    assert moderator.events("live.cleared")
    snapshot = ana.call("live.sync", {})["data"]
    assert snapshot["breakouts"] == {"round": None, "report": None, "group": None, "board": None}
    assert snapshot["live"]["phase"] == "waiting"


def test_a_reset_whose_clearing_fails_changes_nothing(
    rehearsal: World, sock: Sock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One unit of work: if a feature cannot clear its part, the run is not reset either."""
    world = rehearsal
    moderator = sock("moderator")
    before = counts(world)

    def broken(db: Any, workshop_id: int) -> int:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(rounds, "clear", broken)
    ack = reset(moderator, world)

    assert ack["ok"] is False
    assert counts(world) == before
    with world.session() as s:
        state = s.get(LiveState, world.workshop_id)
        assert state is not None and state.phase is Phase.RUNNING
    assert moderator.events("live.cleared") == []


def test_along_adds_what_other_features_change_once() -> None:
    """The mechanism: a feature's `along` runs for another's event and its events join
    the list; what they return is not looked up again."""

    class Reset:
        pass

    class Cleared:
        pass

    seen: list[object] = []
    feature = Feature("other")

    @feature.along(Reset)
    def _clear(db: Any, event: Reset) -> list[object]:
        seen.append(event)
        return [Cleared()]

    @feature.along(Cleared)
    def _never(db: Any, event: Cleared) -> list[object]:
        raise AssertionError("one pass only")

    registry = Registry([feature])
    reset_event = Reset()
    got = registry.along(None, [reset_event])  # type: ignore[arg-type]
    assert got[0] is reset_event and isinstance(got[1], Cleared) and len(got) == 2
    assert seen == [reset_event]
    assert Registry([]).along(None, [reset_event]) == [reset_event]  # type: ignore[arg-type]


def test_the_app_registers_a_clearing_for_each_feature_that_keeps_participants_data(
    app: Flask,
) -> None:
    with app.app_context():
        alongs = current().registry.alongs
    assert {change.__module__ for change in alongs[services.RunReset]} == {
        "facilitator.questions.events",
        "facilitator.qa.events",
        "facilitator.breakouts.events",
    }
