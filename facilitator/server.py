"""Running the realtime server under the configured worker model."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_socketio import SocketIO

# eventlet's WSGI server refuses connections past 1024 by default; a venue's
# phones plus projectors and consoles may pass that.
MAX_CONNECTIONS = 10_000


def run_server(app: Flask, socketio: SocketIO, *, host: str, port: int) -> None:
    options: dict[str, Any] = {"host": host, "port": port, "log_output": False}
    if app.config["ASYNC_MODE"] == "eventlet":
        options["max_size"] = MAX_CONNECTIONS
    if app.config["ASYNC_MODE"] == "threading":
        options["allow_unsafe_werkzeug"] = True
    socketio.run(app, **options)
