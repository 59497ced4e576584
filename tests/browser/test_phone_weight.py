"""The phone stays light: what a phone downloads, on a cold cache, to join and to follow.

Figures are what went over the wire (compressed bodies and headers, and the websocket's
frames) and how many requests were made, the websocket counted as one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import LiveServer, check_accessibility
from tests.browser.test_agenda_in_browser import log_in

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AGENDA = ROOT / "sessions" / "2020-gsef-local-governments-sse-partnership.yaml"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
WAIT_MS = 15_000
JOIN_MAX_BYTES = 25 * 1024
JOIN_MAX_REQUESTS = 4
LIVE_MAX_BYTES = 60 * 1024
LIVE_MAX_REQUESTS = 6


@dataclass
class Traffic:
    """Counted from the DevTools protocol, which sees bytes as they came off the network."""

    urls: list[str] = field(default_factory=list)
    bytes_by_request: dict[str, int] = field(default_factory=dict)
    websocket_bytes: int = 0

    @property
    def requests(self) -> int:
        return len(self.urls)

    @property
    def bytes(self) -> int:
        return sum(self.bytes_by_request.values()) + self.websocket_bytes

    def frozen(self) -> Traffic:
        return Traffic(list(self.urls), dict(self.bytes_by_request), self.websocket_bytes)

    def summary(self) -> str:
        return f"{self.bytes} bytes in {self.requests} requests: " + json.dumps(self.urls)


def cold_page(browser: Any, cookies: list[Any] | None = None) -> tuple[Any, Any, Traffic]:
    """A new context (an empty cache) whose traffic is counted."""
    context = browser.new_context(locale="en-GB", **PHONE)
    if cookies:
        context.add_cookies(cookies)
    page = context.new_page()
    traffic = Traffic()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})

    def on_request(event: dict[str, Any]) -> None:
        url = event["request"]["url"]
        if not url.startswith("data:") and not event.get("redirectResponse"):
            traffic.urls.append(url)

    def on_finished(event: dict[str, Any]) -> None:
        traffic.bytes_by_request[event["requestId"]] = int(event["encodedDataLength"])

    def on_frame(event: dict[str, Any]) -> None:
        traffic.websocket_bytes += len(event["response"]["payloadData"].encode("utf-8"))

    listeners: list[tuple[str, Callable[[dict[str, Any]], None]]] = [
        ("Network.requestWillBeSent", on_request),
        ("Network.loadingFinished", on_finished),
        ("Network.webSocketCreated", lambda event: traffic.urls.append(event["url"])),
        ("Network.webSocketFrameReceived", on_frame),
        ("Network.webSocketFrameSent", on_frame),
    ]
    for name, listener in listeners:
        cdp.on(name, listener)
    return context, page, traffic


def test_the_phone_pages_are_light(browser: Any, live_server: LiveServer, artifacts: Path) -> None:
    organiser = browser.new_context(locale="en-GB")
    console = organiser.new_page()
    log_in(console, live_server)
    console.set_input_files("input[type=file]", str(AGENDA))
    console.locator("form:has(input[type=file]) button[type=submit]").click()
    console.wait_for_url(f"{live_server.url}/w/*")
    console.goto(console.url + "/console")
    data = console.evaluate("JSON.parse(document.getElementById('page-data').textContent)")
    join_url = data["join"]["url"]

    join_context, join_page, join_traffic = cold_page(browser)
    join_page.goto(join_url)
    join_page.wait_for_load_state("networkidle")
    join_figures = join_traffic.frozen()  # what follows is the live page's
    check_accessibility(join_page, "join page")
    join_page.screenshot(path=str(artifacts / "phone-join.png"), full_page=True)
    join_page.locator("input[name=display_name]").fill("Ana")
    join_page.locator("form button[type=submit]").click()
    join_page.wait_for_selector("#status.status-online", timeout=WAIT_MS)
    cookies = join_context.cookies()
    join_context.close()

    live_context, live_page, live_traffic = cold_page(browser, cookies)
    live_page.goto(join_url)
    live_page.wait_for_selector("#status.status-online", timeout=WAIT_MS)
    live_page.wait_for_timeout(1500)  # the snapshot and the clock pings
    check_accessibility(live_page, "live phone page")
    live_page.screenshot(path=str(artifacts / "phone-live.png"), full_page=True)
    live_context.close()
    organiser.close()

    print(f"\njoin page: {join_figures.summary()}")
    print(f"live phone page: {live_traffic.summary()}")
    assert join_figures.bytes <= JOIN_MAX_BYTES, join_figures.summary()
    assert join_figures.requests <= JOIN_MAX_REQUESTS, join_figures.summary()
    assert live_traffic.bytes <= LIVE_MAX_BYTES, live_traffic.summary()
    assert live_traffic.requests <= LIVE_MAX_REQUESTS, live_traffic.summary()
