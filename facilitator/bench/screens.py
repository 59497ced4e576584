"""The staff's screens: the moderator (who drives the run of show) and the projector."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import socketio

from facilitator.bench.options import BenchError, note
from facilitator.bench.servers import MODERATOR_EMAIL
from facilitator.bench.streams import Key, event_key


@dataclass
class Screen:
    """A socket and the sequenced events it has seen, on whichever stream they came."""

    client: Any
    keys: set[Key] = field(default_factory=set)
    states: int = 0  # live.state events received
    last_state: Key | None = None
    item: str | None = None
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    gone: str | None = None
    leaving: bool = False
    # A phase's own ear on some events: name -> fn(data, arrival time) (bench/answers.py)
    watch: dict[str, Callable[[Any, float], None]] = field(default_factory=dict)
    log: list[tuple[float, str]] | None = None  # every event's arrival and name, while set

    def on_event(self, event: str, data: Any = None, *_more: Any) -> None:
        if self.watch or self.log is not None:
            now = time.monotonic()
            if self.log is not None:
                self.log.append((now, event))
            heard = self.watch.get(event)
            if heard is not None:
                heard(data, now)
        key = event_key(data)
        if key is None:
            return
        self.keys.add(key)
        if event == "live.state":
            self.states += 1
            self.last_state = key
            live = data.get("live")
            if isinstance(live, dict):
                self.item = live.get("item")
            self.changed.set()


def staff_session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(local_addr=("127.0.0.1", 0)),
        cookie_jar=aiohttp.CookieJar(unsafe=True),  # loopback is an IP address
        timeout=aiohttp.ClientTimeout(total=30),
    )


async def log_in(http: aiohttp.ClientSession, url: str, password: str) -> None:
    async with http.get(f"{url}/login") as response:
        page = await response.text()
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if found is None:
        raise BenchError("no csrf_token on the login page")
    form = {"csrf_token": found.group(1), "email": MODERATOR_EMAIL, "password": password}
    async with http.post(f"{url}/login", data=form) as response:
        if response.status != 200 or response.url.path.startswith("/login"):
            raise BenchError(f"the moderator could not log in (HTTP {response.status})")


async def connect_screen(url: str, auth: dict[str, str], http: aiohttp.ClientSession) -> Screen:
    client = socketio.AsyncClient(reconnection=False, http_session=http)
    screen = Screen(client)
    client.on("*", screen.on_event)  # every event: each sequenced one counts, whatever its name

    async def gone(*reason: object) -> None:
        if not screen.leaving:
            screen.gone = f"{auth['as']} disconnected ({reason[0] if reason else 'no reason'})"
            note(screen.gone)

    client.on("disconnect", gone)
    try:
        await client.connect(url, auth=auth, transports=["websocket"], wait_timeout=30)
    except socketio.exceptions.ConnectionError as exc:
        raise BenchError(f"a {auth['as']} could not connect: {exc}") from exc
    return screen
