"""Sequence numbers, snapshots, and who receives which server -> client event."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from flask import Flask

from facilitator.realtime.registry import Feature, Message, Registry, RenderContext
from facilitator.realtime.rooms import moderators
from tests.realtime.support import (
    Client,
    World,
    flush_tallies,
    participant_row,
    state_of,
    stream_seq,
)

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
    start, start_moderators = stream_seq(world), stream_seq(world, "moderators")

    assert all(ack["ok"] for ack in run_a_few(moderator))

    expected = list(range(start + 1, start + 6))
    assert seqs(phone, "live.state") == expected
    assert seqs(display, "live.state") == expected
    states, runs = moderator.events("live.state"), moderator.events("live.runs")
    assert [d["seq"] for _, d in states] == expected
    assert {d["stream"] for _, d in states} == {"workshop"}
    # The runs go to the moderators alone, on their own stream.
    assert [d["seq"] for _, d in runs] == list(range(start_moderators + 1, start_moderators + 6))
    assert {d["stream"] for _, d in runs} == {"moderators"}
    assert stream_seq(world) == expected[-1]


def test_refused_and_empty_mutations_take_no_number(sock: Sock, world: World) -> None:
    moderator, phone = sock("moderator"), sock("participant")
    moderator.call("live.start", {"cid": "cid-00000001"})
    seq = stream_seq(world)
    phone.events()
    moderator.call("live.start", {"cid": "cid-00000002"})  # already started: refused
    moderator.call("joining.lock", {"cid": "cid-00000003", "locked": False})  # already so
    moderator.call("timer.adjust", {"cid": "cid-00000004", "minutes": "x"})  # bad payload
    phone.call("participant.language", {"cid": "cid-00000005", "language": "ko"})  # not live
    assert stream_seq(world) == seq
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
    assert stream_seq(world) == 1
    assert stream_seq(dataclasses.replace(world, workshop_id=world.other_workshop_id)) == 2
    # Neither room hears the other workshop.
    assert seqs(moderator, "live.state") == [1]
    assert seqs(other, "live.state") == [1, 2]
    other.disconnect()


def test_a_snapshot_carries_the_seq_of_the_last_event(sock: Sock, world: World) -> None:
    moderator, phone = sock("moderator"), sock("participant")
    run_a_few(moderator)
    last = seqs(phone, "live.state")[-1]
    for client in (moderator, phone, sock("display")):
        snapshot = client.call("live.sync", {})["data"]
        assert snapshot["streams"]["workshop"] == last


def test_a_reconnecting_phone_gets_the_current_state(sock: Sock, world: World) -> None:
    moderator, phone = sock("moderator"), sock("participant")
    moderator.call("live.start", {"cid": "cid-00000001"})
    last_seen = seqs(phone, "live.state")[-1]
    phone.disconnect()  # the phone goes through a tunnel

    moderator.call("live.goto", {"cid": "cid-00000002", "item": "speaker-3"})
    moderator.call("message.broadcast", {"cid": "cid-00000003", "text": "Back at 11:00"})
    moderator.call("timer.adjust", {"cid": "cid-00000004", "minutes": -5})

    again = sock("participant")
    snapshot = again.call("live.sync", {"streams": {"workshop": last_seen}})["data"]
    state = state_of(world)
    assert snapshot["streams"]["workshop"] == stream_seq(world) == last_seen + 3
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
    snapshot = moderator.call("live.sync", {})["data"]
    assert snapshot["display_token"] == world.display_token
    assert [r["item"] for r in snapshot["runs"]] == [world.items[0]]
    people = {p["id"]: p["connected"] for p in snapshot["participants"]}
    assert people == {world.participant.id: True, world.participant2.id: False}
    assert snapshot["presence"]["connected"] == {"total": 1, "by_language": {"en": 1}}
    assert snapshot["presence"]["joined"]["total"] == 2


def test_only_moderators_receive_runs_and_presence(app: Flask, sock: Sock, world: World) -> None:
    moderator, display, phone = sock("moderator"), sock("display"), sock("participant")
    run_a_few(moderator)
    flush_tallies(app)

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

    def flush() -> None:
        flush_tallies(app)

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


def test_a_removed_participant_is_told_and_disconnected(
    app: Flask, sock: Sock, world: World
) -> None:
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
    connections = app.extensions["facilitator.realtime"].connections
    assert world.participant.id not in connections.here(world.workshop_id).participants
    # Their token no longer opens the workshop.
    assert sock("participant").refusal_code == "forbidden"


def test_a_language_change_follows_the_participant(app: Flask, sock: Sock, world: World) -> None:
    moderator, phone = sock("moderator"), sock("participant")
    phone.call("participant.language", {"cid": "cid-00000001", "language": "ko"})
    flush_tallies(app)
    counts = moderator.events("presence.changed")[-1][1]
    assert counts["connected"]["by_language"] == {"ko": 1}
    assert counts["joined"]["by_language"] == {"ko": 2}
    assert phone.call("live.sync", {})["data"]["me"]["language"] == "ko"


@dataclasses.dataclass(frozen=True)
class ModeratorNote:
    workshop_id: int


def test_events_for_the_moderators_never_make_a_phone_resync(
    app: Flask, sock: Sock, world: World
) -> None:
    """500 moderator-only events, then one for everyone: a phone's streams have no gap."""
    realtime = app.extensions["facilitator.realtime"]
    notes = Feature("notes")  # a feature that talks to the moderators alone

    @notes.renders(ModeratorNote, "note.added")
    def _note(_ctx: RenderContext, event: ModeratorNote) -> list[Message]:
        return [Message("note.added", {}, moderators(event.workshop_id))]

    realtime.registry = Registry([*realtime.registry.features, notes])
    moderator, phone = sock("moderator"), sock("participant")
    follower = StreamFollower(phone.call("live.sync", {})["data"]["streams"])
    console = StreamFollower(moderator.call("live.sync", {})["data"]["streams"])

    with app.app_context(), realtime.factory() as db:
        realtime.commit_then_emit(db, [ModeratorNote(world.workshop_id)] * 500)
    moderator.call("live.start", {"cid": "cid-00000001"})

    received = phone.events()
    assert [name for name, _ in received] == ["live.state"]
    assert [follower.receive(data) for _, data in received] == ["apply"]  # no snapshot asked
    # The console got all 500 on its own stream, in order, and the live change after them.
    verdicts = [console.receive(data) for _, data in moderator.events() if "seq" in data]
    assert verdicts == ["apply"] * 502  # 500 notes, the live state and the runs
    assert stream_seq(world, "moderators") == 501


class StreamFollower:
    """What a screen decides for each sequenced event (static/shared's logic, in Python)."""

    def __init__(self, streams: dict[str, int]) -> None:
        self.last = dict(streams)

    def receive(self, data: dict[str, Any]) -> str:
        stream, seq = data["stream"], data["seq"]
        last = self.last.get(stream, 0)
        if seq <= last:
            return "drop"
        self.last[stream] = seq
        return "apply" if seq == last + 1 else "apply and resync"
