"""The cookie session of a Socket.IO event: read once per socket, not once per event.

Flask-SocketIO pushes a request context for every event, and Flask opens the session
from the cookie on every push (a signature check and a JSON parse), only for
Flask-SocketIO to replace it at once with the copy it keeps for the socket since its
first event (`saved_session`, what `manage_session` is for). When that copy exists,
the cookie is not read again: a room answering at once pays for it once per phone.
"""

from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

SAVED = "saved_session"  # Flask-SocketIO's key in the socket's WSGI environ


class SocketEventSessions(SecureCookieSessionInterface):
    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if SAVED in request.environ:
            return self.session_class()  # replaced by the socket's own copy before use
        return super().open_session(app, request)
