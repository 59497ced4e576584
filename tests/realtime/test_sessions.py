"""A socket's cookie session is read at its first event, not again at every event."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.sessions import SecureCookieSessionInterface

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
