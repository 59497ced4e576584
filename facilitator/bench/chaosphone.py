"""One simulated phone of `facilitator bench chaos`: streams, resync, a persisted outbox.

It behaves as `static/shared/realtime.js` does, over a python-socketio client: on
every (re)connect it asks `live.sync` and replaces its view with the snapshot, then
resends its outbox with the same `cid`s; it follows its streams by `seq` and asks for
a snapshot on a gap. The outbox lives in a file of its own (the browser's
localStorage), so a "reload" that forgets everything in memory keeps it. The ledger
(what was acknowledged, resync times) is the test's memory, not the phone's: it
survives reloads.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import socket
import struct
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import socketio

from facilitator.bench.streams import event_key, snapshot_streams

ACK_TIMEOUT_S = 10.0  # as realtime.js: no answer within 10 s, the entry stays
CONNECT_TIMEOUT_S = 10.0
RETRY_AFTER_S = {"rate_limited": 3.0, "not_connected": 1.0, "internal_error": 5.0}
SLOW_RESYNC_MS = 5000.0  # the bound: a view equal to the server's within 5 s
MAX_RESENDS = 200  # per outbox entry: a bound, far above what a run needs


@dataclass
class Ledger:
    """What the test remembers about one phone, across reloads."""

    acked: list[tuple[str, str]] = field(default_factory=list)  # (cid, language), ack order
    resync_ms: list[float] = field(default_factory=list)
    slow: list[tuple[float, float]] = field(default_factory=list)  # (began, ms) over 5 s
    interrupted: int = 0  # connections cut before their snapshot came
    cuts: int = 0
    abrupt: int = 0  # cuts that reset the TCP connection, no close of any kind
    reloads: int = 0
    refused: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def error(self, text: str) -> None:
        if len(self.errors) < 3:
            self.errors.append(text[:200])


@dataclass
class Memory:
    """What a page reload forgets: the view and the streams followed."""

    streams: dict[str, int] = field(default_factory=dict)
    live: dict[str, Any] | None = None
    language: str | None = None
    me: int | None = None
    gap: bool = False
    syncing: bool = False
    early: list[tuple[str, int, dict[str, Any]]] = field(default_factory=list)


class ChaosPhone:
    def __init__(self, index: int, address: str, config: dict[str, Any], rng: random.Random):
        self.index, self.address, self.config, self.rng = index, address, config, rng
        self.box = Path(config["outbox_dir"]) / f"{index}.json"
        self.ledger = Ledger()
        self.memory = Memory()
        self.token: str | None = None
        self.pid: int | None = None  # the participant id, from its first snapshot
        self.http: aiohttp.ClientSession | None = None
        self.client: Any = None  # socketio.AsyncClient of the current connection
        self.down = asyncio.Event()  # the current connection is gone

    # The outbox, as localStorage: read and written whole, kept across reloads.
    def outbox(self) -> list[dict[str, Any]]:
        try:
            entries: list[dict[str, Any]] = json.loads(self.box.read_text())
        except (OSError, ValueError):
            return []
        return entries

    def save(self, entries: list[dict[str, Any]]) -> None:
        self.box.write_text(json.dumps(entries))

    def drop(self, cid: str) -> None:
        self.save([e for e in self.outbox() if e["cid"] != cid])

    def new_http(self) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(local_addr=(self.address, 0), limit=0),
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            timeout=aiohttp.ClientTimeout(total=30),
        )

    async def join(self) -> None:
        base, language = self.config["base_url"], self.config["languages"][0]
        self.http = self.new_http()
        body = {"code": self.config["code"], "language": language, "display_name": f"C{self.index}"}
        for _attempt in range(60):  # the server may be down for a kill: retry a minute
            try:
                async with self.http.post(f"{base}/api/join", json=body) as response:
                    if response.status in (200, 201):
                        self.token = (await response.json())["token"]
                        return
                    self.ledger.error(f"join HTTP {response.status}")
            except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
                self.ledger.error(f"join {type(exc).__name__}")
            await asyncio.sleep(1.0)

    # Events from the server, applied by stream and seq.
    def on_event(self, event: str, data: Any = None, *_more: Any) -> None:
        key = event_key(data)
        if key is None or not isinstance(data, dict):
            return
        memory = self.memory
        if memory.syncing:
            memory.early.append((key[0], key[1], {"event": event, **data}))
            return
        self.apply(key[0], key[1], event, data)

    def apply(self, stream: str, seq: int, event: str, data: dict[str, Any]) -> None:
        memory = self.memory
        last = memory.streams.get(stream)
        if last is not None and seq <= last:
            return  # seen already, or in the snapshot
        if last is None or seq > last + 1:
            memory.gap = True  # something was missed on one of its streams
        memory.streams[stream] = seq
        if event == "live.state" and isinstance(data.get("live"), dict):
            memory.live = data["live"]

    async def sync(self, client: Any) -> bool:
        memory = self.memory
        memory.syncing, memory.early, memory.gap = True, [], False
        try:
            answer = await client.call("live.sync", {}, timeout=ACK_TIMEOUT_S)
        except (socketio.exceptions.SocketIOError, TimeoutError):
            memory.syncing = False
            return False
        memory.syncing = False
        if not isinstance(answer, dict) or not answer.get("ok"):
            self.ledger.error(f"sync refused: {answer}")
            return False
        snapshot = answer["data"]
        memory.streams = snapshot_streams(snapshot)
        memory.live = snapshot.get("live")
        me = snapshot.get("me") or {}
        memory.me, memory.language = me.get("id"), me.get("language")
        self.pid = memory.me if memory.me is not None else self.pid
        # Events committed while the snapshot was on its way: apply those it lacks.
        for stream, seq, data in sorted(memory.early, key=lambda e: (e[0], e[1])):
            self.apply(stream, seq, str(data.get("event")), data)
        memory.early = []
        return True

    async def cut(self) -> None:
        """Drop the connection as a network does: a TCP reset, no close frame, no packet."""
        self.ledger.cuts += 1
        ws = getattr(getattr(self.client, "eio", None), "ws", None)
        transport = getattr(getattr(ws, "_writer", None), "transport", None)
        if transport is not None:
            sock = transport.get_extra_info("socket")
            if sock is not None:  # linger 0: the kernel answers with RST, not FIN
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            transport.abort()
            with contextlib.suppress(TimeoutError):  # the client's read loop notices
                await asyncio.wait_for(self.down.wait(), 5)
        if self.down.is_set():
            self.ledger.abrupt += 1
            self.client = None  # gone already: no DISCONNECT packet to send
        else:
            await self.close_client()  # could not cut it: close it (counted as not abrupt)

    async def connect(self) -> Any:
        """A new socket (as a page does), retried while the server is away."""
        delay = 0.2
        for _attempt in range(300):
            client = socketio.AsyncClient(reconnection=False, http_session=self.http)
            client.on("*", self.on_event)
            down = asyncio.Event()

            async def gone(*_reason: object, down: asyncio.Event = down) -> None:
                down.set()

            client.on("disconnect", gone)
            began = time.monotonic()
            try:
                await client.connect(
                    self.config["base_url"],
                    auth={
                        "as": "participant",
                        "workshop": self.config["slug"],
                        "token": self.token,
                    },
                    transports=["websocket"],
                    wait_timeout=CONNECT_TIMEOUT_S,
                )
            except (socketio.exceptions.ConnectionError, aiohttp.ClientError, TimeoutError):
                await asyncio.sleep(delay * (0.8 + 0.4 * self.rng.random()))
                delay = min(delay * 2, 2.0)
                continue
            self.client, self.down = client, down
            synced = await self.sync(client)
            if synced or not down.is_set():
                # A snapshot that never came on a live socket counts too: as its wait.
                waited_ms = (time.monotonic() - began) * 1000
                self.ledger.resync_ms.append(waited_ms)
                if waited_ms > SLOW_RESYNC_MS:
                    self.ledger.slow.append((began, waited_ms))
            if synced:
                return client
            if down.is_set():
                self.ledger.interrupted += 1  # cut (a kill) before its snapshot came
            await self.close_client()
        raise RuntimeError(f"phone {self.index} could not reconnect")

    async def close_client(self) -> None:
        if self.client is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.client.disconnect(), 5)
            self.client = None

    async def transmit(self, entry: dict[str, Any]) -> bool:
        """Send one outbox entry; True when it left the outbox."""
        cid, event, payload = entry["cid"], entry["event"], entry["payload"]
        try:
            ack = await self.client.call(event, {**payload, "cid": cid}, timeout=ACK_TIMEOUT_S)
        except (socketio.exceptions.SocketIOError, TimeoutError, AttributeError):
            return False
        if not isinstance(ack, dict):
            return False
        if ack.get("ok"):
            self.drop(cid)
            language = str((ack.get("data") or {}).get("language"))
            self.memory.language = language
            self.ledger.acked.append((cid, language))
            return True
        code = (ack.get("error") or {}).get("code", "?")
        self.ledger.refused[code] = self.ledger.refused.get(code, 0) + 1
        if code in RETRY_AFTER_S:
            await asyncio.sleep(RETRY_AFTER_S[code])
            return False
        self.drop(cid)
        return True

    async def flush(self) -> None:
        """Resend the whole outbox in order, as after every (re)connect."""
        for entry in self.outbox():
            for _ in range(MAX_RESENDS):
                if self.down.is_set():
                    return
                if await self.transmit(entry):
                    break

    def new_mutation(self) -> None:
        languages = self.config["languages"]
        entry = {
            "cid": str(uuid.uuid4()),
            "event": "participant.language",
            "payload": {"language": self.rng.choice(languages)},
        }
        self.save([*self.outbox(), entry])

    async def live(self, until: float) -> None:
        """Cut, reload, reconnect, mutate, until `until` (time.monotonic())."""
        next_cut = time.monotonic() + self.rng.uniform(*self.config["cut_s"])
        next_mutation = time.monotonic() + self.rng.uniform(*self.config["mutation_s"])
        steps = int((until - time.monotonic()) / 0.05) + 1000
        for _step in range(steps):  # bounded: one step per 50 ms at most
            now = time.monotonic()
            if now >= until:
                return
            if self.client is None or self.down.is_set():
                await self.close_client()
                await self.connect()
                await self.flush()
                continue
            if now >= next_cut:
                next_cut = now + self.rng.uniform(*self.config["cut_s"])
                await self.cut()
                if self.rng.random() < self.config["reload_share"]:
                    self.ledger.reloads += 1
                    self.memory = Memory()  # the page is gone; localStorage stays
                    await asyncio.sleep(self.rng.uniform(0.5, 2.0))
                else:
                    await asyncio.sleep(self.rng.uniform(0.1, 1.0))  # socket.io's backoff
                continue
            if self.memory.gap:
                await self.sync(self.client)
                continue
            if now >= next_mutation:
                next_mutation = now + self.rng.uniform(*self.config["mutation_s"])
                self.new_mutation()
                await self.flush()
                continue
            await asyncio.sleep(0.05)

    async def settle(self, seconds: float) -> bool:
        """No more cuts or new mutations: be connected, synced, with an empty outbox."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.client is None or self.down.is_set():
                await self.close_client()
                await self.connect()
            if self.memory.gap:
                await self.sync(self.client)
            await self.flush()
            if not self.outbox() and not self.down.is_set() and not self.memory.gap:
                return True
            await asyncio.sleep(0.2)
        return False

    def verdict(self, live: dict[str, Any], languages: dict[str, str]) -> str | None:
        """None when its view equals the server's; else what differs."""
        memory = self.memory
        if self.down.is_set() or memory.me is None:
            return f"phone {self.index}: not connected"
        mine = memory.live or {}
        for key in ("phase", "item", "timer", "message", "joining_locked"):
            if mine.get(key) != live.get(key):
                return f"phone {self.index}: {key} {mine.get(key)!r} != {live.get(key)!r}"
        if memory.language != languages.get(str(memory.me)):
            return f"phone {self.index} (p:{memory.me}): language {memory.language!r}"
        expected = self.ledger.acked[-1][1] if self.ledger.acked else self.config["languages"][0]
        if memory.language != expected:
            return f"phone {self.index}: language {memory.language!r}, last acked {expected!r}"
        return None
