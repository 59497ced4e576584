"""Frames the decoder cannot read, and connections that never authenticate, on the real
server (issue 9, finding 4): one short log line at most, closed after a few."""

from __future__ import annotations

import time

import engineio
import socketio

from tests.integration.conftest import SLUG, ServerProcess
from tests.integration.support import moderator_cookie, wait_for

GARBAGE = ["9", "2[", '2["x",{]', "5-", "2" + "[" * 5000, "4{}", "7nonsense"]


def test_undecodable_frames_cost_a_short_line_and_close_the_socket(
    server: ServerProcess,
) -> None:
    server.start()
    before = server.log.stat().st_size
    client = socketio.Client(reconnection=False)
    client.connect(
        server.url,
        auth={"as": "moderator", "workshop": SLUG},
        headers={"Cookie": moderator_cookie(server.url)},
        transports=["websocket"],
        wait_timeout=10,
    )
    try:
        for frame in GARBAGE[:3]:
            client.eio.send(frame)  # raw Socket.IO packets, below the client's encoder
        wait_for("the server to close the socket", lambda: not client.connected, seconds=10)
    finally:
        client.disconnect()
    # A flood from an unauthenticated socket costs little log too.
    raw = engineio.Client()
    raw.connect(server.url, transports=["websocket"], engineio_path="socket.io")
    for _ in range(200):
        for frame in GARBAGE:
            if raw.state != "connected":
                break
            raw.send(frame)
    raw.disconnect()
    time.sleep(0.5)
    with server.log.open("rb") as log:
        log.seek(before)
        written = log.read().decode(errors="replace")
    assert "Traceback" not in written, written[-2000:]
    assert len(written) < 4096, f"{len(written)} bytes of log for undecodable frames"


def test_a_connection_that_never_authenticates_is_closed(server: ServerProcess) -> None:
    server.start()
    raw = engineio.Client()  # Engine.IO only: never sends the Socket.IO CONNECT
    raw.connect(server.url, transports=["websocket"], engineio_path="socket.io")
    try:
        wait_for("the server to close the silent socket", lambda: raw.state != "connected", 20)
    finally:
        raw.disconnect()
