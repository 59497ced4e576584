"""The listening socket the real server accepts phones on."""

from __future__ import annotations

import socket

from facilitator.server import open_listener


def test_the_listener_sends_small_writes_at_once_and_accepts_connections() -> None:
    listener = open_listener("127.0.0.1", 0)
    try:
        # Inherited by accepted sockets: no 40 ms Nagle wait in the websocket handshake.
        assert listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        assert listener.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR)
        port = listener.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            accepted, _address = listener.accept()
            with accepted:
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        listener.close()
