"""The record in Chromium: two rapporteurs take notes beside a live run of seed 001 (one
note typed offline and sent when back, one conflict shown with both texts), then one
reviews the draft, publishes it, shares it, and downloads every format; a phone's end
screen links the published record."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image

from tests.browser.conftest import LiveServer, check_accessibility
from tests.browser.test_agenda_in_browser import log_in
from tests.browser.test_live_in_browser import join_from_phone, page_data

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "sessions" / "2020-gsef-local-governments-sse-partnership.yaml"
SLUG = "record-in-browser-2020"
PASSWORD = "a long rapporteur password"
WAIT_MS = 15_000
LAPTOP = {"viewport": {"width": 1366, "height": 900}}
TABLET = {"viewport": {"width": 820, "height": 1180}, "has_touch": True}

# The two rapporteurs' accounts and their role, in one process (one app start, not three).
RAPPORTEURS = """
import sys
from sqlalchemy import select
from facilitator import create_app
from facilitator.accounts.models import Role
from facilitator.accounts.services import create_user, grant
from facilitator.agenda.models import Workshop
from facilitator.extensions import db
app = create_app()
with app.app_context():
    workshop = db.session.scalar(select(Workshop).where(Workshop.slug == sys.argv[1]))
    password = sys.argv[2]
    for email, name in zip(sys.argv[3::2], sys.argv[4::2]):
        user = create_user(db.session, email, password, name)
        grant(db.session, user, workshop, Role.RAPPORTEUR)
    db.session.commit()
"""


def rapporteur(browser: Any, server: LiveServer, email: str, device: dict[str, Any]) -> Any:
    context = browser.new_context(locale="en-GB", **device)
    page = context.new_page()
    page.goto(server.url + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form:has(input[type=password]) button[type=submit]").click()
    page.wait_for_url(server.url + "/")
    page.goto(f"{server.url}/w/{SLUG}/record/notes")
    page.wait_for_selector("#items section", timeout=WAIT_MS)
    return context, page


def saved_notes(page: Any) -> dict[str, str]:
    notes = page.evaluate(
        "async (url) => (await (await fetch(url)).json()).notes", f"/w/{SLUG}/record/notes.json"
    )
    return {
        f"{n['kind']}:{n['item'] or n['question'] or ''}:{n['person'] or n['name']}": n["text"]
        for n in notes
    }


def wait_saved(page: Any) -> None:
    page.wait_for_selector("#pending[hidden]", state="attached", timeout=WAIT_MS)
    page.wait_for_function(
        "() => !document.querySelector('#connection').textContent.includes('Offline')"
        " && document.querySelector('#pending').hidden",
        timeout=WAIT_MS,
    )


def advance(console: Any, title: str) -> None:
    """The console's Start / Next, once the button is ready; then the console shows `title`."""
    console.locator("#btn-advance:enabled").click()
    console.wait_for_function(
        "(t) => document.querySelector('#now-title').textContent.trim() === t",
        arg=title,
        timeout=WAIT_MS,
    )


def type_note(page: Any, selector: str, text: str) -> None:
    field = page.locator(selector)
    field.click()
    field.fill(text)


def test_a_rapporteur_takes_notes_reviews_publishes_and_downloads(
    browser: Any, live_server: LiveServer, artifacts: Path, tmp_path: Path
) -> None:
    agenda = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    agenda["slug"] = SLUG
    upload = tmp_path / f"{SLUG}.yaml"
    upload.write_text(yaml.safe_dump(agenda, allow_unicode=True), encoding="utf-8")
    titles = {item["id"]: item["title"] for item in agenda["program"]}

    # The organiser loads the agenda and runs the session from the console.
    console_context = browser.new_context(locale="en-GB", viewport={"width": 1440, "height": 1000})
    console = console_context.new_page()
    log_in(console, live_server)
    console.set_input_files("input[type=file]", str(upload))
    console.locator("form:has(input[type=file]) button[type=submit]").click()
    console.wait_for_url(f"{live_server.url}/w/{SLUG}")
    emails = ["rapporteur.a@example.org", "rapporteur.b@example.org"]
    names = ["Rita Rapporteur", "Bo Rapporteur"]
    accounts = [part for pair in zip(emails, names, strict=True) for part in pair]
    subprocess.run(
        [sys.executable, "-c", RAPPORTEURS, SLUG, PASSWORD, *accounts],
        env=live_server.env,
        check=True,
        timeout=60,
    )
    console.goto(f"{live_server.url}/w/{SLUG}/console")
    console.wait_for_selector("#connection[data-status=online]", timeout=WAIT_MS)
    join_url = page_data(console)["join"]["url"]
    phone_context, phone = join_from_phone(browser, join_url, "en-GB", "Revy-Real")
    advance(console, titles["opening"])  # start
    advance(console, titles["speaker-1"])

    # Rapporteur A on a laptop: the current item is highlighted.
    laptop_context, laptop = rapporteur(browser, live_server, emails[0], LAPTOP)
    laptop.wait_for_selector("#item-speaker-1.current", timeout=WAIT_MS)
    assert laptop.locator("#program-list li.current").inner_text().count(titles["speaker-1"]) == 1
    check_accessibility(laptop, "rapporteur's notes screen")
    summary = "#note-summary-speaker-1-emmanuelle-rousset"
    type_note(laptop, summary, "Ms. Rousset has presented the labor of RTES.")
    laptop.wait_for_selector(f"{summary} + .note-status:text('Saved')", timeout=WAIT_MS)
    assert saved_notes(laptop)["summary:speaker-1:emmanuelle-rousset"].startswith("Ms. Rousset")

    # The moderator moves on: the rapporteur's screen follows (it polls screen.json).
    advance(console, titles["speaker-2"])
    laptop.wait_for_selector("#item-speaker-2.current", timeout=WAIT_MS)

    # A note typed with no signal is kept and sent when the network is back.
    laptop_context.set_offline(True)
    offline = "#note-summary-speaker-2-ayako-koike"
    type_note(laptop, offline, "Ms. Koike has presented ASSEPJ's mission (typed on a train).")
    laptop.wait_for_selector("#pending:not([hidden])", timeout=WAIT_MS)
    laptop.wait_for_function(
        "() => document.querySelector('#connection').dataset.status === 'offline'",
        timeout=WAIT_MS,
    )
    kept = laptop.evaluate(
        "() => Object.entries(localStorage)"
        ".filter(([k]) => k.startsWith('facilitator.outbox.record'))"
        ".map(([, v]) => v).join('')"
    )
    assert "typed on a train" in kept
    laptop_context.set_offline(False)
    wait_saved(laptop)
    assert "typed on a train" in saved_notes(laptop)["summary:speaker-2:ayako-koike"]

    # Rapporteur B on a tablet writes the same note, offline, from the version A saved;
    # A saves a newer one meanwhile: B sees both texts, nothing is lost.
    tablet_context, tablet = rapporteur(browser, live_server, emails[1], TABLET)
    check_accessibility(tablet, "rapporteur's notes screen on a tablet")
    tablet.wait_for_function(
        "(s) => document.querySelector(s).value.startsWith('Ms. Rousset')", arg=summary
    )
    tablet_context.set_offline(True)
    type_note(tablet, summary, "Emmanuelle Rousset spoke about RTES and its 130 members.")
    tablet.wait_for_selector("#pending:not([hidden])", timeout=WAIT_MS)
    type_note(laptop, summary, "Ms. Rousset has presented the labor of RTES, 130 authorities.")
    laptop.wait_for_selector(f"{summary} + .note-status:text('Saved')", timeout=WAIT_MS)
    tablet_context.set_offline(False)
    conflict = tablet.locator(".note:has(" + summary + ") .conflict")
    conflict.wait_for(timeout=WAIT_MS)
    texts = conflict.inner_text()
    assert "130 authorities" in texts and "its 130 members" in texts
    check_accessibility(tablet, "a conflict on the notes screen")
    tablet.screenshot(path=str(artifacts / "record-notes-tablet.png"), full_page=False)
    conflict.locator("button", has_text="Keep mine").click()
    tablet.wait_for_selector(f"{summary} + .note-status:text('Saved')", timeout=WAIT_MS)
    assert "its 130 members" in saved_notes(tablet)["summary:speaker-1:emmanuelle-rousset"]
    tablet_context.close()

    # Answers to the guiding question per speaker, conclusions of someone not on the agenda.
    for item in ("speaker-3", "speaker-4", "guiding-question"):
        advance(console, titles[item])
    laptop.wait_for_selector("#item-guiding-question.current", timeout=WAIT_MS)
    answer = "#note-answer-transform-the-present-young-kim"
    type_note(laptop, answer, "We need capacity-building and a good financing structure.")
    laptop.locator("#add-person-name").fill("Moussa Ndiaye")
    laptop.locator("#add-person button").click()
    focused = laptop.evaluate("() => document.activeElement.id")
    assert focused.startswith("note-conclusion-")
    laptop.keyboard.type("Public policies should be global and multi-actor based.")
    laptop.wait_for_selector(f"#{focused} + .note-status:text('Saved')", timeout=WAIT_MS)
    laptop.wait_for_selector(f"{answer} + .note-status:text('Saved')", timeout=WAIT_MS)
    laptop.locator("#online-label").fill("Zoom participation")
    laptop.locator("#online-count").fill("71")
    laptop.locator("#attendance-form button").click()
    picture = Image.new("RGB", (320, 200), (40, 120, 200))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    laptop.set_input_files(
        "#image-file",
        files=[{"name": "zoom.png", "mimeType": "image/png", "buffer": buffer.getvalue()}],
    )
    laptop.locator("#image-caption").fill("Screenshot of the Zoom session")
    laptop.locator("#image-form button").click()
    laptop.wait_for_selector("#images img[alt='Screenshot of the Zoom session']", timeout=WAIT_MS)
    laptop.set_input_files(
        "#image-file", files=[{"name": "x.png", "mimeType": "image/png", "buffer": b"not an image"}]
    )
    laptop.locator("#image-form button").click()
    laptop.wait_for_function(
        "() => document.querySelector('#feedback').textContent.includes('not an image')",
        timeout=WAIT_MS,
    )
    wait_saved(laptop)
    notes = saved_notes(laptop)
    assert notes["conclusion::Moussa Ndiaye"].startswith("Public policies")
    assert notes["answer:transform-the-present:young-kim"].startswith("We need")
    laptop.wait_for_function(
        "() => document.querySelector('#joined').textContent === '1'", timeout=WAIT_MS
    )
    check_accessibility(laptop, "rapporteur's notes screen with images")
    laptop.locator("#item-guiding-question").scroll_into_view_if_needed()
    laptop.screenshot(path=str(artifacts / "record-notes-laptop.png"), full_page=False)

    # The review: edit a text, hide an entry, move one, publish, share, download.
    laptop.goto(f"{live_server.url}/w/{SLUG}/record/review")
    laptop.wait_for_selector("#h-summaries", timeout=WAIT_MS)
    check_accessibility(laptop, "review screen")
    # The program in the session's zone (Seoul), 24-hour as on every screen and export.
    assert laptop.inner_text(".program-table tbody tr:first-child td.time").startswith("21:00–")
    entries = laptop.locator("#h-summaries ~ ol > li")
    assert entries.count() == 2
    entries.nth(1).get_by_role("button", name=re.compile("Move up")).click()
    first = laptop.locator("#h-summaries ~ ol > li").first
    assert "Koike" in first.inner_text()
    first.locator("textarea").fill("Ms. Koike presented ASSEPJ's mission and WE21 Japan.")
    laptop.locator("#h-conclusions ~ ol > li").first.get_by_label(re.compile("^Hide")).check()
    laptop.wait_for_function(
        "() => document.querySelector('#dirty').textContent === 'The review is saved.'",
        timeout=WAIT_MS,
    )
    laptop.once("dialog", lambda dialog: dialog.accept())
    laptop.locator("#btn-publish").click()
    laptop.wait_for_selector("#versions li:has-text('Version 1')", timeout=WAIT_MS)
    laptop.locator("#btn-share").click()
    laptop.wait_for_selector("#public-link:not([hidden])", timeout=WAIT_MS)
    public_link = laptop.locator("#public-link").get_attribute("href")
    assert public_link and "/r/" in public_link
    check_accessibility(laptop, "review screen after publishing")
    laptop.screenshot(path=str(artifacts / "record-review.png"), full_page=True)

    downloads: dict[str, bytes] = {}
    laptop.locator("#export-language").select_option("fr")
    for fmt in ["md", "html", "pdf", "docx", "json", "csv", "ics"]:
        with laptop.expect_download() as info:
            laptop.locator("#versions li:has-text('Version 1') a", has_text=fmt.upper()).click()
        download = info.value
        assert download.suggested_filename.endswith(f"-v1-fr.{fmt}"), download.suggested_filename
        downloads[fmt] = Path(download.path()).read_bytes()
    with laptop.expect_download() as info:
        laptop.locator("#draft-downloads a", has_text="MD").click()
    assert info.value.suggested_filename.endswith("-draft-fr.md")
    record = json.loads(downloads["json"])
    assert record["version"] == 1 and record["language"] == "fr"
    assert record["summaries"][0]["text"] == "Ms. Koike presented ASSEPJ's mission and WE21 Japan."
    assert record["participants"]["online_count"] == 71
    assert "Moussa" not in json.dumps(record["conclusions"])  # hidden
    assert "Ms. Koike presented" in downloads["md"].decode()
    assert downloads["pdf"].startswith(b"%PDF")
    assert downloads["docx"].startswith(b"PK")
    assert b"BEGIN:VCALENDAR" in downloads["ics"]
    assert "Ms. Koike presented" in downloads["csv"].decode("utf-8-sig")
    assert "<h2" in downloads["html"].decode()

    # The session ends: the phone's end screen links the published record.
    console.on("dialog", lambda dialog: dialog.accept())
    console.locator("#btn-end").click()
    phone.wait_for_selector("#record-link:not([hidden])", timeout=WAIT_MS)
    href = phone.locator("#record-url").get_attribute("href")
    assert href and public_link.endswith(href)
    check_accessibility(phone, "phone's end screen with the record's link")
    phone.locator("#record-url").click()
    phone.wait_for_selector("h1", timeout=WAIT_MS)
    assert "Ms. Koike presented" in phone.content()
    for context in (phone_context, laptop_context, console_context):
        context.close()
