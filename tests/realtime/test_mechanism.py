"""The mechanism's parts on their own: the registry, coalesced tallies, kicks, frames."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from facilitator.realtime.connections import Connections, Principal
from facilitator.realtime.frames import FrameGuard
from facilitator.realtime.kicks import Kick, LocalKicker, RedisKicker
from facilitator.realtime.protocol import Mutation as Payload
from facilitator.realtime.registry import Feature, Message, Registry, RenderContext
from facilitator.realtime.rooms import everyone
from facilitator.realtime.tallies import Tallies
from tests.conftest import REDIS_URL, redis_unreachable_reason


@dataclass(frozen=True)
class Happened:
    workshop_id: int


def test_a_name_declared_by_two_features_is_refused() -> None:
    one, two = Feature("one"), Feature("two")
    for feature in (one, two):
        feature.mutation("thing.do", Payload, ["moderator"])(lambda ctx, data: (None, []))
    with pytest.raises(ValueError, match=r"thing\.do"):
        Registry([one, two])


def test_the_registry_renders_with_the_feature_that_declared_the_event() -> None:
    feature = Feature("one")

    @feature.renders(Happened, "thing.happened")
    def _render(_ctx: RenderContext, event: Happened) -> list[Message]:
        return [Message("thing.happened", {"n": 1}, everyone(event.workshop_id))]

    registry = Registry([feature])
    ctx: Any = None
    assert [m.event for m in registry.render(ctx, Happened(7))] == ["thing.happened"]
    assert registry.render(ctx, object()) == []  # nobody's event: nothing on the wire
    assert registry.server_events() == {"thing.happened"}


def test_tallies_coalesce_any_number_of_marks_into_one_send() -> None:
    tallies = Tallies()
    for _ in range(10_000):  # a room answering at once
        tallies.mark("answers.counted", 1)
    tallies.mark("answers.counted", 2)
    dirty, _changed = tallies.take()
    assert dirty == {("answers.counted", 1), ("answers.counted", 2)}
    assert tallies.take() == (set(), set())  # sent: nothing left until the next mark


def test_a_kick_matches_the_sockets_it_names() -> None:
    moderator = Principal("moderator", 1, user_id=5)
    other = Principal("moderator", 1, user_id=6)
    display = Principal("display", 1)
    elsewhere = Principal("moderator", 2, user_id=5)
    kick = Kick(1, "moderator", 5)
    assert [kick.matches(p) for p in (moderator, other, display, elsewhere)] == [
        True,
        False,
        False,
        False,
    ]
    assert Kick(1).matches(display) and not Kick(1).matches(elsewhere)


def test_a_local_kick_applies_at_once() -> None:
    applied: list[Kick] = []
    LocalKicker(applied.append).send(Kick(3, "display"))
    assert applied == [Kick(3, "display")]


def test_kicks_reach_the_other_workers_through_redis() -> None:
    reason = redis_unreachable_reason()
    if reason:
        pytest.skip(reason)
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    here: list[Kick] = []
    there: list[Kick] = []
    sender = RedisKicker(client, "facilitator-test:kicks", here.append)
    receiver = RedisKicker(client, "facilitator-test:kicks", there.append)
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe("facilitator-test:kicks")
    sender.send(Kick(9, "moderator", 4))
    message = None
    for _ in range(50):
        message = pubsub.get_message(timeout=0.1)
        if message is not None:
            break
    assert message is not None, "nothing published"
    sender.receive(message["data"])  # its own kick: applied once, when sent
    receiver.receive(message["data"])
    assert here == [Kick(9, "moderator", 4)] and there == [Kick(9, "moderator", 4)]
    assert json.loads(message["data"])["workshop_id"] == 9
    pubsub.close()


class FakeEngine:
    def __init__(self) -> None:
        self.sockets: dict[str, object] = {}
        self.closed: list[str] = []
        self.handlers: dict[str, Any] = {}

    def on(self, event: str, handler: Any) -> None:
        self.handlers[event] = handler

    def disconnect(self, sid: str) -> None:
        self.closed.append(sid)
        self.sockets.pop(sid, None)

    def start_background_task(self, target: Any) -> None:
        return None


class FakeServer:
    def __init__(self) -> None:
        self.eio = FakeEngine()
        self.connected: set[str] = set()
        self.manager = self

    def sid_from_eio_sid(self, eio_sid: str, _namespace: str) -> str | None:
        return "s" if eio_sid in self.connected else None

    def _handle_eio_connect(self, eio_sid: str, _environ: object) -> None:
        self.eio.sockets[eio_sid] = object()

    def _handle_eio_message(self, _eio_sid: str, data: str) -> None:
        if data != "ok":
            raise ValueError("Unknown packet type.")


def test_silent_connections_are_closed_after_the_deadline() -> None:
    now = [0.0]
    server = FakeServer()
    guard = FrameGuard(server, auth_deadline_s=10, clock=lambda: now[0]).install()
    guard.on_connect("quiet", {})
    guard.on_connect("talker", {})
    server.connected.add("talker")  # it sent CONNECT with a good auth
    now[0] = 9
    assert guard.sweep() == 0
    now[0] = 11
    assert guard.sweep() == 1
    assert server.eio.closed == ["quiet"]


def test_the_third_undecodable_frame_closes_the_connection(
    caplog: pytest.LogCaptureFixture,
) -> None:
    server = FakeServer()
    guard = FrameGuard(server, max_bad=3).install()
    guard.on_connect("noisy", {})
    for _ in range(2):
        server.eio.handlers["message"]("noisy", "9garbage")
        server.eio.handlers["message"]("noisy", "ok")  # good frames still go through
    assert server.eio.closed == []
    server.eio.handlers["message"]("noisy", "9garbage")
    assert server.eio.closed == ["noisy"]
    assert len(caplog.records) <= 1 and "Traceback" not in caplog.text  # rate-limited, short


def test_connections_find_sockets_by_what_a_kick_names() -> None:
    connections = Connections()
    connections.add("a", Principal("moderator", 1, user_id=5))
    connections.add("b", Principal("display", 1))
    assert connections.matching(Kick(1, "display").matches) == ["b"]


def test_a_tally_that_did_not_change_is_not_sent_again(app: Any, sock: Any, world: Any) -> None:
    """Marks come from many causes (a live change marks the questions' tallies, say):
    only a changed count wakes a room of phones."""
    from tests.realtime.support import flush_tallies

    moderator = sock("moderator")
    sock("participant")
    flush_tallies(app)
    assert len(moderator.events("presence.changed")) == 1
    realtime = app.extensions["facilitator.realtime"]
    realtime.mark("presence.changed", world.workshop_id)  # marked, but nothing changed
    flush_tallies(app)
    assert moderator.events("presence.changed") == []
    sock("participant2")  # a real change is sent
    flush_tallies(app)
    assert len(moderator.events("presence.changed")) == 1
