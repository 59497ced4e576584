"""The simulated phones of `facilitator bench`, in a process of their own.

`python -m facilitator.bench.phones` reads JSON lines on standard input and
answers JSON lines on standard output:

  in  {"base_url", "code", "slug", "language",
       "participants": [[index, address, arrives_after_s], ...]}
  out {"event": "ready"}
  in  {"go": true}                       -> each participant joins and connects at its moment,
                                            then asks live.sync and samples clock.ping as
                                            realtime.js does
  out {"event": "connected", "join_ms": [...], "connect_ms": [...], "ready_ms": [...],
       "failures": n, "errors": [...]}
  in  {"expect": ["stream:seq", ...], "wait_s": s, "window": [t0, t1]}
                                         -> wait until every expected event arrived everywhere
                                            (or s passed)
  out {"event": "report", "last_ms": {"stream:seq": t}, "received": {"stream:seq": n},
       "lost": n, "duplicates": n, "disconnects": n, "deliveries": n, "event_bytes": n}
  in  {"do": "answers", ...}             -> the answer phase (bench/answering.py)
  in  {"do": "boards", "step": ...}      -> the breakout phase, step by step (bench/boards.py)

After the storm, orders come one at a time, each answered by one line, in the order the
bench's phases run, until the bench closes the pipe.

A phone follows every sequenced event by the stream it names and that stream's seq
(bench/streams.py: the protocol with one workshop seq and the one with a stream per
audience both read). `deliveries` counts every event the phones received within the
window (the run of show); `event_bytes` is the size of a `live.state` as JSON.

Times are `time.monotonic()` in seconds: CLOCK_MONOTONIC is one clock for every
process of the machine, so the bench can subtract its own emit times from them.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import socketio

from facilitator.bench.lean import LeanClient
from facilitator.bench.streams import Key, event_key, label, parse, snapshot_streams

REQUEST_TIMEOUT_S = 30.0
CONNECT_TIMEOUT_S = 30.0
MAX_ERRORS = 5  # kinds of failure reported back; the count says the rest
CLOCK_SAMPLES, CLOCK_SAMPLE_GAP_S = 5, 0.150  # as realtime.js


@dataclass
class Phone:
    """One participant: their own HTTP session, bound to their own source address."""

    index: int
    address: str
    arrives_after_s: float = 0.0  # after the "go"
    sizing: bool = False  # measures the size of what it receives (one phone a worker is enough)
    keys: Counter[Key] = field(default_factory=Counter)
    arrived: dict[Key, float] = field(default_factory=dict)  # first arrival of each
    moments: list[float] = field(default_factory=list)  # every event's arrival
    sizes: list[int] = field(default_factory=list)
    synced: dict[str, int] = field(default_factory=dict)  # its snapshot's streams
    participant_id: int | None = None
    # A phase's own ear on some events: name -> fn(data, arrival time) (bench/answering.py)
    watch: dict[str, Callable[[Any, float], None]] = field(default_factory=dict)
    disconnected: bool = False
    connected: bool = False
    http: aiohttp.ClientSession | None = None
    client: Any = None  # socketio.AsyncClient
    tasks: set[asyncio.Task[None]] = field(default_factory=set)  # its clock samples

    def on_event(self, event: str, data: Any = None, *_more: Any) -> None:
        now = time.monotonic()
        self.moments.append(now)
        key = event_key(data)
        if key is not None:
            self.keys[key] += 1
            self.arrived.setdefault(key, now)
        if self.sizing and event == "live.state":
            # As python-socketio encodes it on the wire.
            self.sizes.append(len(json.dumps(data, separators=(",", ":"))))
        heard = self.watch.get(event)
        if heard is not None:
            heard(data, now)

    def gaps(self) -> int:
        """Sequenced events missing between its snapshot and the last it received, per
        stream: what realtime.js would notice and resync for."""
        seen: dict[str, set[int]] = {}
        for stream, seq in self.keys:
            seen.setdefault(stream, set()).add(seq)
        missing = 0
        for stream, seqs in seen.items():
            first = self.synced.get(stream, min(seqs) - 1) + 1
            missing += sum(1 for n in range(first, max(seqs) + 1) if n not in seqs)
        return missing

    def has(self, key: Key) -> bool:
        """Received, or already in the snapshot it synced from (as realtime.js sees it)."""
        return key in self.keys or key[1] <= self.synced.get(key[0], -1)


def new_session(address: str) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(local_addr=(address, 0), limit=0, force_close=False)
    return aiohttp.ClientSession(
        connector=connector,
        cookie_jar=aiohttp.CookieJar(unsafe=True),  # loopback is an IP address
        timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S),
    )


@dataclass(frozen=True)
class Arrival:
    """One phone's way in; None where it did not get that far."""

    join_ms: float | None = None  # POST /api/join until its answer
    connect_ms: float | None = None  # socket connect until connected
    ready_ms: float | None = None  # the tap on Join until the snapshot is in hand
    error: str | None = None


async def clock_pings(client: Any) -> None:
    """What realtime.js does after every connect, beside live.sync: five clock samples."""
    for _ in range(CLOCK_SAMPLES):
        try:
            await client.call("clock.ping", {}, timeout=CONNECT_TIMEOUT_S)
        except (socketio.exceptions.SocketIOError, TimeoutError):
            return
        await asyncio.sleep(CLOCK_SAMPLE_GAP_S)


async def join_and_connect(phone: Phone, config: dict[str, Any]) -> Arrival:
    """Join over HTTP, open the socket, and (as realtime.js does) ask for the snapshot
    and sample the server's clock."""
    phone.http = new_session(phone.address)
    base = config["base_url"]
    started = time.monotonic()
    try:
        async with phone.http.post(
            f"{base}/api/join",
            json={
                "code": config["code"],
                "language": config["language"],
                "display_name": f"Bench {phone.index}",
            },
        ) as response:
            body = await response.text()
            if response.status not in (200, 201):
                return Arrival(error=f"join HTTP {response.status}: {body[:120]}")
            joined_as = json.loads(body)
            token = joined_as["token"]
            phone.participant_id = joined_as.get("participant")
    except (aiohttp.ClientError, TimeoutError, ValueError, KeyError) as exc:
        return Arrival(error=f"join {type(exc).__name__}: {exc}"[:200])
    joined = time.monotonic()
    join_ms = (joined - started) * 1000

    client = LeanClient(reconnection=False, http_session=phone.http)
    phone.client = client
    client.on("*", phone.on_event)  # every event: each sequenced one counts, whatever its name

    @client.event  # type: ignore[untyped-decorator]
    async def disconnect(*_reason: object) -> None:
        phone.disconnected = True

    try:
        await client.connect(
            base,
            auth={"as": "participant", "workshop": config["slug"], "token": token},
            transports=["websocket"],
            wait_timeout=CONNECT_TIMEOUT_S,
        )
    except (socketio.exceptions.ConnectionError, aiohttp.ClientError, TimeoutError) as exc:
        return Arrival(join_ms, error=f"connect {type(exc).__name__}: {exc}"[:200])
    phone.connected = True
    connect_ms = (time.monotonic() - joined) * 1000
    phone.tasks.add(asyncio.create_task(clock_pings(client)))
    try:
        answer = await client.call("live.sync", {}, timeout=CONNECT_TIMEOUT_S)
    except (socketio.exceptions.SocketIOError, TimeoutError) as exc:
        return Arrival(join_ms, connect_ms, error=f"sync {type(exc).__name__}: {exc}"[:200])
    if not isinstance(answer, dict) or not answer.get("ok"):
        return Arrival(join_ms, connect_ms, error=f"sync refused: {answer}"[:200])
    phone.synced = snapshot_streams(answer.get("data"))
    return Arrival(join_ms, connect_ms, (time.monotonic() - started) * 1000)


async def storm(phones: list[Phone], config: dict[str, Any]) -> dict[str, Any]:
    """Each phone joins and connects at its own moment after the start."""
    begun = time.monotonic()

    async def arrive(phone: Phone) -> Arrival:
        await asyncio.sleep(max(0.0, begun + phone.arrives_after_s - time.monotonic()))
        return await join_and_connect(phone, config)

    results = await asyncio.gather(*(arrive(p) for p in phones))
    errors: Counter[str] = Counter(a.error for a in results if a.error)
    return {
        "event": "connected",
        "join_ms": [round(a.join_ms, 2) for a in results if a.join_ms is not None],
        "connect_ms": [round(a.connect_ms, 2) for a in results if a.connect_ms is not None],
        "ready_ms": [round(a.ready_ms, 2) for a in results if a.ready_ms is not None],
        "failures": sum(errors.values()),
        "errors": [f"{n} x {e}" for e, n in errors.most_common(MAX_ERRORS)],
    }


async def collect(
    phones: list[Phone], expect: list[Key], wait_s: float, window: tuple[float, float]
) -> dict[str, Any]:
    """Wait until every connected phone has every expected event, then count."""
    live = [p for p in phones if p.connected]
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if all(p.has(key) for p in live for key in expect):
            break
        await asyncio.sleep(0.05)
    last: dict[Key, float] = {}
    received: Counter[Key] = Counter()
    for phone in live:
        for key, moment in phone.arrived.items():
            received[key] += 1
            last[key] = max(last.get(key, 0.0), moment)
    begun, ended = window
    sizes = sorted(n for p in phones for n in p.sizes)
    return {
        "event": "report",
        "last_ms": {label(key): t * 1000 for key, t in last.items()},
        "received": {label(key): n for key, n in received.items()},
        "lost": sum(1 for p in live for key in expect if not p.has(key)),
        "duplicates": sum(n - 1 for p in live for n in p.keys.values() if n > 1),
        "disconnects": sum(1 for p in live if p.disconnected),
        "deliveries": sum(1 for p in live for t in p.moments if begun <= t <= ended),
        "event_bytes": sizes[len(sizes) // 2] if sizes else None,
    }


async def close(phones: list[Phone]) -> None:
    async def one(phone: Phone) -> None:
        for task in phone.tasks:
            task.cancel()
        try:
            if phone.client is not None and phone.connected:
                await asyncio.wait_for(phone.client.disconnect(), 5)
        except Exception:
            pass
        if phone.http is not None:
            await phone.http.close()

    await asyncio.wait_for(asyncio.gather(*(one(p) for p in phones)), 30)


def say(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


async def read_line(reader: asyncio.StreamReader, timeout: float) -> dict[str, Any]:
    line = await asyncio.wait_for(reader.readline(), timeout)
    if not line:
        raise SystemExit("the bench closed the pipe")
    message: dict[str, Any] = json.loads(line)
    return message


async def main() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=1 << 24)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    config = await read_line(reader, 60)
    phones = [
        Phone(index, address, float(after), sizing=n == 0)
        for n, (index, address, after) in enumerate(config["participants"])
    ]
    say({"event": "ready"})
    try:
        await read_line(reader, 120)  # go
        say(await storm(phones, config))
        while True:  # the phases, in the order the bench asks for them, until it closes the pipe
            line = await asyncio.wait_for(reader.readline(), 3600)
            if not line:
                return
            say(await phase(phones, json.loads(line)))
    finally:
        await close(phones)


async def phase(phones: list[Phone], order: dict[str, Any]) -> dict[str, Any]:
    """One phase's order: the run of show's collection, the answers, the boards."""
    kind = order.get("do", "collect")
    if kind == "answers":
        from facilitator.bench import answering

        return await answering.run(phones, order)
    if kind == "boards":
        from facilitator.bench import boards

        return await boards.run(phones, order)
    expect = [parse(text) for text in order["expect"]]
    begun, ended = order.get("window", (0.0, float("inf")))
    return await collect(phones, expect, float(order["wait_s"]), (begun, ended))


def event_loop() -> Callable[[], asyncio.AbstractEventLoop]:
    """uvloop where it is installed (the bench's extra): a thousand phones' tasks and
    timers cost it a fraction of asyncio's own loop, and the phones share the machine's
    cores with the server they measure. asyncio's loop otherwise."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop
    return uvloop.new_event_loop


# Below the server's priority: the bench measures the server, and on a machine it shares
# with the phones, their bursts (a thousand phones reading one fan-out at once) would
# otherwise take its core from under it. In a room, the phones are phones.
NICENESS = 10

if __name__ == "__main__":
    if hasattr(os, "nice"):
        os.nice(NICENESS)
    with asyncio.Runner(loop_factory=event_loop()) as runner:
        runner.run(main())
