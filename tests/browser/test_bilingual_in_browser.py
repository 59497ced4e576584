"""A bilingual room (seed 002, English and French): the projector with `?lang=en,fr` shows
the title and the current item in both, stacked; the handout's instructions come in each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.browser.conftest import LiveServer, check_accessibility
from tests.browser.test_agenda_in_browser import log_in
from tests.browser.test_live_in_browser import WAIT_MS, page_data

pytestmark = pytest.mark.browser

SEED = (
    Path(__file__).resolve().parents[2]
    / "sessions"
    / "2021-integrated-territorial-systems-sse.yaml"
)
WELCOME = {
    "en": "Welcome and introduction of the session",
    "fr": "Accueil et présentation de la session",
}


def test_the_projector_speaks_two_languages_at_once(
    browser: Any, live_server: LiveServer, artifacts: Path, tmp_path: Path
) -> None:
    agenda = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    agenda["program"][0]["title"] = WELCOME  # the seed's items are in English only
    bilingual = tmp_path / "bilingual.yaml"
    bilingual.write_text(yaml.safe_dump(agenda, allow_unicode=True), encoding="utf-8")
    slug = agenda["slug"]

    context = browser.new_context(locale="en-GB", viewport={"width": 1366, "height": 900})
    console = context.new_page()
    log_in(console, live_server)
    console.set_input_files("input[type=file]", str(bilingual))
    console.locator("form:has(input[type=file]) button[type=submit]").click()
    console.wait_for_url(f"{live_server.url}/w/{slug}")
    console.goto(f"{live_server.url}/w/{slug}/console")
    console.wait_for_selector("#connection[data-status=online]", timeout=WAIT_MS)
    data = page_data(console)

    screen_context = browser.new_context(viewport={"width": 1920, "height": 1080})
    screen = screen_context.new_page()
    screen.goto(data["display_url"] + "?lang=en,fr")
    screen.wait_for_selector("#online[data-status=online]", timeout=WAIT_MS)
    titles = screen.locator("h1.screen-title span")
    assert titles.count() == 2
    assert [titles.nth(i).get_attribute("lang") for i in range(2)] == ["en", "fr"]
    assert agenda["title"]["fr"] in titles.nth(1).inner_text()

    if console.locator("#phase").get_attribute("data-phase") != "waiting":
        console.locator("#reset-confirm").fill(slug)
        console.locator("#btn-run-reset").click()
        console.wait_for_selector("#phase[data-phase=waiting]", timeout=WAIT_MS)
    console.locator("#btn-advance").click()
    screen.wait_for_selector("#now-title span[lang=fr]", timeout=WAIT_MS)
    assert screen.locator("#now-title span[lang=en]").inner_text() == WELCOME["en"]
    assert screen.locator("#now-title span[lang=fr]").inner_text() == WELCOME["fr"]
    check_accessibility(screen, "bilingual projector")
    screen.screenshot(path=str(artifacts / "room-projector-en-fr.png"))

    # The handout: the instructions in English and in French.
    handout = context.new_page()
    handout.goto(f"{live_server.url}/w/{slug}/handout")
    assert handout.locator(".instructions ol[lang=en]").count() == 1
    assert handout.locator(".instructions ol[lang=fr]").count() == 1

    console.locator("#reset-confirm").fill(slug)
    console.locator("#btn-run-reset").click()
    console.wait_for_selector("#phase[data-phase=waiting]", timeout=WAIT_MS)
    screen_context.close()
    context.close()
