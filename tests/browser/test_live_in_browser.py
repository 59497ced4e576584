"""A session run live in Chromium: a moderator's console, a projector and three phones
(one in French, one in Korean) go through three items of the 2021 seed; a phone that was
offline catches up by itself."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.support import Translations

from tests.browser.conftest import LiveServer, check_accessibility
from tests.browser.test_agenda_in_browser import log_in

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "sessions" / "2021-local-governments-sse-alliances.yaml"
TRANSLATIONS = ROOT / "facilitator" / "translations"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
TIMER = re.compile(r"^\+?\d{1,2}:\d{2}$")
WAIT_MS = 15_000


def translated(language: str, message: str) -> str:
    text: str = Translations.load(str(TRANSLATIONS), [language]).gettext(message)
    assert text != message, f"no {language} translation of {message!r}"
    return text


def page_data(page: Any) -> dict[str, Any]:
    data: dict[str, Any] = page.evaluate(
        "JSON.parse(document.getElementById('page-data').textContent)"
    )
    return data


def join_from_phone(browser: Any, url: str, locale: str, name: str) -> tuple[Any, Any]:
    context = browser.new_context(locale=locale, **PHONE)
    page = context.new_page()
    page.goto(url)
    page.get_by_label(re.compile(".+")).first.wait_for()
    check_accessibility(page, f"join page ({locale})")
    page.locator("input[name=display_name]").fill(name)
    page.locator("form button[type=submit]").click()
    page.locator("#status").wait_for()
    return context, page


def expect_text(page: Any, selector: str, text: str) -> None:
    page.wait_for_function(
        "([selector, text]) => { const n = document.querySelector(selector);"
        " return n && n.textContent.trim() === text; }",
        arg=[selector, text],
        timeout=WAIT_MS,
    )


def test_a_session_run_live_on_every_screen(
    browser: Any, live_server: LiveServer, artifacts: Path
) -> None:
    agenda = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    titles = [item["title"] for item in agenda["program"]]

    console_context = browser.new_context(locale="en-GB", viewport={"width": 1440, "height": 1000})
    console = console_context.new_page()
    log_in(console, live_server)
    console.set_input_files("input[type=file]", str(SEED))
    console.locator("form:has(input[type=file]) button[type=submit]").click()
    console.wait_for_url(f"{live_server.url}/w/{agenda['slug']}")
    console.goto(f"{live_server.url}/w/{agenda['slug']}/console")
    console.wait_for_selector("#connection[data-status=online]", timeout=WAIT_MS)
    data = page_data(console)
    check_accessibility(console, "console before the start")

    display_context = browser.new_context(viewport={"width": 1920, "height": 1080})
    display = display_context.new_page()
    display.goto(data["display_url"])
    display.wait_for_selector("#online[data-status=online]", timeout=WAIT_MS)
    code = display.locator("#join").inner_text()
    assert data["join"]["code"] in code
    assert display.locator("#qr svg").count() == 1
    check_accessibility(display, "projector before the start")

    phones = [
        join_from_phone(browser, data["join"]["url"], "en-GB", "Ana"),
        join_from_phone(browser, data["join"]["url"], "fr-FR", "Benoît"),
        join_from_phone(browser, data["join"]["url"], "ko-KR", "지민"),
    ]
    (_, english), (french_context, french), (_, korean) = phones
    assert french.locator("html").get_attribute("lang") == "fr"
    assert korean.locator("html").get_attribute("lang") == "ko"
    for _, phone in phones:
        phone.wait_for_selector("#status.status-online", timeout=WAIT_MS)
        check_accessibility(phone, "phone before the start")
    # The interface speaks each phone's language; the agenda's text stays in English.
    assert french.locator("#timer-label").inner_text().strip() == translated("fr", "Time left")
    assert korean.locator("#timer-label").inner_text().strip() == translated("ko", "Time left")

    # The console sees the three phones, two of them in languages the session lacks.
    console.wait_for_function(
        "() => document.querySelector('#presence-connected').textContent.includes('3')",
        timeout=WAIT_MS,
    )

    console.locator("#btn-advance").click()  # start: the first item
    for screen, selector in [(display, "#now-title"), *((p, "#item-title") for _, p in phones)]:
        expect_text(screen, selector, titles[0])
    console.locator("#btn-advance").click()  # next: the second item
    for screen, selector in [(display, "#now-title"), *((p, "#item-title") for _, p in phones)]:
        expect_text(screen, selector, titles[1])

    # The French phone loses its connection while the moderator moves on.
    french_context.set_offline(True)
    french.wait_for_selector("#status:not(.status-online)", timeout=WAIT_MS)
    console.locator("#btn-advance").click()  # the third item
    expect_text(display, "#now-title", titles[2])
    expect_text(english, "#item-title", titles[2])
    assert french.locator("#item-title").inner_text().strip() == titles[1]
    french_context.set_offline(False)
    expect_text(french, "#item-title", titles[2])  # caught up by itself, no reload

    # Every screen counts down the same timer.
    for screen, selector in [(display, "#timer"), (english, "#timer"), (console, "#timer-value")]:
        assert TIMER.match(screen.locator(selector).inner_text().strip())

    # The console recorded when each item actually ran.
    assert console.locator("#program").inner_text().count(":") >= 6

    for screen, name in [(console, "console"), (display, "projector"), (french, "phone")]:
        check_accessibility(screen, f"{name} while running")
    console.screenshot(path=str(artifacts / "live-console.png"), full_page=True)
    display.screenshot(path=str(artifacts / "live-projector.png"))
    french.screenshot(path=str(artifacts / "live-phone-fr.png"), full_page=True)
    korean.screenshot(path=str(artifacts / "live-phone-ko.png"), full_page=True)
    for context, _ in phones:
        context.close()
    display_context.close()
    console_context.close()
