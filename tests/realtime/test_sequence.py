"""Sequence numbers, snapshots, and who receives which server -> client event."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask

from facilitator.realtime.connections import connections
from tests.realtime.support import Client, World, participant_row, state_of

Sock = Callable[..., Client]


def run_a_few(moderator: Client) -> list[dict[str, Any]]:
    """Start, move, adjust, say something: the acks."""
    return [
        moderator.call("live.start", {"cid": "cid-00000001"}),
        moderator.call("live.next", {"cid": "cid-00000002"}),
        moderator.call("timer.adjust", {"cid": "cid-00000003", "minutes": 3}),
        moderator.call("message.broadcast", {"cid": "cid-00000004", "text": "Welcome"}),
        moderator.call("timer.pause", {"cid": "cid-00000005"}),
    ]


def seqs(client: Client, name: str) -> list[int]:
    return [data["seq"] for _, data in client.events(name)]


def test_seq_increases_by_one_per_committed_mutation(sock: Sock, world: World) -> None:
    moderator, display, phone = sock("moderator"), sock("display"), sock("participant")
    start = state_of(world).seq

    assert all(ack["ok"] for ack in run_a_few(moderator))

    expected = list(range(start + 1, start + 6))
    assert seqs(phone, "live.state") == expected
    assert seqs(display, "live.state") == expected
    states, runs = moderator.events("live.state"), moderator.events("live.runs")
    assert [d["seq"] for _, d in states] == expected
    assert [d["seq"] for _, d in runs] == expected  # the same number for both of one change
    assert state_of(world).seq == expected[-1]


def test_refused_and_empty_mutations_take_no_number(sock: Sock, world: World) -> None:
    moderator, phone = sock("moderator"), sock("participant")
    moderator.call("live.start", {"cid": "cid-00000001"})
    seq = state_of(world).seq
    phone.events()
    moderator.call("live.start", {"cid": "cid-00000002"})  # already started: refused
    moderator.call("joining.lock", {"cid": "cid-00000003", "locked": False})  # already so
    moderator.call("timer.adjust", {"cid": "cid-00000004", "minutes": "x"})  # bad payload
    phone.call("participant.language", {"cid": "cid-00000005", "language": "ko"})  # not live
    assert state_of(world).seq == seq
    assert phone.events("live.state") == []
    moderator.call("joining.lock", {"cid": "cid-00000006", "locked": True})
    assert seqs(phone, "live.state") == [seq + 1]


def test_seq_is_per_workshop(app: Flask, sock: Sock, world: World) -> None:
    from tests.realtime.support import login

    moderator = sock("moderator")
    other = Client(
        app,
        moderator.socketio,
        flask_test_client=login(app, world.emails["other_moderator"]),
        auth={"as": "moderator", "workshop": world.other_slug},
    )
    moderator.call("live.start", {"cid": "cid-00000001"})
    other.call("live.start", {"cid": "cid-00000001"})
    other.call("live.end", {"cid": "cid-00000002"})
    assert state_of(world).seq == 1
    assert state_of(world, world.other_workshop_id).seq == 2
    # Neither room hears the other workshop.
    assert seqs(moderator, "live.state") == [1]
    assert seqs(other, "live.state") == [1, 2]
    other.disconnect()


def test_a_snapshot_carries_the_seq_of_the_last_event(sock: Sock, world: World) -> None:
    moderator, phone = sock("moderator"), sock("participant")
    run_a_few(moderator)
    last = seqs(phone, "live.state")[-1]
    for client in (moderator, phone, sock("display")):
        snapshot = client.call("live.sync", {"last_seq": 0})["data"]
        assert snapshot["seq"] == last


def test_a_reconnecting_phone_gets_the_current_state(sock: Sock, world: World) -> None:
    moderator, phone = sock("moderator"), sock("participant")
    moderator.call("live.start", {"cid": "cid-00000001"})
    last_seen = seqs(phone, "live.state")[-1]
    phone.disconnect()  # the phone goes through a tunnel

    moderator.call("live.goto", {"cid": "cid-00000002", "item": "speaker-3"})
    moderator.call("message.broadcast", {"cid": "cid-00000003", "text": "Back at 11:00"})
    moderator.call("timer.adjust", {"cid": "cid-00000004", "minutes": -5})

    again = sock("participant")
    snapshot = again.call("live.sync", {"last_seq": last_seen})["data"]
    state = state_of(world)
    assert snapshot["seq"] == state.seq == last_seen + 3
    assert snapshot["live"]["item"] == "speaker-3"
    assert snapshot["live"]["message"]["text"] == "Back at 11:00"
    assert snapshot["live"]["timer"]["duration_s"] == state.timer_duration_s
    assert snapshot["role"] == "participant"
    assert snapshot["me"] == {"id": world.participant.id, "name": "Ana", "language": "en"}
    # What only moderators see is not in a phone's snapshot.
    for private in ("display_token", "participants", "runs", "presence"):
        assert private not in snapshot


def test_a_moderator_snapshot_has_the_console(sock: Sock, world: World) -> None:
    moderator = sock("moderator")
    sock("participant")
    moderator.call("live.start", {"cid": "cid-00000001"})
    snapshot = moderator.call("live.sync", {"last_seq": -1})["data"]
    assert snapshot["display_token"] == world.display_token
    assert [r["item"] for r in snapshot["runs"]] == [world.items[0]]
    people = {p["id"]: p["connected"] for p in snapshot["participants"]}
    assert people == {world.participant.id: True, world.participant2.id: False}
    assert snapshot["presence"]["connected"] == {"total": 1, "by_language": {"en": 1}}
    assert snapshot["presence"]["joined"]["total"] == 2


def test_only_moderators_receive_runs_and_presence(app: Flask, sock: Sock, world: World) -> None:
    moderator, display, phone = sock("moderator"), sock("display"), sock("participant")
    run_a_few(moderator)
    app.extensions["facilitator.flush_presence"]()

    assert {name for name, _ in moderator.events()} == {
        "live.state",
        "live.runs",
        "presence.changed",
    }
    for screen in (display, phone):
        assert {name for name, _ in screen.events()} == {"live.state"}


def test_presence_counts_people_and_is_sent_once_per_flush(
    app: Flask, sock: Sock, world: World
) -> None:
    moderator = sock("moderator")
    sock("participant"), sock("participant"), sock("participant2"), sock("display")
    flush = app.extensions["facilitator.flush_presence"]
    flush()
    flush()  # nothing changed since: nothing sent
    sent = moderator.events("presence.changed")
    assert len(sent) == 1
    assert sent[0][1] == {
        "connected": {"total": 2, "by_language": {"en": 1, "ko": 1}},
        "joined": {"total": 2, "by_language": {"en": 1, "ko": 1}},
        "moderators": 1,
        "displays": 1,
    }


def test_a_removed_participant_is_told_and_disconnected(sock: Sock, world: World) -> None:
    moderator = sock("moderator")
    phone, laptop, other = sock("participant"), sock("participant"), sock("participant2")
    phone.events(), laptop.events(), other.events()

    ack = moderator.call(
        "participant.remove", {"cid": "cid-00000001", "participant": world.participant.id}
    )

    assert ack == {"ok": True, "data": None}
    for device in (phone, laptop):  # every device of that person
        assert device.events() == [("participant.removed", {"participant": world.participant.id})]
        assert not device.is_connected()
    assert other.is_connected() and other.events() == []
    assert participant_row(world, world.participant.id).removed_at is not None
    assert world.participant.id not in connections.here(world.workshop_id).participants
    # Their token no longer opens the workshop.
    assert sock("participant").refusal_code == "forbidden"


def test_a_language_change_follows_the_participant(app: Flask, sock: Sock, world: World) -> None:
    moderator, phone = sock("moderator"), sock("participant")
    phone.call("participant.language", {"cid": "cid-00000001", "language": "ko"})
    app.extensions["facilitator.flush_presence"]()
    counts = moderator.events("presence.changed")[-1][1]
    assert counts["connected"]["by_language"] == {"ko": 1}
    assert counts["joined"]["by_language"] == {"ko": 2}
    assert phone.call("live.sync", {})["data"]["me"]["language"] == "ko"
