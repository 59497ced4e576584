"""One loop sends every socket's pings (facilitator/realtime/pings.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import engineio
import engineio.socket
from engineio import packet

from facilitator.realtime import pings


@dataclass
class FakeSocket:
    sid: str
    last_ping: float | None = 1.0  # engineio sets it when the socket opens
    closing: bool = False
    closed: bool = False
    sent: list[Any] = field(default_factory=list)

    def send(self, pkt: Any) -> None:
        self.sent.append(pkt)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def scheduler(clock: Clock, started: list[Any]) -> pings.PingScheduler:
    return pings.PingScheduler(25, started.append, lambda _s: None, clock=clock)


def kinds(socket: FakeSocket) -> list[int]:
    return [p.packet_type for p in socket.sent]


def test_a_ping_goes_out_one_interval_after_it_is_scheduled() -> None:
    clock, started = Clock(), []
    pinger = scheduler(clock, started)
    phone = FakeSocket("a")
    pinger.schedule(phone)
    assert phone.last_ping is None  # waiting for the next ping, as engineio does
    clock.now += 24.9
    assert pinger.send_due() == 0 and phone.sent == []
    clock.now += 0.1
    assert pinger.send_due() == 1
    assert kinds(phone) == [packet.PING]
    assert phone.last_ping is not None  # the ping timeout now runs
    assert pinger.send_due() == 0  # once


def test_one_loop_serves_every_socket_in_due_order() -> None:
    clock, started = Clock(), []
    pinger = scheduler(clock, started)
    first, second = FakeSocket("a"), FakeSocket("b")
    pinger.schedule(first)
    clock.now += 10
    pinger.schedule(second)
    assert len(started) == 1  # one loop, started by the first socket
    clock.now += 15
    assert pinger.send_due() == 1 and kinds(first) == [packet.PING] and second.sent == []
    clock.now += 10
    assert pinger.send_due() == 1 and kinds(second) == [packet.PING]


def test_no_ping_before_the_last_was_answered_and_none_to_closed_sockets() -> None:
    clock, started = Clock(), []
    pinger = scheduler(clock, started)
    waiting = FakeSocket("a", last_ping=None)  # its ping is out, no pong yet
    pinger.schedule(waiting)
    assert pinger.pending() == 0
    gone, leaving = FakeSocket("b"), FakeSocket("c")
    pinger.schedule(gone)
    pinger.schedule(leaving)
    gone.closed, leaving.closing = True, True
    clock.now += 30
    assert pinger.send_due() == 0
    assert gone.sent == [] and leaving.sent == [] and pinger.pending() == 0


def test_a_failing_socket_does_not_stop_the_others() -> None:
    clock, started = Clock(), []
    pinger = scheduler(clock, started)

    class Broken(FakeSocket):
        def send(self, pkt: Any) -> None:
            raise engineio.exceptions.SocketIsClosedError()

    broken, fine = Broken("a"), FakeSocket("b")
    pinger.schedule(broken)
    pinger.schedule(fine)
    clock.now += 25
    assert pinger.send_due() == 1 and kinds(fine) == [packet.PING]


def test_servers_without_a_scheduler_keep_engineio_pings(monkeypatch: Any) -> None:
    installed = engineio.Server(async_mode="threading")
    plain = engineio.Server(async_mode="threading")
    scheduler = pings.install(installed, lambda *_a: None, lambda _s: None)
    spawned: list[Any] = []
    monkeypatch.setattr(plain, "start_background_task", lambda f, *a: spawned.append(f))

    ours = engineio.socket.Socket(installed, "ours")
    ours.schedule_ping()
    assert scheduler.pending() == 1

    theirs = engineio.socket.Socket(plain, "theirs")
    theirs.schedule_ping()
    assert len(spawned) == 1  # engineio's own sleeping task, as before
    assert scheduler.pending() == 1
