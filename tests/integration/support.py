"""What the real-server tests share: screens that behave as realtime.js does, phones, waiting."""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import requests
import socketio

from facilitator.database import make_engine, make_session_factory, unit_of_work, utcnow
from facilitator.participation.services import Profile, join
from tests.integration.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, ServerProcess

TIMEOUT = 10.0
RETRY_CODES = {"rate_limited", "not_connected", "internal_error"}  # as realtime.js


class Screen:
    """A python-socketio client that behaves as the browser does: streams, resync, outbox.

    `seq` is the last number seen on the workshop's stream, which every screen follows."""

    def __init__(
        self, name: str, url: str, auth: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        self.name, self.url, self.auth, self.headers = name, url, auth, headers or {}
        self.sio = socketio.Client(
            reconnection=True,
            reconnection_delay=0.2,
            reconnection_delay_max=1.0,
            randomization_factor=0.2,
            request_timeout=TIMEOUT,
        )
        self.lock = threading.Lock()
        self.connects = 0
        self.seq = -1
        self.received: list[tuple[str, dict[str, Any]]] = []
        self.outbox: dict[str, tuple[str, dict[str, Any]]] = {}
        self.sio.on("connect", self._connected)
        for event in (
            "live.state",
            "live.runs",
            "program.changed",
            "presence.changed",
            "participant.removed",
        ):
            self.sio.on(event, self._receiver(event))

    def _connected(self) -> None:
        with self.lock:
            self.connects += 1

    def _receiver(self, event: str) -> Callable[[dict[str, Any]], None]:
        def receive(data: dict[str, Any]) -> None:
            with self.lock:
                self.received.append((event, data))
                if data.get("stream") == "workshop" and isinstance(data.get("seq"), int):
                    self.seq = max(self.seq, data["seq"])

        return receive

    def open(self) -> None:
        self.sio.connect(
            self.url,
            auth=self.auth,
            headers=self.headers,
            transports=["websocket"],
            wait_timeout=TIMEOUT,
        )

    def close(self) -> None:
        self.sio.disconnect()

    def sync(self) -> dict[str, Any]:
        ack = self.sio.call("live.sync", {}, timeout=TIMEOUT)
        assert ack["ok"], (self.name, ack)
        snapshot: dict[str, Any] = ack["data"]
        with self.lock:
            self.seq = max(self.seq, snapshot["streams"]["workshop"])
        return snapshot

    def send(
        self, event: str, payload: dict[str, Any] | None = None, timeout: float = TIMEOUT
    ) -> tuple[str, dict[str, Any] | None]:
        """Put a mutation in the outbox and try to send it: (cid, ack or None)."""
        cid = str(uuid.uuid4())
        self.outbox[cid] = (event, {**(payload or {}), "cid": cid})
        return cid, self.transmit(cid, timeout)

    def transmit(self, cid: str, timeout: float = TIMEOUT) -> dict[str, Any] | None:
        event, body = self.outbox[cid]
        try:
            ack: dict[str, Any] = self.sio.call(event, body, timeout=timeout)
        except socketio.exceptions.SocketIOError:  # timed out, or not connected
            return None  # no answer: it stays in the outbox
        if ack["ok"] or ack["error"]["code"] not in RETRY_CODES:
            del self.outbox[cid]
        return ack

    def seen(self, seq: int) -> bool:
        with self.lock:
            return self.seq >= seq


def presence(screen: Screen) -> int | None:
    """How many phones the last presence.changed counted (the background task sends it)."""
    with screen.lock:
        counts = [d for e, d in screen.received if e == "presence.changed"]
    return counts[-1]["connected"]["total"] if counts else None


def wait_for(what: str, condition: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def moderator_cookie(url: str, email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD) -> str:
    """Log in as a browser would; the socket sends the session cookie."""
    with requests.Session() as http:
        page = http.get(url + "/login", timeout=TIMEOUT)
        match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert match, "no CSRF token on /login"
        answer = http.post(
            url + "/login",
            data={"email": email, "password": password, "csrf_token": match.group(1)},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        assert answer.status_code == 302, answer.status_code
        return "; ".join(f"{c.name}={c.value}" for c in http.cookies)


def join_phones(server: ServerProcess, code: str, count: int) -> list[str]:
    """Participant tokens: through POST /api/join, or the service where it is missing."""
    tokens = []
    for n in range(count):
        answer = requests.post(
            server.url + "/api/join",
            json={"code": code, "language": "en", "display_name": f"Phone {n + 1}"},
            timeout=TIMEOUT,
        )
        if answer.status_code in (404, 405):  # no join API in this build
            return _join_directly(server, code, count)
        assert answer.status_code == 201, answer.text
        tokens.append(answer.json()["token"])
    return tokens


def _join_directly(server: ServerProcess, code: str, count: int) -> list[str]:
    engine = make_engine(server.database_url)
    try:
        with unit_of_work(make_session_factory(engine)) as s:
            return [
                join(s, code, Profile("en", display_name=f"Phone {n + 1}"), utcnow())[0].token
                for n in range(count)
            ]
    finally:
        engine.dispose()
