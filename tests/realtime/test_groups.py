"""Group rooms: a feature says which groups a screen follows; a sync moves its socket."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from facilitator.realtime.connections import Principal
from facilitator.realtime.rooms import Audience, group
from facilitator.realtime.runtime import current
from tests.realtime.support import Client, World

# participant id -> the group a made-up feature has placed them in
placed: dict[int, int] = {}


def _joins(_db: Session, principal: Principal) -> list[Audience]:
    if principal.participant_id in placed:
        return [group(principal.workshop_id, placed[principal.participant_id])]
    return []


@pytest.fixture
def grouping(app: Flask) -> Iterator[None]:
    with app.app_context():
        joiners = current().registry.joiners
    joiners.append(_joins)
    yield
    joiners.remove(_joins)
    placed.clear()


def _say(app: Flask, room: str, text: str) -> None:
    app.extensions["socketio"].emit("thing.said", {"text": text}, to=room)


def _heard(client: Client) -> list[str]:
    return [data["text"] for _name, data in client.events("thing.said")]


def test_a_socket_follows_its_group_from_connect_and_moves_at_the_next_sync(
    app: Flask, world: World, sock: Callable[..., Client], grouping: None
) -> None:
    placed[world.participant.id] = 11
    phone = sock("participant")
    other = sock("participant", token=world.participant2.token)

    _say(app, "g:11", "to eleven")
    assert _heard(phone) == ["to eleven"]
    assert _heard(other) == []  # not placed anywhere: no group's events

    placed[world.participant.id] = 12  # moved; the feature announces it, the phone syncs
    answer = phone.call("live.sync", {})
    assert answer["ok"] and "group:12" in answer["data"]["streams"]
    assert "group:11" not in answer["data"]["streams"]
    _say(app, "g:11", "eleven again")
    _say(app, "g:12", "to twelve")
    assert _heard(phone) == ["to twelve"]  # the old group is heard no more


def test_a_sync_accepts_the_group_streams_it_follows(
    app: Flask, world: World, sock: Callable[..., Client], grouping: None
) -> None:
    placed[world.participant.id] = 3
    phone = sock("participant")
    assert phone.call("live.sync", {"streams": {"workshop": 0, "group:3": 0}})["ok"]
    refused = phone.call("live.sync", {"streams": {"g:3": 0}})
    assert refused["ok"] is False and refused["error"]["code"] == "bad_payload"
