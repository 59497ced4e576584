"""The Flask context of a Socket.IO event: what Flask does for a web request, less what
an event never uses.

Flask-SocketIO pushes a request context for every event of a socket, built from the
WSGI environ of the socket's handshake. Two of the steps Flask takes for a web request
are waste there, at a thousand phones' events a second:

- Opening the session from the cookie (a signature check and a JSON parse), only for
  Flask-SocketIO to replace it at once with the copy it keeps for the socket since its
  first event (`saved_session`, what `manage_session` is for). When that copy exists,
  the cookie is not read again.
- Matching the URL against the app's routes. No route serves `/socket.io/`, so the
  match raises NotFound, and the exception's traceback holds the context's frames,
  which hold the context: a reference cycle per event, that only the garbage collector
  frees. Under a room's load those cycles made the collector's full passes stall the
  server for hundreds of milliseconds (docs/performance.md). An event's context does
  not route; `url_for` still works, as the URL adapter stays.

The socket's first event (its `connect`) gets Flask's full context, as any request.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.ctx import RequestContext
from flask.sessions import SecureCookieSession

SAVED = "saved_session"  # Flask-SocketIO's key in the socket's WSGI environ


def is_socket_event(environ: dict[str, Any]) -> bool:
    """A socket's event after its first: Flask-SocketIO keeps the socket's session."""
    return SAVED in environ


class SocketEventContext(RequestContext):
    """Given an empty session, which Flask-SocketIO replaces with the socket's copy
    before the handler runs: Flask opens the cookie only when a context has none."""

    def __init__(self, app: Flask, environ: dict[str, Any]) -> None:
        super().__init__(app, environ, session=SecureCookieSession())

    def match_request(self) -> None:
        """Nothing to match: no route serves an event (and no NotFound to keep)."""


class RealtimeApp(Flask):
    """The app: a Flask app whose socket events get `SocketEventContext`."""

    def request_context(self, environ: dict[str, Any]) -> RequestContext:
        if is_socket_event(environ):
            return SocketEventContext(self, environ)
        return super().request_context(environ)
