"""kill -9 the real server mid-session, restart it: nothing acknowledged is lost.

A moderator, a projector and three phones (python-socketio clients over
WebSocket, reconnecting by themselves) follow a workshop; the moderator's
acknowledged mutations must all be in the database after the crash, the one
sent while the server was down must be applied exactly once when its outbox
resends it, and every screen must resync to the same state with seq going on.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import requests
import socketio
from sqlalchemy import func, select

from facilitator.database import make_engine, make_session_factory, unit_of_work, utcnow
from facilitator.live.models import ItemRun, LiveState
from facilitator.participation.services import Profile, join
from facilitator.realtime.models import AppliedMutation
from tests.integration.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, SLUG, ServerProcess

TIMEOUT = 10.0
RETRY_CODES = {"rate_limited", "not_connected", "internal_error"}  # as realtime.js


class Screen:
    """A python-socketio client that behaves as realtime.js does: seq, resync, outbox."""

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
        for event in ("live.state", "live.runs", "presence.changed", "participant.removed"):
            self.sio.on(event, self._receiver(event))

    def _connected(self) -> None:
        with self.lock:
            self.connects += 1

    def _receiver(self, event: str) -> Callable[[dict[str, Any]], None]:
        def receive(data: dict[str, Any]) -> None:
            with self.lock:
                self.received.append((event, data))
                if isinstance(data.get("seq"), int):
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
        ack = self.sio.call("live.sync", {"last_seq": self.seq}, timeout=TIMEOUT)
        assert ack["ok"], (self.name, ack)
        snapshot: dict[str, Any] = ack["data"]
        with self.lock:
            self.seq = max(self.seq, snapshot["seq"])
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


def moderator_cookie(url: str) -> str:
    """Log in as a browser would; the socket sends the session cookie."""
    with requests.Session() as http:
        page = http.get(url + "/login", timeout=TIMEOUT)
        match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert match, "no CSRF token on /login"
        answer = http.post(
            url + "/login",
            data={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "csrf_token": match.group(1)},
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


def stored(server: ServerProcess) -> tuple[dict[str, int], int, int]:
    """Rows per cid, item runs and the workshop's seq, read from the database file."""
    engine = make_engine(server.database_url)
    try:
        with make_session_factory(engine)() as s:
            rows = s.execute(
                select(AppliedMutation.cid, func.count()).group_by(AppliedMutation.cid)
            )
            cids = {cid: count for cid, count in rows}
            runs = s.scalar(select(func.count()).select_from(ItemRun)) or 0
            seq = s.scalar(select(LiveState.seq)) or 0
    finally:
        engine.dispose()
    return cids, runs, seq


def refuse_other_origins_and_big_messages(
    server: ServerProcess, cookie: str, phone: Screen
) -> None:
    # Another site's page cannot ride on the moderator's cookie.
    evil = socketio.Client(reconnection=False)
    try:
        evil.connect(
            server.url,
            auth={"as": "moderator", "workshop": SLUG},
            headers={"Cookie": cookie, "Origin": "http://evil.example"},
            transports=["websocket"],
            wait_timeout=TIMEOUT,
        )
    except socketio.exceptions.ConnectionError:
        pass
    else:
        evil.disconnect()
        raise AssertionError("a socket from another origin was let in")

    # A message over 64 KiB closes that socket, unanswered; the server goes on.
    big = socketio.Client(reconnection=False)
    big.connect(server.url, auth=phone.auth, transports=["websocket"], wait_timeout=TIMEOUT)
    try:
        big.call(
            "participant.language", {"cid": "big-message-1", "language": "x" * 70_000}, timeout=2
        )
    except socketio.exceptions.SocketIOError:
        pass
    else:
        raise AssertionError("a message over 64 KiB was answered")
    wait_for("the oversized socket to be closed", lambda: not big.connected, seconds=TIMEOUT)
    assert phone.sio.call("clock.ping", {}, timeout=TIMEOUT)["ok"]


def test_kill_9_and_restart_loses_nothing(server: ServerProcess) -> None:
    server.start()
    screens: list[Screen] = []
    try:
        moderator = Screen(
            "moderator",
            server.url,
            {"as": "moderator", "workshop": SLUG},
            headers={"Cookie": moderator_cookie(server.url)},
        )
        moderator.open()
        screens.append(moderator)
        first = moderator.sync()
        items = [item["id"] for item in first["workshop"]["items"]]
        planned_s = {
            i["id"]: (i["end_ms"] - i["start_ms"]) // 1000 for i in first["workshop"]["items"]
        }

        projector = Screen(
            "projector", server.url, {"as": "display", "token": first["display_token"]}
        )
        phones = [
            Screen(
                f"phone {n + 1}",
                server.url,
                {"as": "participant", "workshop": SLUG, "token": token},
            )
            for n, token in enumerate(join_phones(server, first["join"]["code"], 3))
        ]
        for screen in (projector, *phones):
            screen.open()
            screen.sync()
            screens.append(screen)
        wait_for("the console to count three phones", lambda: presence(moderator) == 3)

        # The session runs: every mutation is acknowledged before the crash.
        acked: dict[str, dict[str, Any] | None] = {}
        script: list[tuple[str, dict[str, Any]]] = [
            ("live.start", {}),
            ("live.next", {}),
            ("timer.adjust", {"minutes": 2}),
            ("message.broadcast", {"text": "Before the crash"}),
        ]
        for event, payload in script:
            cid, ack = moderator.send(event, payload)
            assert ack == {"ok": True, "data": None}, (event, ack)
            acked[cid] = ack
        _, _, seq_before = stored(server)
        wait_for(
            "every screen to see the last change",
            lambda: all(s.seen(seq_before) for s in screens),
            seconds=TIMEOUT,
        )

        refuse_other_origins_and_big_messages(server, moderator.headers["Cookie"], phones[0])

        server.kill()
        wait_for(
            "every screen to notice",
            lambda: not any(s.sio.connected for s in screens),
            seconds=TIMEOUT,
        )

        # Sent while the server is down: it waits in the outbox.
        locked_cid, ack = moderator.send("joining.lock", {"locked": True}, timeout=1)
        assert ack is None and locked_cid in moderator.outbox

        server.start()
        wait_for(
            "every screen to reconnect by itself",
            lambda: all(s.connects >= 2 and s.sio.connected for s in screens),
        )

        # The outbox resends it (twice: as if the first answer had been lost on the way).
        first_resend = moderator.transmit(locked_cid)
        moderator.outbox[locked_cid] = ("joining.lock", {"locked": True, "cid": locked_cid})
        second_resend = moderator.transmit(locked_cid)
        assert first_resend == second_resend == {"ok": True, "data": None}
        assert moderator.outbox == {}

        for screen in screens:
            last_seen = screen.seq
            snapshot = screen.sync()
            live = snapshot["live"]
            assert snapshot["seq"] == seq_before + 1 >= last_seen, screen.name
            assert live["phase"] == "running", screen.name
            assert live["item"] == items[1], screen.name
            assert live["timer"]["duration_s"] == planned_s[items[1]] + 120, screen.name
            assert live["message"]["text"] == "Before the crash", screen.name
            assert live["joining_locked"] is True, screen.name

        cids, runs, seq_after = stored(server)
        assert all(cids.get(cid) == 1 for cid in acked), cids
        assert cids[locked_cid] == 1
        assert len(cids) == len(acked) + 1
        assert runs == 2  # the first item, then the second: no run lost or doubled
        assert seq_after == seq_before + 1

        wait_for("the console to count three phones again", lambda: presence(moderator) == 3)

        # The rooms work again: the next change reaches every screen with the next number.
        _, ack = moderator.send("timer.pause")
        assert ack == {"ok": True, "data": None}
        wait_for(
            "every screen to see the change after the restart",
            lambda: all(s.seen(seq_after + 1) for s in screens),
            seconds=TIMEOUT,
        )
        for screen in screens:
            with screen.lock:
                numbers = [d["seq"] for e, d in screen.received if e == "live.state"]
            assert numbers == sorted(set(numbers)), screen.name  # never twice, never back
    finally:
        # Side by side: under gevent a client's orderly close waits seconds for the server's.
        closing = [threading.Thread(target=screen.close, daemon=True) for screen in screens]
        for thread in closing:
            thread.start()
        for thread in closing:
            thread.join(timeout=TIMEOUT)
        server.stop()
