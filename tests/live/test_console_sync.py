"""Several moderator devices see and drive the same console live.

Co-moderators, or one moderator on a second laptop after the first crashed:
whatever one of them does reaches every other console (and the projector) at
once, and a console that connects later picks the session up where it is.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import time
from typing import Any

import pytest
from flask import Flask
from flask_socketio import SocketIOTestClient
from sqlalchemy.orm import Session

from facilitator.accounts.models import Role, User
from facilitator.agenda.models import ProgramItem, Workshop
from facilitator.live.services import live_state
from tests.conftest import login

SLUG = "co-moderated"


@pytest.fixture
def workshop(
    session: Session,
    make_user: Callable[..., User],
    make_workshop: Callable[..., Workshop],
) -> Workshop:
    organiser = make_user("organiser@example.org")
    moderator = make_user("moderator@example.org")
    workshop = make_workshop(SLUG, members={organiser: Role.ORGANISER, moderator: Role.MODERATOR})
    day = workshop.days[0]
    workshop.program.append(
        ProgramItem(
            key="discussion",
            position=2,
            day=day,
            start=time(9, 30),
            end=time(10),
            title={"en": "Discussion"},
            kind="discussion",
        )
    )
    live_state(session, workshop)
    session.commit()
    return workshop


@pytest.fixture
def console(app: Flask, workshop: Workshop) -> Iterator[Callable[..., SocketIOTestClient]]:
    """console(email) -> a moderator's socket, as console.js opens it."""
    made: list[SocketIOTestClient] = []

    def open_console(email: str) -> SocketIOTestClient:
        browser = app.test_client()
        login(browser, email)
        client = app.extensions["socketio"].test_client(
            app, flask_test_client=browser, auth={"as": "moderator", "workshop": SLUG}
        )
        assert client.is_connected()
        made.append(client)
        return client

    yield open_console
    for client in made:
        if client.is_connected():
            client.disconnect()


def send(client: SocketIOTestClient, event: str, **payload: Any) -> dict[str, Any]:
    ack: dict[str, Any] = client.emit(event, {"cid": str(uuid.uuid4()), **payload}, callback=True)
    return ack


def received(client: SocketIOTestClient, name: str) -> list[dict[str, Any]]:
    return [m["args"][0] for m in client.get_received() if m["name"] == name]


def snapshot(client: SocketIOTestClient) -> dict[str, Any]:
    ack = client.emit("live.sync", {}, callback=True)
    assert ack["ok"], ack
    data: dict[str, Any] = ack["data"]
    return data


def test_both_consoles_see_the_next_item_when_one_moves_on(
    console: Callable[..., SocketIOTestClient],
) -> None:
    first = console("organiser@example.org")
    second = console("moderator@example.org")
    assert send(first, "live.start")["ok"]
    for client in (first, second):
        started = received(client, "live.state")
        assert [event["live"]["item"] for event in started] == ["opening"]

    ack = send(second, "live.next")
    assert ack["ok"], ack
    for client in (first, second):
        states = received(client, "live.state")
        assert len(states) == 1
        assert states[0]["live"]["phase"] == "running"
        assert states[0]["live"]["item"] == "discussion"
        # The new item's timer runs for its planned 30 minutes.
        assert states[0]["live"]["timer"]["duration_s"] == 30 * 60


def test_consoles_receive_actual_times_and_timer_changes(
    console: Callable[..., SocketIOTestClient],
) -> None:
    first = console("organiser@example.org")
    second = console("moderator@example.org")
    send(first, "live.start")
    first.get_received()
    second.get_received()

    assert send(first, "timer.adjust", minutes=5)["ok"]
    assert send(first, "live.next")["ok"]
    messages = second.get_received()
    states = [m["args"][0] for m in messages if m["name"] == "live.state"]
    assert states[0]["live"]["timer"]["duration_s"] == 35 * 60
    runs = [m["args"][0]["runs"] for m in messages if m["name"] == "live.runs"]
    assert [run["item"] for run in runs[-1]] == ["opening", "discussion"]
    assert runs[-1][0]["ended_ms"] is not None and runs[-1][1]["ended_ms"] is None
    assert states[0]["seq"] < states[1]["seq"]  # numbered: a gap means "resync"


def test_a_second_device_of_the_same_moderator_drives_the_same_session(
    console: Callable[..., SocketIOTestClient],
) -> None:
    laptop = console("moderator@example.org")
    send(laptop, "live.start")
    send(laptop, "message.broadcast", text="Coffee is served")
    laptop.disconnect()  # the laptop crashed

    spare = console("moderator@example.org")
    data = snapshot(spare)
    assert data["live"]["item"] == "opening"
    assert data["live"]["message"]["text"] == "Coffee is served"
    assert [run["item"] for run in data["runs"]] == ["opening"]
    assert send(spare, "live.next")["ok"]
    assert received(spare, "live.state")[-1]["live"]["item"] == "discussion"


def test_a_refused_move_is_answered_to_its_sender_only(
    console: Callable[..., SocketIOTestClient],
) -> None:
    first = console("organiser@example.org")
    second = console("moderator@example.org")
    send(first, "live.start")
    send(first, "live.next")
    first.get_received()
    second.get_received()

    ack = send(second, "live.next")  # already on the last item
    assert ack == {
        "ok": False,
        "error": {"code": "no_next_item", "message": ack["error"]["message"]},
    }
    assert received(first, "live.state") == []
