"""The heartbeat of every socket, sent by one loop on the real server (realtime/pings.py)."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import socketio
from engineio import packet

from tests.integration.conftest import SLUG, ServerProcess
from tests.integration.support import moderator_cookie, wait_for

SCREENS = 3
PINGS = 2  # the second comes only after the first was answered: the loop goes on (3 took 2 s more)


def test_every_socket_gets_its_pings_and_stays_connected(server: ServerProcess) -> None:
    """Two pings a socket, a pong between them, on three sockets (PINGS: two, not three, as
    a ping comes about every 2 s: one more showed nothing new)."""
    server.settings["FACILITATOR_PING_INTERVAL_SECONDS"] = "1"
    server.start()
    cookie = moderator_cookie(server.url)
    seen: Counter[int] = Counter()
    lock = threading.Lock()
    clients = []
    try:
        for n in range(SCREENS):
            client = socketio.Client(reconnection=False)
            receive = client.eio._receive_packet

            def spy(pkt: Any, n: int = n, receive: Any = receive) -> None:
                if pkt.packet_type == packet.PING:
                    with lock:
                        seen[n] += 1
                receive(pkt)  # answers PONG, which asks the server for the next ping

            client.eio._receive_packet = spy
            client.connect(
                server.url,
                auth={"as": "moderator", "workshop": SLUG},
                headers={"Cookie": cookie},
                transports=["websocket"],
                wait_timeout=10,
            )
            clients.append(client)
        wait_for(
            f"{PINGS} pings on each of {SCREENS} sockets",
            lambda: all(seen[n] >= PINGS for n in range(SCREENS)),
            seconds=20,
        )
        assert all(client.connected for client in clients)
    finally:
        # Side by side: under gevent each close waits ~3 s for a close frame that never comes.
        closing = [threading.Thread(target=client.disconnect) for client in clients]
        for thread in closing:
            thread.start()
        for thread in closing:
            thread.join()
