"""A rehearsal the night before, in Chromium (issue 11 with the run of show): the team's
phones ask a question and write on a breakout board; the moderator resets the session.
The phones go back to the waiting screen with no group, no board and no question of the
rehearsal, without a reload; the console's breakouts have no round; the next day's run
forms its groups afresh. axe on the screens after the reset."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import LiveServer, check_accessibility
from tests.browser.test_breakouts_in_browser import (
    LAPTOP,
    add_card,
    console_on_seed,
    join,
    open_forming,
    wait_for,
)
from tests.browser.test_live_in_browser import WAIT_MS

pytestmark = pytest.mark.browser

SLUG = "rehearsal-reset"


def test_a_reset_after_a_rehearsal_leaves_no_group_board_or_question_on_the_phones(
    browser: Any, live_server: LiveServer, artifacts: Path, tmp_path: Path
) -> None:
    console_context, console, data, _ = console_on_seed(
        browser, live_server, tmp_path, SLUG, viewport=LAPTOP
    )
    contexts = []
    phones = []
    for locale, name in (("en-GB", "Ana"), ("fr-FR", "Ben")):
        context, page = join(browser, data["join"]["url"], locale, name)
        contexts.append(context)
        phones.append(page)
    ana, ben = phones
    for page in phones:
        page.wait_for_selector("#status.status-online", timeout=WAIT_MS)

    # The rehearsal: a question to the speakers, a breakout round with a card.
    console.on("dialog", lambda dialog: dialog.accept())
    console.locator("#btn-advance").click()
    wait_for(console, "() => document.body.dataset.phase === 'running'")
    ask = ana.locator("#qa form.qa-ask")
    ask.locator("textarea").fill("Is the sound working at the back?")
    ask.locator("button[type=submit]").click()
    ben.locator("#qa .qa-text", has_text="Is the sound working").wait_for(timeout=WAIT_MS)
    console.locator(".run-go[data-item=breakout]").click()
    open_forming(console)
    console.select_option("#bo-mode", "random")
    console.locator("#bo-number").fill("1")
    console.locator(".bo-forming button[type=submit]").click()
    console.locator(".bo-open").click()
    for page in phones:
        page.locator("#bo-group-name").wait_for(timeout=WAIT_MS)
    add_card(ana, 0, "Testing the board")
    ben.locator(".bo-card", has_text="Testing the board").wait_for(timeout=WAIT_MS)

    # The reset: typed id, then every screen drops what the rehearsal left, no reload.
    console.locator("#reset-confirm").fill(SLUG)
    console.locator("#btn-run-reset").click()
    for page in phones:
        page.locator("#bo-group-name").wait_for(state="detached", timeout=WAIT_MS)
        wait_for(page, "() => !document.body.textContent.includes('Testing the board')")
        wait_for(page, "() => !document.body.textContent.includes('Is the sound working')")
    assert ana.locator(".bo-board, .bo-card").count() == 0
    console.locator("#breakouts .bo-state[data-stage=none]").wait_for(timeout=WAIT_MS)
    assert "Testing the board" not in console.locator("#breakouts").inner_text()
    check_accessibility(ana, "phone after a reset")
    check_accessibility(console, "console after a reset")
    ana.screenshot(path=str(artifacts / "phone-after-reset.png"), full_page=True)

    # The real session: the groups form afresh, empty boards.
    console.locator("#btn-advance").click()
    wait_for(console, "() => document.body.dataset.phase === 'running'")
    console.locator(".run-go[data-item=breakout]").click()
    wait_for(ana, "(t) => document.querySelector('#item-title').textContent.includes(t)", "Break")
    open_forming(console)
    console.locator(".bo-forming button[type=submit]").click()
    console.locator(".bo-open").click()
    ana.locator("#bo-group-name").wait_for(timeout=WAIT_MS)
    assert ana.locator(".bo-card").count() == 0

    for context in contexts:
        context.close()
    console_context.close()
