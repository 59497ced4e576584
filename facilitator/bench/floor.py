"""The floor under `facilitator bench`: the same phones and run of show, a server that does
nothing else.

`python -m facilitator.bench.floor PORT MODE AGENDA` serves, with python-socketio under
eventlet or gevent and nothing of ours, with the libraries' own defaults:

- `POST /api/join`, which answers a token, and `GET /login` (the bench's "is it up");
- a Socket.IO connect that accepts anyone into the rooms the app would put them in;
- `live.sync`, answering a snapshot of the app's shape with the agenda's program;
- `clock.ping`;
- the moderator's mutations, each applied to an in-memory live state and followed by
  what the app sends: `live.state` to every screen and `live.runs` to the moderators,
  of the app's shape and size, each numbered on its stream (docs/protocol.md).

`facilitator bench --floor` runs the app's storm and run of show against it: what the
libraries and this machine cost before the app adds anything (docs/performance.md).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

EVERYONE, MODERATORS = "w", "m"
JOIN_CODE = "FLOO-RBEN"
# What the bench's moderator sends (bench/show.py); anything else goes unanswered here.
MUTATIONS = ("live.start", "live.next", "live.goto", "timer.adjust", "timer.pause", "timer.resume")


def now_ms() -> int:
    return int(time.time() * 1000)


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def program(agenda_path: Path) -> dict[str, Any]:
    """The agenda as the app's snapshot shows it (`live/wire.py` workshop_view), near enough
    in shape and size; times are not the app's, nothing reads them here."""
    import yaml

    agenda = yaml.safe_load(agenda_path.read_text(encoding="utf-8"))
    people = {p["id"]: p for p in agenda.get("people", [])}
    return {
        "slug": agenda["slug"],
        "title": agenda["title"],
        "languages": agenda["languages"],
        "timezone": agenda["timezone"],
        "show_timezones": agenda.get("show_timezones", []),
        "days": [
            {"day": n + 1, "date": str(day["date"]), "title": day.get("title")}
            for n, day in enumerate(agenda["days"])
        ],
        "items": [
            {
                "id": item["id"],
                "day": item.get("day", 1),
                "title": item["title"],
                "kind": item.get("kind"),
                "start_ms": _minutes(item["start"]) * 60_000,
                "end_ms": _minutes(item["end"]) * 60_000,
                "people": [
                    {
                        "name": people[key].get("name"),
                        "title": people[key].get("title"),
                        "organisation": people[key].get("organisation"),
                        "country": people[key].get("country"),
                    }
                    for key in item.get("people", [])
                    if key in people
                ],
            }
            for item in agenda["program"]
        ],
    }


@dataclass
class Live:
    """The run of show in memory: the fields of the app's `live_view`, nothing stored."""

    items: list[dict[str, Any]]
    shift_days: int
    phase: str = "waiting"
    current: int | None = None
    duration_s: int = 0
    elapsed_s: float = 0.0
    running_since_ms: int | None = None
    started_ms: int | None = None
    runs: list[dict[str, Any]] = field(default_factory=list)
    seqs: dict[str, int] = field(default_factory=lambda: {"workshop": 0, "moderators": 0})

    def view(self) -> dict[str, Any]:
        return {
            "phase": self.phase,
            "item": None if self.current is None else self.items[self.current]["id"],
            "timer": {
                "duration_s": self.duration_s,
                "elapsed_s": round(self.elapsed_s, 3),
                "running_since_ms": self.running_since_ms,
            },
            "joining_locked": False,
            "message": None,
            "started_ms": self.started_ms,
            "schedule_shift_s": self.shift_days * 86400,
            "ended_ms": None,
        }

    def go(self, index: int) -> str | None:
        if not 0 <= index < len(self.items):
            return "no_next_item"
        at = now_ms()
        if self.runs:
            self.runs[-1]["ended_ms"] = at
        item = self.items[index]
        self.phase, self.current = "running", index
        self.started_ms = self.started_ms or at
        self.duration_s = (item["end_ms"] - item["start_ms"]) // 1000
        self.elapsed_s, self.running_since_ms = 0.0, at
        self.runs.append({"item": item["id"], "started_ms": at, "ended_ms": None})
        return None

    def apply(self, event: str, data: dict[str, Any]) -> str | None:
        """The mutation's refusal code, or None when it changed the state."""
        if event == "live.start":
            return "already_started" if self.phase != "waiting" else self.go(0)
        if event == "live.next":
            return self.go(0 if self.current is None else self.current + 1)
        if event == "live.goto":
            ids = [item["id"] for item in self.items]
            return self.go(ids.index(data["item"])) if data.get("item") in ids else "unknown_item"
        if self.phase != "running":
            return "not_running"
        if event == "timer.adjust":
            self.duration_s += 60 * int(data.get("minutes", 0))
        elif event == "timer.pause" and self.running_since_ms is not None:
            self.elapsed_s += (now_ms() - self.running_since_ms) / 1000
            self.running_since_ms = None
        elif event == "timer.resume" and self.running_since_ms is None:
            self.running_since_ms = now_ms()
        else:
            return "timer_paused" if event == "timer.pause" else "timer_running"
        return None


def main(port: int, mode: str, agenda_path: Path) -> None:
    if mode == "eventlet":
        import eventlet

        eventlet.monkey_patch()
    else:
        from gevent import monkey

        monkey.patch_all()
    import json
    import secrets
    from collections.abc import Callable, Iterable

    import socketio

    from facilitator.server import MAX_CONNECTIONS, open_listener

    workshop = program(agenda_path)
    first_day = date.fromisoformat(workshop["days"][0]["date"])
    live = Live(workshop["items"], (date.today() - first_day).days)
    roles: dict[str, str] = {}
    sio = socketio.Server(async_mode=mode)

    @sio.event  # type: ignore[untyped-decorator]
    def connect(sid: str, _environ: dict[str, Any], auth: Any) -> bool:
        role = auth.get("as") if isinstance(auth, dict) else None
        roles[sid] = role if role in ("moderator", "display") else "participant"
        sio.enter_room(sid, EVERYONE)  # the rooms the app puts each screen in
        if roles[sid] == "moderator":
            sio.enter_room(sid, MODERATORS)
        elif roles[sid] == "participant":
            sio.enter_room(sid, f"p:{sid}")
        return True

    @sio.event  # type: ignore[untyped-decorator]
    def disconnect(sid: str, *_reason: object) -> None:
        roles.pop(sid, None)

    @sio.on("live.sync")  # type: ignore[untyped-decorator]
    def sync(sid: str, _data: object = None) -> dict[str, Any]:
        role = roles.get(sid, "participant")
        snapshot: dict[str, Any] = {
            "workshop": workshop,
            "live": live.view(),
            "join": {"code": JOIN_CODE, "url": f"http://127.0.0.1:{port}/j/{JOIN_CODE}"},
            "streams": {"workshop": live.seqs["workshop"]},
            "server_ms": now_ms(),
            "role": role,
        }
        if role == "moderator":
            snapshot["streams"]["moderators"] = live.seqs["moderators"]
            snapshot |= {"runs": live.runs, "display_token": "floor-display"}
        elif role == "participant":
            snapshot["streams"]["participant"] = 0
            snapshot["me"] = {"id": 1, "name": "Bench", "language": workshop["languages"][0]}
        return {"ok": True, "data": snapshot}

    @sio.on("clock.ping")  # type: ignore[untyped-decorator]
    def ping(_sid: str, _data: object = None) -> dict[str, Any]:
        return {"ok": True, "data": {"server_ms": now_ms()}}

    def mutation(event: str) -> Callable[[str, Any], dict[str, Any]]:
        def handle(sid: str, data: Any = None) -> dict[str, Any]:
            if roles.get(sid) != "moderator":
                return {"ok": False, "error": {"code": "forbidden", "message": event}}
            refused = live.apply(event, data if isinstance(data, dict) else {})
            if refused:
                return {"ok": False, "error": {"code": refused, "message": event}}
            live.seqs["workshop"] += 1
            live.seqs["moderators"] += 1
            state = {"live": live.view(), "server_ms": now_ms()}
            state |= {"stream": "workshop", "seq": live.seqs["workshop"]}
            sio.emit("live.state", state, to=EVERYONE)
            runs = {"runs": live.runs, "stream": "moderators", "seq": live.seqs["moderators"]}
            sio.emit("live.runs", runs, to=MODERATORS)
            return {"ok": True, "data": None}

        return handle

    for event in MUTATIONS:
        sio.on(event, mutation(event))

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
    main(int(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
