"""The moderator of `facilitator bench chaos`: runs the program through an outbox.

One mutation at a time, each with a fresh `cid`, kept until acknowledged and resent
with the same `cid` after every reconnect (the server is killed under it), so the
order of what it applied is known and its effects can be checked in the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import socketio

from facilitator.bench.chaosphone import ACK_TIMEOUT_S, CONNECT_TIMEOUT_S, RETRY_AFTER_S
from facilitator.bench.options import note

MAX_SENDS = 100  # per mutation: a bound, far above what a run needs
RUN_EVENTS = ("live.start", "live.next", "live.goto")  # each starts one item run


@dataclass
class Entry:
    cid: str
    event: str
    payload: dict[str, Any]


@dataclass
class ChaosModerator:
    url: str
    slug: str
    http: aiohttp.ClientSession
    rng: random.Random
    client: Any = None
    down: asyncio.Event = field(default_factory=asyncio.Event)
    items: list[str] = field(default_factory=list)
    item: str | None = None
    phase: str | None = None
    acked: list[Entry] = field(default_factory=list)
    refused: dict[str, int] = field(default_factory=dict)
    resync_ms: list[float] = field(default_factory=list)
    snapshot: dict[str, Any] = field(default_factory=dict)

    def on_event(self, event: str, data: Any = None, *_more: Any) -> None:
        if event == "live.state" and isinstance(data, dict) and isinstance(data.get("live"), dict):
            self.item, self.phase = data["live"].get("item"), data["live"].get("phase")

    async def connect(self, seconds: float = 120) -> None:
        """A new socket and a snapshot, retried while the server is away."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            client = socketio.AsyncClient(reconnection=False, http_session=self.http)
            client.on("*", self.on_event)
            down = asyncio.Event()

            async def gone(*_reason: object, down: asyncio.Event = down) -> None:
                down.set()

            client.on("disconnect", gone)
            began = time.monotonic()
            try:
                await client.connect(
                    self.url,
                    auth={"as": "moderator", "workshop": self.slug},
                    transports=["websocket"],
                    wait_timeout=CONNECT_TIMEOUT_S,
                )
                self.client, self.down = client, down
                if await self.sync():
                    self.resync_ms.append((time.monotonic() - began) * 1000)
                    return
            except (socketio.exceptions.ConnectionError, aiohttp.ClientError, TimeoutError):
                pass
            await self.close()
            await asyncio.sleep(0.5)
        raise RuntimeError("the moderator could not reconnect")

    async def sync(self) -> bool:
        try:
            answer = await self.client.call("live.sync", {}, timeout=ACK_TIMEOUT_S)
        except (socketio.exceptions.SocketIOError, TimeoutError):
            return False
        if not isinstance(answer, dict) or not answer.get("ok"):
            return False
        self.snapshot = answer["data"]
        self.items = [item["id"] for item in self.snapshot["workshop"]["items"]]
        self.item, self.phase = self.snapshot["live"]["item"], self.snapshot["live"]["phase"]
        return True

    async def close(self) -> None:
        if self.client is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.client.disconnect(), 5)
            self.client = None

    async def ensure(self) -> None:
        if self.client is None or self.down.is_set():
            await self.close()
            await self.connect()

    async def send(self, entry: Entry) -> None:
        """Until acknowledged or refused for good; reconnecting (and resending) as needed."""
        for _ in range(MAX_SENDS):
            await self.ensure()
            try:
                ack = await self.client.call(
                    entry.event, {**entry.payload, "cid": entry.cid}, timeout=ACK_TIMEOUT_S
                )
            except (socketio.exceptions.SocketIOError, TimeoutError):
                await asyncio.sleep(0.2)
                continue  # no answer: it stays in the outbox
            if not isinstance(ack, dict):
                continue
            if ack.get("ok"):
                self.acked.append(entry)
                return
            code = (ack.get("error") or {}).get("code", "?")
            self.refused[code] = self.refused.get(code, 0) + 1
            if code not in RETRY_AFTER_S:
                return
            await asyncio.sleep(RETRY_AFTER_S[code])
        note(f"moderator gave up on {entry.event} {entry.cid}")

    def plan(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """The program: start, then the timer, messages and items by turns."""
        n = 0
        while True:
            n += 1
            if self.phase != "running":
                yield "live.start", {}
                continue
            yield "timer.adjust", {"minutes": self.rng.choice((-1, 1, 2))}
            yield "message.broadcast", {"text": f"chaos {n}"}
            if self.item == self.items[-1]:
                yield "live.goto", {"item": self.items[0]}
            else:
                yield "live.next", {}
            yield "timer.pause", {}
            yield "timer.resume", {}

    async def drive(self, until: float, interval_s: float = 1.0) -> None:
        steps = self.plan()
        for _ in range(int((until - time.monotonic()) / interval_s) + 1):
            if time.monotonic() >= until:
                return
            event, payload = next(steps)
            await self.send(Entry(str(uuid.uuid4()), event, payload))
            await asyncio.sleep(max(0.0, min(interval_s, until - time.monotonic())))
