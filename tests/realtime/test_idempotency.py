"""A resent mutation is stored once and answered the same; rate limits are per sender."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from facilitator.realtime import handlers
from facilitator.realtime.models import AppliedMutation
from tests.realtime.support import (
    Client,
    World,
    applied,
    fingerprint,
    item_run_count,
    participant_row,
    state_of,
    stream_seq,
)

Sock = Callable[..., Client]
CID = "3f2b8c1e-5d7a-4e8b-9c0d-1a2b3c4d5e6f"


def test_the_same_cid_five_times_is_stored_once_and_acked_five_times(
    sock: Sock, world: World
) -> None:
    moderator, phone = sock("moderator"), sock("participant")
    seq = stream_seq(world)

    acks = [moderator.call("live.start", {"cid": CID}) for _ in range(5)]

    assert acks == [{"ok": True, "data": None}] * 5
    rows = applied(world, CID)
    assert [(r.event, r.actor) for r in rows] == [
        ("live.start", f"u:{world.user_ids['moderator']}")
    ]
    assert item_run_count(world) == 1
    assert stream_seq(world) == seq + 1
    # Screens saw the change once.
    assert len(phone.events("live.state")) == 1
    assert len(moderator.events("live.runs")) == 1


def test_a_resent_mutation_gets_its_own_result_back(sock: Sock, world: World) -> None:
    phone = sock("participant")
    acks = [phone.call("participant.language", {"cid": CID, "language": "fr"}) for _ in range(5)]
    assert acks == [{"ok": True, "data": {"language": "fr"}}] * 5
    assert len(applied(world, CID)) == 1


def test_a_resend_after_later_changes_does_not_apply_again(sock: Sock, world: World) -> None:
    """The outbox may resend an old event late: it must not undo what came after."""
    moderator = sock("moderator")
    moderator.call("message.broadcast", {"cid": CID, "text": "First"})
    moderator.call("message.broadcast", {"cid": "second-cid-0001", "text": "Second"})
    seq = stream_seq(world)
    assert moderator.call("message.broadcast", {"cid": CID, "text": "First"})["ok"]
    assert state_of(world).message == "Second"
    assert stream_seq(world) == seq


def test_the_same_cid_from_two_senders_does_not_collide(sock: Sock, world: World) -> None:
    moderator, organiser = sock("moderator"), sock("organiser")
    phone_a, phone_b = sock("participant"), sock("participant2")

    assert moderator.call("message.broadcast", {"cid": CID, "text": "From the moderator"})["ok"]
    assert organiser.call("message.broadcast", {"cid": CID, "text": "From the organiser"})["ok"]
    assert phone_a.call("participant.language", {"cid": CID, "language": "fr"})["ok"]
    assert phone_b.call("participant.language", {"cid": CID, "language": "fr"})["ok"]

    assert state_of(world).message == "From the organiser"
    assert participant_row(world, world.participant2.id).language == "fr"
    actors = sorted(r.actor for r in applied(world, CID))
    assert actors == sorted(
        [
            f"u:{world.user_ids['moderator']}",
            f"u:{world.user_ids['organiser']}",
            f"p:{world.participant.id}",
            f"p:{world.participant2.id}",
        ]
    )


def test_the_same_user_on_two_devices_shares_one_outbox_key(sock: Sock, world: World) -> None:
    """A second laptop resending the first one's event does not apply it twice."""
    laptop, spare = sock("moderator"), sock("moderator")
    assert laptop.call("live.start", {"cid": CID})["ok"]
    assert spare.call("live.start", {"cid": CID}) == {"ok": True, "data": None}
    assert len(applied(world, CID)) == 1


def test_a_rejected_payload_stores_nothing_and_burns_no_cid(sock: Sock, world: World) -> None:
    moderator = sock("moderator")
    before = fingerprint(world)
    bad = moderator.call("message.broadcast", {"cid": CID, "text": "x" * 281})
    assert bad["error"]["code"] == "bad_payload"
    assert fingerprint(world) == before
    assert moderator.call("message.broadcast", {"cid": CID, "text": "Fixed"})["ok"]
    assert state_of(world).message == "Fixed"


def test_a_refused_move_stores_nothing_and_may_be_sent_again(sock: Sock, world: World) -> None:
    moderator = sock("moderator")
    assert moderator.call("timer.pause", {"cid": CID})["error"]["code"] == "not_running"
    assert applied(world) == []
    moderator.call("live.start", {"cid": "start-cid-0001"})
    assert moderator.call("timer.pause", {"cid": CID})["ok"]
    assert state_of(world).timer_running_since is None


def test_a_cid_racing_in_on_another_connection_is_answered_from_the_winner(
    sock: Sock, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two sockets send one cid at once: the loser's insert fails, it answers the same."""
    moderator, phone = sock("moderator"), sock("participant")
    assert moderator.call("message.broadcast", {"cid": CID, "text": "Winner"})["ok"]
    seq, received = stream_seq(world), phone.events()

    looked: list[Any] = []

    def not_yet_committed(*args: Any) -> AppliedMutation | None:
        looked.append(args)  # the first look happens before the winner's commit
        return None if len(looked) == 1 else original(*args)

    original = handlers._stored_result
    monkeypatch.setattr(handlers, "_stored_result", not_yet_committed)
    ack = moderator.call("message.broadcast", {"cid": CID, "text": "Loser"})

    assert ack == {"ok": True, "data": None}
    assert len(looked) == 2
    assert state_of(world).message == "Winner"
    assert stream_seq(world) == seq
    assert len(applied(world, CID)) == 1
    assert received and phone.events() == []  # the loser broadcast nothing


@pytest.mark.app_config(PARTICIPANT_EVENT_RATE="3/minute")
def test_a_participant_sending_too_fast_is_limited_alone(sock: Sock, world: World) -> None:
    fast, calm, moderator = sock("participant"), sock("participant2"), sock("moderator")
    # Both phones come from one address, as in a venue behind one NAT.
    for n, language in enumerate(("fr", "ko", "en")):
        assert fast.call("participant.language", {"cid": f"cid-fast-{n}", "language": language})[
            "ok"
        ]
    limited = fast.call("participant.language", {"cid": "cid-fast-9", "language": "fr"})
    assert limited["ok"] is False
    assert limited["error"]["code"] == "rate_limited"
    assert participant_row(world, world.participant.id).language == "en"  # not applied
    assert applied(world, "cid-fast-9") == []
    assert fast.call("clock.ping", {})["error"]["code"] == "rate_limited"

    assert calm.call("participant.language", {"cid": "cid-calm-1", "language": "fr"})["ok"]
    assert participant_row(world, world.participant2.id).language == "fr"
    for n in range(5):  # staff have their own, larger allowance
        assert moderator.call("message.broadcast", {"cid": f"cid-staff-{n}", "text": "Hi"})["ok"]


@pytest.mark.app_config(PARTICIPANT_EVENT_RATE="3/minute")
def test_a_participant_on_two_devices_shares_one_allowance(sock: Sock) -> None:
    phone, laptop = sock("participant"), sock("participant")
    for device in (phone, laptop, phone):
        assert device.call("clock.ping", {})["ok"]
    assert laptop.call("clock.ping", {})["error"]["code"] == "rate_limited"


@pytest.mark.app_config(PARTICIPANT_EVENT_RATE="3/minute")
def test_reconnecting_does_not_reset_the_allowance(sock: Sock) -> None:
    phone = sock("participant")
    for _ in range(3):
        phone.call("clock.ping", {})
    phone.disconnect()
    again = sock("participant")
    assert again.call("clock.ping", {})["error"]["code"] == "rate_limited"
