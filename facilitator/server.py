"""Running the realtime server under the configured worker model."""

from __future__ import annotations

import gc
import socket
import sys
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
# Each connection keeps its HTTP read buffer (and, under eventlet, a write buffer)
# for as long as it lives, websocket included, though the websocket no longer uses
# them: 8 and 16 KiB by default, most of a phone's memory (docs/performance.md).
# A request's line and headers fit in 2 KiB; longer ones only take one more read,
# and larger writes go straight to the socket.
CONNECTION_BUFFER_BYTES = 2048


def open_listener(host: str, port: int) -> socket.socket:
    """The listening socket, green once the worker model has patched `socket`.

    TCP_NODELAY (inherited by every accepted connection on Linux): the websocket
    handshake is several small writes in a row, and Nagle's algorithm would hold
    each behind the client's delayed ACK, 40 ms a time on Linux.
    """
    family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    listener = socket.socket(family, kind, proto)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        listener.bind(address)
        listener.listen(LISTEN_BACKLOG)
    except OSError:
        listener.close()
        raise
    return listener


# The garbage collector's thresholds while serving (Python's: 700, 10, 10). A room's
# events keep objects alive for milliseconds (waiting for their batch, their frames
# queued to a socket): collected every 700 allocations, many outlive two young
# collections, reach the oldest generation and die there, and full collections of a
# server's heap then ran every few seconds, each a pause of 300 ms for every phone
# (docs/performance.md). Collected ten times more rarely, they are gone by then.
GC_THRESHOLDS = (10_000, 20, 10)


def tune_collector() -> None:
    """Before serving: what the app loaded at start (modules, the app, its tables and
    caches) is kept out of every later collection, and the young are collected rarely."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def run_server(app: Flask, socketio: SocketIO, *, host: str, port: int) -> None:
    mode = app.config["ASYNC_MODE"]
    tune_collector()
    # The WSGI callable itself, not the Flask object: calling an object adds a level of
    # C stack that every open websocket's green thread keeps (about 4 KiB a phone).
    entry = app.wsgi_app
    if mode == "eventlet":
        import eventlet.wsgi

        eventlet.wsgi.server(
            open_listener(host, port),
            entry,
            log_output=False,
            max_size=MAX_CONNECTIONS,
            protocol=eventlet_protocol(),
        )
    elif mode == "gevent":
        from gevent import pywsgi

        server = pywsgi.WSGIServer(
            open_listener(host, port),
            entry,
            log=None,
            error_log=ShortLines(sys.stderr),
            handler_class=gevent_handler(),
        )
        server.serve_forever()
    else:  # threading: development and tests only
        options: dict[str, Any] = {"host": host, "port": port, "log_output": False}
        socketio.run(app, allow_unsafe_werkzeug=True, **options)


def eventlet_protocol() -> type[Any]:
    import eventlet.wsgi

    class Protocol(eventlet.wsgi.HttpProtocol):  # type: ignore[misc]
        rbufsize = CONNECTION_BUFFER_BYTES
        wbufsize = CONNECTION_BUFFER_BYTES

    return Protocol


class ShortLines:
    """gevent's error log, each message cut short: after a socket closed, a peer's
    garbage read as an HTTP request line is quoted whole (8 KiB, twice) otherwise."""

    LIMIT = 300

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, message: str) -> None:
        line = message.rstrip("\n")
        if len(line) > self.LIMIT:
            line = f"{line[: self.LIMIT]}… ({len(line) - self.LIMIT} characters more)"
        self.stream.write(line + "\n")
        self.stream.flush()

    def flush(self) -> None:
        self.stream.flush()


def gevent_handler() -> type[Any]:
    from gevent import pywsgi

    class Handler(pywsgi.WSGIHandler):  # type: ignore[misc]
        def __init__(self, sock: Any, address: Any, server: Any) -> None:
            super().__init__(sock, address, server)
            self.rfile.close()  # gevent's 8 KiB reader, before it has read anything
            self.rfile: Any = sock.makefile("rb", CONNECTION_BUFFER_BYTES)

    return Handler
