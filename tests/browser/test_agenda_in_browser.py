"""An organiser, in Chromium: log in, upload a sample agenda, read its program in French."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.support import Translations

from tests.browser.conftest import (
    ORGANISER_EMAIL,
    ORGANISER_PASSWORD,
    LiveServer,
    check_accessibility,
)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sessions" / "2021-integrated-territorial-systems-sse.yaml"
TRANSLATIONS = ROOT / "facilitator" / "translations"


def french(message: str) -> str:
    translated: str = Translations.load(str(TRANSLATIONS), ["fr"]).gettext(message)
    assert translated != message, f"no French for {message!r}"
    return translated


def log_in(page: Any, server: LiveServer) -> None:
    page.goto(server.url + "/login")
    check_accessibility(page, "login page")
    page.get_by_label("E-mail").fill(ORGANISER_EMAIL)
    page.get_by_label("Password").fill(ORGANISER_PASSWORD)
    page.locator("form:has(input[type=password]) button[type=submit]").click()
    page.wait_for_url(server.url + "/")
    check_accessibility(page, "dashboard")


def test_upload_a_sample_and_read_its_program_in_french(
    browser: Any, live_server: LiveServer, artifacts: Path, tmp_path: Path
) -> None:
    agenda = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, live_server)

    # A broken file first: the problems are listed with their place, nothing is created.
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        SAMPLE.read_text(encoding="utf-8").replace("kind: introduction", "kind: intro", 1),
        encoding="utf-8",
    )
    page.set_input_files("input[type=file]", str(broken))
    page.locator("form:has(input[type=file]) button[type=submit]").click()
    problems = page.locator("pre.problems")
    problems.wait_for()
    assert "broken.yaml:" in problems.inner_text() and "kind" in problems.inner_text()
    check_accessibility(page, "upload problems page")
    assert page.locator(f"a[href='/w/{agenda['slug']}']").count() == 0  # nothing was created

    page.set_input_files("input[type=file]", str(SAMPLE))
    page.locator("form:has(input[type=file]) button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/w/{agenda['slug']}")
    assert page.locator("h1").inner_text().strip() == agenda["title"]["en"]
    check_accessibility(page, "workshop page")

    page.select_option("#language-select", "fr")
    page.locator("form.language-switcher button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/w/{agenda['slug']}"
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text().strip() == agenda["title"]["fr"]
    program = page.locator("#program-heading")
    assert program.inner_text().strip() == french("Program")
    body = page.locator("main").inner_text()
    assert "octobre 2021" in body  # the day's date, formatted the French way
    for item in agenda["program"]:
        title = item["title"] if isinstance(item["title"], str) else item["title"].get("fr")
        assert title in body
    check_accessibility(page, "workshop page in French")
    page.screenshot(path=str(artifacts / "agenda-fr.png"), full_page=True)
    context.close()
