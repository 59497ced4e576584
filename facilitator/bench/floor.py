"""The floor under `facilitator bench`: the same phones against a server that does nothing.

`python -m facilitator.bench.floor PORT MODE` serves, with python-socketio under
eventlet or gevent and nothing of ours, a `POST /api/join` that answers a token
and a Socket.IO connect that accepts anyone. `facilitator bench --floor` runs its
join storm against it: what the libraries and this machine cost before the app
adds anything (docs/performance.md).
"""

from __future__ import annotations

import sys


def main(port: int, mode: str) -> None:
    if mode == "eventlet":
        import eventlet

        eventlet.monkey_patch()
    else:
        from gevent import monkey

        monkey.patch_all()
    import json
    import secrets
    from collections.abc import Callable, Iterable
    from typing import Any

    import socketio

    from facilitator.server import MAX_CONNECTIONS, open_listener

    sio = socketio.Server(async_mode=mode)

    @sio.event  # type: ignore[untyped-decorator]
    def connect(_sid: str, _environ: dict[str, Any], _auth: object) -> bool:
        return True

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") in ("/api/join", "/login"):
            environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            body = json.dumps({"token": secrets.token_urlsafe(16)}).encode()
            start_response("201 Created", [("Content-Type", "application/json")])
            return [body]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b""]

    wsgi = socketio.WSGIApp(sio, app)
    listener = open_listener("127.0.0.1", port)
    if mode == "eventlet":
        import eventlet.wsgi

        eventlet.wsgi.server(listener, wsgi, log_output=False, max_size=MAX_CONNECTIONS)
    else:
        from gevent import pywsgi

        pywsgi.WSGIServer(listener, wsgi, log=None).serve_forever()


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
