"""Self-select in Chromium (issue 11): three phones choose their group on the phone, two
groups of at most one; the third finds both full (the buttons say so and refuse), and the
moderator, who sees them under "Not in a group" on the overview, places them by tap. The
phone follows at once; the moderator can also take someone out of the groups again (in
self-select they choose anew). A card added offline shows as waiting, then arrives once.
axe on every screen; screenshots of the phone's choice and of the overview while someone
is being moved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import LiveServer, check_accessibility
from tests.browser.test_breakouts_in_browser import (
    TABLET,
    console_on_seed,
    join,
    open_forming,
    wait_for,
)
from tests.browser.test_live_in_browser import WAIT_MS

pytestmark = pytest.mark.browser

SLUG = "breakouts-self-select"


IN_GROUP = "(id) => document.querySelector('#bo-group-name')?.dataset.group === id"


def group_shown(page: Any) -> str | None:
    value: str | None = page.evaluate(
        "() => { const n = document.querySelector('#bo-group-name'); return n && n.dataset.group; }"
    )
    return value


def test_self_select_and_the_moderator_places_who_is_left(
    browser: Any, live_server: LiveServer, artifacts: Path, tmp_path: Path
) -> None:
    # The moderator on a tablet.
    console_context, console, data, _ = console_on_seed(
        browser, live_server, tmp_path, SLUG, viewport=TABLET, has_touch=True
    )

    contexts, phones = [], {}
    for locale, name in (("en-GB", "Ana"), ("fr-FR", "Denis"), ("ko-KR", "Minjun")):
        context, page = join(browser, data["join"]["url"], locale, name)
        contexts.append(context)
        phones[name] = page
    for page in phones.values():
        page.wait_for_selector("#status.status-online", timeout=WAIT_MS)
    ana, denis, minjun = phones["Ana"], phones["Denis"], phones["Minjun"]

    console.on("dialog", lambda dialog: dialog.accept())
    console.locator("#btn-advance").click()
    wait_for(console, "() => document.body.dataset.phase === 'running'")
    console.locator(".run-go[data-item=breakout]").click()
    open_forming(console)
    console.select_option("#bo-mode", "self")
    console.locator("#bo-number").fill("2")
    console.locator("#bo-max").fill("1")
    console.locator(".bo-forming button[type=submit]").click()
    console.locator(".bo-open").wait_for(timeout=WAIT_MS)
    # The preview's form still says how the groups were formed (it was random in 4).
    assert console.locator("#bo-mode").input_value() == "self"
    assert console.locator("#bo-number").input_value() == "2"
    assert console.locator("#bo-max").input_value() == "1"
    console.locator(".bo-open").click()

    # Each phone lists the groups with their seats; Ana and Denis take one each.
    for page in phones.values():
        page.locator(".bo-choice").nth(1).wait_for(timeout=WAIT_MS)
    ana.locator(".bo-choice").nth(0).click()
    ana.locator("#bo-group-name").wait_for(timeout=WAIT_MS)
    denis.locator(".bo-choice").nth(1).click()
    denis.locator("#bo-group-name").wait_for(timeout=WAIT_MS)
    first, second = group_shown(ana), group_shown(denis)
    assert first and second and first != second

    # Minjun finds both full: the choices are refused on the phone.
    wait_for(minjun, "() => [...document.querySelectorAll('.bo-choice')].every((b) => b.disabled)")
    check_accessibility(minjun, "phone, every group full (ko)")
    minjun.screenshot(path=str(artifacts / "breakouts-phone-self-select.png"), full_page=True)
    assert group_shown(minjun) is None

    # The moderator sees Minjun under "Not in a group" and places them by tap.
    left_out = console.locator(".bo-tile.bo-unplaced")
    left_out.locator(".bo-chip", has_text="Minjun").wait_for(timeout=WAIT_MS)
    check_accessibility(console, "console, overview with someone not in a group")
    left_out.locator(".bo-chip", has_text="Minjun").click()
    console.locator(".bo-running .bo-notice", has_text="Minjun").wait_for(timeout=WAIT_MS)
    console.locator("#breakouts").screenshot(
        path=str(artifacts / "breakouts-overview-moving-tablet.png")
    )
    console.locator(f".bo-tile[data-group='{first}'] .bo-move-here").click()
    wait_for(minjun, IN_GROUP, first)
    console.locator(".bo-tile.bo-unplaced").wait_for(state="detached", timeout=WAIT_MS)
    console.locator(f".bo-tile[data-group='{first}'] .bo-chip", has_text="Minjun").wait_for(
        timeout=WAIT_MS
    )

    # Taken out of the groups again (self-select: they choose anew on the phone).
    console.locator(f".bo-tile[data-group='{second}'] .bo-chip", has_text="Denis").click()
    console.locator(".bo-tile.bo-unplaced .bo-move-here").click()
    denis.locator(".bo-choice").first.wait_for(timeout=WAIT_MS)
    console.locator(".bo-tile.bo-unplaced .bo-chip", has_text="Denis").wait_for(timeout=WAIT_MS)
    denis.locator(".bo-choice").nth(1).click()
    wait_for(denis, IN_GROUP, second)

    # Ana's phone loses the venue's Wi-Fi and she adds a card: it shows at once as waiting,
    # not gone (nobody writes it twice), and reaches her group once she is back.
    contexts[0].set_offline(True)
    ana.locator("#status.status-offline").wait_for(timeout=WAIT_MS)
    ana.locator(".bo-column").first.locator("textarea").last.fill("Written in the lift")
    ana.locator(".bo-column").first.locator("form.bo-editor button[type=submit]").last.click()
    ana.locator(".bo-pending", has_text="Written in the lift").wait_for(timeout=WAIT_MS)
    check_accessibility(ana, "phone, a card waiting to be sent")
    contexts[0].set_offline(False)
    ana.locator(".bo-pending").wait_for(state="detached", timeout=WAIT_MS)
    for page in (ana, minjun):
        wait_for(
            page,
            "() => [...document.querySelectorAll('.bo-card-text')]"
            ".filter((n) => n.textContent === 'Written in the lift').length === 1",
        )

    for context in contexts:
        context.close()
    console_context.close()
