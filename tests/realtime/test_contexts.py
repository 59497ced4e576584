"""A socket's events: the cookie session read at its first event only, and contexts that
leave nothing to the garbage collector."""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any

import pytest
from flask.ctx import RequestContext
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import NotFound

from tests.realtime.support import Client, cid
from tests.realtime.test_questions_events import CHOICE

Sock = Callable[..., Client]


def test_the_cookie_is_read_once_per_socket_and_the_moderator_stays_signed_in(
    sock: Sock, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[Any] = []
    signing = SecureCookieSessionInterface.get_signing_serializer

    def counted(self: SecureCookieSessionInterface, app: Any) -> Any:
        reads.append(app)
        return signing(self, app)

    monkeypatch.setattr(SecureCookieSessionInterface, "get_signing_serializer", counted)
    moderator = sock("moderator")
    after_connect = len(reads)
    assert after_connect >= 1  # the connect read the cookie: it signs the moderator in
    for n in range(5):
        answer = moderator.call("question.create", {"cid": cid(n), **CHOICE})
        assert answer["ok"], answer  # still the signed-in moderator, event after event
    assert len(reads) == after_connect


def test_socket_events_leave_no_request_context_to_the_garbage_collector(sock: Sock) -> None:
    """An event's context does not route: a NotFound kept on it made a reference cycle
    per event, and a room's events made the collector stall the server."""
    moderator = sock("moderator")
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what a collection finds unreachable stays to be seen
    try:
        for n in range(5):
            assert moderator.call("question.create", {"cid": cid(100 + n), **CHOICE})["ok"]
        gc.collect()
        cycles = [o for o in gc.garbage if isinstance(o, (RequestContext, NotFound))]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert cycles == []
