"""A re-uploaded agenda reaches every open screen without a reload (`program.changed`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import LiveServer, check_accessibility
from tests.browser.test_agenda_in_browser import log_in
from tests.browser.test_live_in_browser import WAIT_MS, expect_text, join_from_phone

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AGENDA = ROOT / "sessions" / "2021-sse-academy-elective-6-led-social-innovation.yaml"
SLUG = "2021-sse-academy-elective-6-led-social-innovation"
TITLE = "Opening of the elective and introduction of day 1"
NEW_TITLE = "Opening of the elective, moved to the main hall"


def upload(page: Any, server: LiveServer, path: Path) -> None:
    page.goto(server.url + "/")
    page.set_input_files("input[type=file]", str(path))
    page.locator("form:has(input[type=file]) button[type=submit]").click()
    page.wait_for_url(f"{server.url}/w/{SLUG}")


def test_a_reuploaded_agenda_shows_on_every_screen(
    browser: Any, live_server: LiveServer, tmp_path: Path
) -> None:
    organiser = browser.new_context(locale="en-GB", viewport={"width": 1440, "height": 1000})
    uploader = organiser.new_page()
    log_in(uploader, live_server)
    upload(uploader, live_server, AGENDA)
    console = organiser.new_page()
    console.goto(f"{live_server.url}/w/{SLUG}/console")
    console.wait_for_selector("#connection[data-status=online]", timeout=WAIT_MS)
    data = console.evaluate("JSON.parse(document.getElementById('page-data').textContent)")
    display_context = browser.new_context(viewport={"width": 1920, "height": 1080})
    display = display_context.new_page()
    display.goto(data["display_url"])
    display.wait_for_selector("#online[data-status=online]", timeout=WAIT_MS)
    phone_context, phone = join_from_phone(browser, data["join"]["url"], "en-GB", "Ana")
    phone.wait_for_selector("#status.status-online", timeout=WAIT_MS)

    console.locator("#btn-advance").click()
    expect_text(phone, "#item-title", TITLE)
    expect_text(display, "#now-title", TITLE)
    expect_text(console, "#now-title", TITLE)

    edited = tmp_path / AGENDA.name
    edited.write_text(
        AGENDA.read_text(encoding="utf-8").replace(f"title: {TITLE}", f"title: {NEW_TITLE}", 1),
        encoding="utf-8",
    )
    upload(uploader, live_server, edited)
    expect_text(phone, "#item-title", NEW_TITLE)
    expect_text(display, "#now-title", NEW_TITLE)
    expect_text(console, "#now-title", NEW_TITLE)
    expect_text(console, "#program .is-current .run-title", NEW_TITLE)
    check_accessibility(console, "console after a new agenda")
    for context in (phone_context, display_context, organiser):
        context.close()
