"""Who is connected, over several workers (facilitator/realtime/board.py), on the real Redis."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis

from facilitator.realtime.board import KEY_TTL_S, RENEW_EVERY_S, LocalBoard, RedisBoard, make_board
from facilitator.realtime.connections import Connections, Principal
from tests.conftest import REDIS_URL, redis_unreachable_reason

WORKSHOP = 7


@pytest.fixture
def client() -> Iterator[Any]:
    reason = redis_unreachable_reason()
    if reason:
        pytest.skip(reason)
    client = redis.Redis.from_url(REDIS_URL)
    yield client
    client.close()


@pytest.fixture
def prefix(client: Any) -> Iterator[str]:
    prefix = f"facilitator-test-{uuid.uuid4().hex}:presence"
    yield prefix
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


def phone(participant: int, language: str) -> Principal:
    return Principal("participant", WORKSHOP, participant_id=participant, language=language)


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def test_each_worker_sees_everyone_once(client: Any, prefix: str) -> None:
    here_a, here_b = Connections(), Connections()
    a = RedisBoard(here_a, client, prefix, worker="a")
    b = RedisBoard(here_b, client, prefix, worker="b")
    here_a.add("s1", phone(1, "en"))
    here_a.add("s2", Principal("moderator", WORKSHOP, user_id=9))
    here_b.add("s3", phone(1, "en"))  # the same person on a second device
    here_b.add("s4", phone(2, "fr"))
    here_b.add("s5", Principal("display", WORKSHOP))
    here_b.add("s6", Principal("moderator", WORKSHOP, user_id=9))  # a second laptop
    a.publish(WORKSHOP)
    b.publish(WORKSHOP)
    for board in (a, b):
        presence = board.here(WORKSHOP).presence()
        assert presence.participants == 2
        assert presence.by_language == {"en": 1, "fr": 1}
        assert presence.moderators == 1
        assert presence.displays == 1
    assert set(a.here(WORKSHOP).participants) == {1, 2}


def test_a_worker_whose_phones_left_is_forgotten(client: Any, prefix: str) -> None:
    here_a, here_b = Connections(), Connections()
    a = RedisBoard(here_a, client, prefix, worker="a")
    b = RedisBoard(here_b, client, prefix, worker="b")
    here_b.add("s1", phone(1, "ko"))
    b.publish(WORKSHOP)
    assert a.here(WORKSHOP).presence().participants == 1
    here_b.remove("s1")
    b.publish(WORKSHOP)
    assert a.here(WORKSHOP).presence().participants == 0
    assert list(client.scan_iter(match=f"{prefix}:*")) == []  # nothing left behind


def test_a_worker_that_died_drops_out_when_its_key_expires(client: Any, prefix: str) -> None:
    here_a, here_b = Connections(), Connections()
    a = RedisBoard(here_a, client, prefix, worker="a")
    b = RedisBoard(here_b, client, prefix, worker="b")
    here_b.add("s1", phone(1, "ko"))
    b.publish(WORKSHOP)
    client.delete(f"{prefix}:{WORKSHOP}:b")  # as when its time to live runs out
    assert a.here(WORKSHOP).presence().participants == 0
    assert client.smembers(f"{prefix}:{WORKSHOP}") == set()


def test_entries_expire_unless_renewed(client: Any, prefix: str) -> None:
    clock = Clock()
    here = Connections()
    board = RedisBoard(here, client, prefix, worker="a", clock=clock)
    here.add("s1", phone(1, "pt"))
    board.publish(WORKSHOP)
    key = f"{prefix}:{WORKSHOP}:a"
    assert 0 < client.ttl(key) <= KEY_TTL_S  # a dead worker's phones drop out
    client.expire(key, 1)
    board.renew()  # not yet due: nothing written
    assert client.ttl(key) <= 1
    clock.now += RENEW_EVERY_S
    board.renew()
    assert client.ttl(key) > 1


def test_a_malformed_entry_is_ignored(client: Any, prefix: str) -> None:
    here = Connections()
    here.add("s1", phone(1, "es"))
    client.set(f"{prefix}:{WORKSHOP}:intruder", "not json")
    client.sadd(f"{prefix}:{WORKSHOP}", "intruder")
    board = RedisBoard(here, client, prefix, worker="a")
    assert board.here(WORKSHOP).presence().participants == 1


def test_one_process_asks_its_own_registry() -> None:
    here = Connections()
    here.add("s1", phone(1, "en"))
    assert isinstance(make_board(here, None, "facilitator"), LocalBoard)
    assert make_board(here, None, "facilitator").here(WORKSHOP).presence().participants == 1
