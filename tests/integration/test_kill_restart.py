"""kill -9 the real server mid-session, restart it: nothing acknowledged is lost.

A moderator, a projector and three phones (python-socketio clients over
WebSocket, reconnecting by themselves) follow a workshop; the moderator's
acknowledged mutations must all be in the database after the crash, the one
sent while the server was down must be applied exactly once when its outbox
resends it, and every screen must resync to the same state with seq going on.
"""

from __future__ import annotations

import threading
from typing import Any

import socketio
from sqlalchemy import func, select

from facilitator.database import make_engine, make_session_factory
from facilitator.live.models import ItemRun, LiveState
from facilitator.realtime.models import AppliedMutation, StreamSeq
from facilitator.realtime.rooms import workshop_room
from tests.integration.conftest import SLUG, ServerProcess
from tests.integration.support import (
    TIMEOUT,
    Screen,
    join_phones,
    moderator_cookie,
    presence,
    wait_for,
)


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
            workshop_id = s.scalar(select(LiveState.workshop_id))
            seq = (
                s.scalar(select(StreamSeq.seq).where(StreamSeq.room == workshop_room(workshop_id)))
                if workshop_id is not None
                else 0
            ) or 0
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
    answers: list[object] = []
    big.emit(
        "participant.language",
        {"cid": "big-message-1", "language": "x" * 70_000},
        callback=lambda *ack: answers.append(ack),
    )
    # Closed, and nothing came before the close (an answer would have): no 2 s wait for
    # an answer that does not come.
    wait_for("the oversized socket to be closed", lambda: not big.connected, seconds=TIMEOUT)
    assert answers == [], "a message over 64 KiB was answered"
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
            assert snapshot["streams"]["workshop"] == seq_before + 1 >= last_seen, screen.name
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
            assert all(d["stream"] == "workshop" for e, d in screen.received if e == "live.state")
            assert numbers == sorted(set(numbers)), screen.name  # never twice, never back
    finally:
        # Side by side: under gevent a client's orderly close waits seconds for the server's.
        closing = [threading.Thread(target=screen.close, daemon=True) for screen in screens]
        for thread in closing:
            thread.start()
        for thread in closing:
            thread.join(timeout=TIMEOUT)
        server.stop()
