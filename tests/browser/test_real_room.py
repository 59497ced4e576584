"""Running a real room (issue 8), in Chromium: a one-tap join on a phone, the console on a
tablet and a laptop with its keyboard shortcuts, a rehearsal timed from its own start,
skipped items, a reset that sends phones back to waiting, and the thank-you at the end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.browser.conftest import LiveServer, check_accessibility
from tests.browser.test_agenda_in_browser import log_in
from tests.browser.test_live_in_browser import PHONE, WAIT_MS, expect_text, page_data

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "sessions" / "2021-local-governments-sse-alliances.yaml"
NARROW = {**PHONE, "viewport": {"width": 360, "height": 740}}


def in_viewport(page: Any, selector: str) -> None:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    assert box is not None, f"{selector} is not shown"
    assert box["x"] >= 0 and box["y"] >= 0, f"{selector} at {box}"
    assert box["x"] + box["width"] <= size["width"], f"{selector} at {box}, viewport {size}"
    assert box["y"] + box["height"] <= size["height"], f"{selector} at {box}, viewport {size}"


def no_sideways_scroll(page: Any, screen: str) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    wide = page.evaluate(
        "() => [...document.querySelectorAll('body *')]"
        ".filter(n => n.getBoundingClientRect().right > 361).slice(0, 5)"
        ".map(n => n.tagName + '.' + n.className)"
    )
    assert width <= 360, f"the {screen} is {width} px wide at 360: {wide}"


def open_console(browser: Any, server: LiveServer, width: int, height: int) -> tuple[Any, Any]:
    context = browser.new_context(locale="en-GB", viewport={"width": width, "height": height})
    page = context.new_page()
    log_in(page, server)
    return context, page


def test_a_real_room_from_join_to_thank_you(
    browser: Any, live_server: LiveServer, artifacts: Path
) -> None:
    agenda = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    slug = agenda["slug"]
    items = [item["id"] for item in agenda["program"]]

    tablet_context, console = open_console(browser, live_server, 768, 1024)
    console.set_input_files("input[type=file]", str(SEED))
    console.locator("form:has(input[type=file]) button[type=submit]").click()
    console.wait_for_url(f"{live_server.url}/w/{slug}")
    check_accessibility(console, "workshop page")
    console.set_viewport_size({"width": 360, "height": 740})
    no_sideways_scroll(console, "workshop page")
    console.set_viewport_size({"width": 768, "height": 1024})
    console.goto(f"{live_server.url}/w/{slug}/console")
    console.wait_for_selector("#connection[data-status=online]", timeout=WAIT_MS)
    data = page_data(console)
    if console.locator("#phase").get_attribute("data-phase") != "waiting":  # an earlier test ran it
        console.locator("#reset-confirm").fill(slug)
        console.locator("#btn-run-reset").click()
        console.wait_for_selector("#phase[data-phase=waiting]", timeout=WAIT_MS)

    # One tap to join: everything needed is above the fold of a 390×844 phone.
    phone_context = browser.new_context(locale="fr-FR", **PHONE)
    phone = phone_context.new_page()
    phone.goto(data["join"]["url"])
    for selector in ["h1", "input[name=display_name]", "select#language", "form button.primary"]:
        in_viewport(phone, selector)
    assert phone.locator("select#language").input_value() == "fr"  # from the browser
    assert phone.locator("input[name=organisation]").count() == 0  # asked after joining
    check_accessibility(phone, "phone join page")
    phone.screenshot(path=str(artifacts / "room-phone-join-390.png"))
    phone.set_viewport_size({"width": 360, "height": 740})
    no_sideways_scroll(phone, "phone join page")
    typing = phone_context.new_page()  # where a code is typed by hand
    typing.set_viewport_size({"width": 360, "height": 740})
    typing.goto(live_server.url + "/j")
    no_sideways_scroll(typing, "code entry page")
    check_accessibility(typing, "code entry page")
    typing.close()
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.locator("form button.primary").click()
    phone.wait_for_selector("#status.status-online", timeout=WAIT_MS)
    # The optional step: open on the first visit, skippable.
    assert phone.locator("#profile").get_attribute("open") is not None
    phone.locator("#profile-country").select_option("KR")
    phone.locator("#profile-form button[type=submit]").click()
    phone.wait_for_function(
        "() => document.getElementById('profile-status').textContent.trim() !== ''",
        timeout=WAIT_MS,
    )
    assert phone.locator("#profile").get_attribute("open") is None
    check_accessibility(phone, "phone waiting page")

    # The tablet: the controls of every minute without scrolling, the program below.
    console.locator("#btn-advance").click()  # start: a rehearsal, years after the agenda
    console.wait_for_selector("#phase[data-phase=running]", timeout=WAIT_MS)
    expect_text(console, "#drift", "On time")  # timed from its own start, not 2021's clock
    console.evaluate("window.scrollTo(0, 0)")  # as the page opens: nothing scrolled
    for selector in ["#now-title", "#timer-value", "#btn-advance", "#btn-pause", "#btn-plus"]:
        in_viewport(console, selector)
    assert console.locator("#btn-advance").inner_text().startswith("Next: ")
    program = console.locator("#program").bounding_box()
    assert program is not None and program["y"] > console.locator("#now-title").bounding_box()["y"]
    assert console.evaluate("() => getComputedStyle(document.getElementById('program')).overflowY")
    check_accessibility(console, "console on a tablet")
    console.screenshot(path=str(artifacts / "room-console-768.png"))
    check_accessibility(phone, "phone live page")
    phone.set_viewport_size({"width": 360, "height": 740})
    no_sideways_scroll(phone, "phone live page")
    phone.set_viewport_size({"width": 390, "height": 844})

    # Shortcuts: not while typing, then N, Space and +.
    console.locator("#message-text").focus()
    console.keyboard.press("n")
    console.keyboard.press("Space")
    assert console.locator("#message-text").input_value() == "n "
    console.locator("#message-text").fill("")
    console.locator("#now-heading").click()  # focus out of the field
    before = console.evaluate("() => document.getElementById('timer-value').textContent")
    console.keyboard.press("+")
    console.wait_for_function(
        "(before) => document.getElementById('timer-value').textContent !== before"
        " && document.getElementById('timer-value').textContent.startsWith('1:')",
        arg=before,
        timeout=WAIT_MS,
    )
    console.keyboard.press("Space")
    console.wait_for_selector("#btn-pause.is-paused", timeout=WAIT_MS)
    console.keyboard.press("Space")
    console.wait_for_selector("#btn-pause:not(.is-paused)", timeout=WAIT_MS)
    console.keyboard.press("n")
    expect_text(phone, "#item-title", agenda["program"][1]["title"])
    assert console.locator("#shortcuts kbd").count() >= 4  # shown on the screen

    # A jump passes over two items: the console marks them skipped.
    console.once("dialog", lambda dialog: dialog.accept())
    console.locator(f".run-go[data-item='{items[4]}']").click()
    console.wait_for_selector(f".run-item.is-skipped[data-item='{items[2]}']", timeout=WAIT_MS)
    assert console.locator(".run-item.is-skipped").count() == 2

    # A laptop: the same controls beside the program.
    laptop_context, laptop = open_console(browser, live_server, 1366, 768)
    laptop.goto(f"{live_server.url}/w/{slug}/console")
    laptop.wait_for_selector("#phase[data-phase=running]", timeout=WAIT_MS)
    assert laptop.evaluate("window.scrollY") == 0
    for selector in ["#now-title", "#timer-value", "#btn-advance", "#btn-pause"]:
        in_viewport(laptop, selector)
    # A session without guideline blocks has no breakouts: no panel for them above the run.
    assert laptop.locator("#breakouts").count() == 0
    now_box = laptop.locator(".now-panel").bounding_box()
    program_box = laptop.locator("#program").bounding_box()
    assert now_box["x"] > program_box["x"]  # beside it
    laptop.wait_for_selector(".run-item.is-skipped", timeout=WAIT_MS)
    check_accessibility(laptop, "console on a laptop")
    laptop.screenshot(path=str(artifacts / "room-console-1366.png"))
    laptop_context.close()

    # Reset: typed confirmation, then phones wait again.
    assert console.locator("#btn-run-reset").is_disabled()
    console.locator("#reset-confirm").fill(slug + "x")
    assert console.locator("#btn-run-reset").is_disabled()
    console.locator("#reset-confirm").fill(slug)
    console.locator("#btn-run-reset").click()
    console.wait_for_selector("#phase[data-phase=waiting]", timeout=WAIT_MS)
    phone.wait_for_selector("#waiting:not([hidden])", timeout=WAIT_MS)
    assert phone.locator("#current").is_hidden()
    assert console.locator(".run-item.is-skipped").count() == 0
    assert "started" not in console.locator("#program").inner_text()

    # The end: phones thank.
    console.locator("#btn-advance").click()
    console.wait_for_selector("#phase[data-phase=running]", timeout=WAIT_MS)
    console.once("dialog", lambda dialog: dialog.accept())
    console.locator("#btn-end").click()
    phone.wait_for_selector("#ended:not([hidden])", timeout=WAIT_MS)
    check_accessibility(phone, "phone thank-you page")
    phone.screenshot(path=str(artifacts / "room-phone-thanks.png"))

    # Leave it waiting for the other tests.
    console.locator("#reset-confirm").fill(slug)
    console.locator("#btn-run-reset").click()
    console.wait_for_selector("#phase[data-phase=waiting]", timeout=WAIT_MS)
    phone_context.close()
    tablet_context.close()
