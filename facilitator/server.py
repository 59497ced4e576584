"""Running the realtime server under the configured worker model."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_socketio import SocketIO

# eventlet's WSGI server refuses connections past 1024 by default; a venue's
# phones plus projectors and consoles may pass that.
MAX_CONNECTIONS = 10_000
# A room's phones arrive together when the QR code goes up. The servers' default
# accept queues (eventlet 50, gevent 128) overflow, and the kernel then drops or
# resets connections; it caps this at net.core.somaxconn.
LISTEN_BACKLOG = 2048


def run_server(app: Flask, socketio: SocketIO, *, host: str, port: int) -> None:
    mode = app.config["ASYNC_MODE"]
    if mode == "eventlet":
        _run_eventlet(app, host, port)  # socketio.run() takes no backlog for eventlet
        return
    options: dict[str, Any] = {"host": host, "port": port, "log_output": False}
    if mode == "gevent":
        options["backlog"] = LISTEN_BACKLOG
    if mode == "threading":
        options["allow_unsafe_werkzeug"] = True
    socketio.run(app, **options)


def _run_eventlet(app: Flask, host: str, port: int) -> None:
    """What socketio.run() does under eventlet, with a longer accept queue."""
    import eventlet
    import eventlet.wsgi
    from eventlet.green import socket

    family, _type, _proto, _name, address = socket.getaddrinfo(host, port)[0]
    listener = eventlet.listen(address, family, backlog=LISTEN_BACKLOG)
    eventlet.wsgi.server(listener, app, log_output=False, max_size=MAX_CONNECTIONS)
