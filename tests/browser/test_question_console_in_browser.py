"""The moderator's console runs the questions, polls and audience Q&A of a session in
Chromium: a question written live in two languages, rewritten before it opens, opened;
answers from two phones arrive with the count and the share of connected participants;
words merged and hidden, answers highlighted and hidden, results revealed to the phones;
a breakdown by country; the Q&A pre-moderated, approved, marked answered with a short
answer, a question added from the room; a speaker's link. Screenshots at a laptop's and
a tablet's width. The phones are socket clients here (the phone's own screen has its
browser test): what is under test is the console."""

from __future__ import annotations

import json
import re
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import socketio
import yaml

from tests.browser.conftest import LiveServer, check_accessibility
from tests.browser.test_agenda_in_browser import log_in

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "sessions" / "2020-gsef-local-governments-sse-partnership.yaml"
SLUG = "console-questions"
WAIT_MS = 15_000
LAPTOP = {"width": 1280, "height": 900}
TABLET = {"width": 820, "height": 1180}


class Phone:
    """A participant's device: joined over HTTP, then a socket like the phone page's."""

    def __init__(self, server: LiveServer, code: str, language: str, name: str) -> None:
        body = json.dumps({"code": code, "language": language, "display_name": name}).encode()
        request = urllib.request.Request(
            server.url + "/api/join", body, {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            self.token = json.loads(response.read())["token"]
        self.events: list[tuple[str, Any]] = []
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", lambda event, data=None: self.events.append((event, data)))
        self.client.connect(
            server.url,
            auth={"as": "participant", "workshop": SLUG, "token": self.token},
            transports=["websocket"],
            wait_timeout=30,
        )

    def call(self, event: str, payload: dict[str, Any]) -> Any:
        payload = {"cid": str(uuid.uuid4()), **payload}
        ack = self.client.call(event, payload, timeout=15)
        assert ack["ok"], (event, ack)
        return ack["data"]

    def wait_for(self, name: str, accepts: Any, seconds: float = 10) -> bool:
        """True once an event `name` whose data `accepts` has arrived."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if any(n == name and accepts(d) for n, d in list(self.events)):
                return True
            time.sleep(0.1)
        return False

    def close(self) -> None:
        self.client.disconnect()


@pytest.fixture
def agenda_file(tmp_path: Path) -> Path:
    agenda = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    agenda["slug"] = SLUG
    path = tmp_path / f"{SLUG}.yaml"
    path.write_text(yaml.safe_dump(agenda, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def phones() -> Iterator[list[Phone]]:
    made: list[Phone] = []
    yield made
    for phone in made:
        phone.close()


def card(page: Any, text: str) -> Any:
    return page.locator("article.qc-card", has=page.locator(".qc-title", has_text=text))


def wait_text(locator: Any, pattern: str) -> None:
    locator.page.wait_for_function(
        "([node, pattern]) => node && new RegExp(pattern).test(node.textContent)",
        arg=[locator.element_handle(timeout=WAIT_MS), pattern],
        timeout=WAIT_MS,
    )


def write_question(
    page: Any, kind: str, texts: dict[str, str], options: list[dict[str, str]]
) -> None:
    page.locator("#q-write").click()
    page.locator("#qn-type").select_option(kind)
    for language, text in texts.items():
        page.locator(f"#qn-text-{language}").fill(text)
    for i, option in enumerate(options):
        if i >= 2:
            page.get_by_role("button", name="Add an option").click()
        for language, text in option.items():
            page.locator(f"#qn-option-{i}-{language}").fill(text)
    page.get_by_role("button", name="Add the question").click()
    card(page, next(iter(texts.values()))).wait_for(timeout=WAIT_MS)


def question_id(page: Any, text: str) -> int:
    return int(card(page, text).get_attribute("data-question"))


def test_the_console_runs_questions_polls_and_the_qa(
    browser: Any, live_server: LiveServer, artifacts: Path, agenda_file: Path, phones: list[Phone]
) -> None:
    context = browser.new_context(locale="en-GB", viewport=LAPTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server)
    page.set_input_files("input[type=file]", str(agenda_file))
    page.locator("form:has(input[type=file]) button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/w/{SLUG}")
    page.goto(f"{live_server.url}/w/{SLUG}/console")
    page.wait_for_selector("#connection[data-status=online]", timeout=WAIT_MS)
    page.locator(".questions-console").wait_for(timeout=WAIT_MS)
    code = page.locator(".join-code").inner_text().strip()

    phones.append(Phone(live_server, code, "en", "Ana"))
    phones.append(Phone(live_server, code, "fr", "Benoît"))
    ana, benoit = phones
    ana.call("participant.profile", {"country": "KR", "stakeholder_type": "local-government"})
    benoit.call("participant.profile", {"country": "FR"})
    page.wait_for_function(
        "() => document.querySelector('#presence-connected').textContent.trim() === '2'",
        timeout=WAIT_MS,
    )

    # The agenda's guiding questions are listed under their program items.
    assert page.locator(".qc-section .qc-section-title").count() >= 1

    # A question written live in English and French, then reworded before it opens.
    write_question(
        page,
        "choice",
        {"en": "Which partner first?", "fr": "Quel partenaire d'abord ?"},
        [{"en": "Cities", "fr": "Villes"}, {"en": "Networks", "fr": "Réseaux"}, {"en": "Both"}],
    )
    choice = card(page, "Which partner first?")
    assert "Not open yet" in choice.inner_text()
    assert "Quel partenaire d'abord ?" in choice.locator(".qc-translations").inner_text()
    choice.get_by_role("button", name="Edit").click()
    choice_id = int(page.locator("article.qc-card.is-editing").get_attribute("data-question"))
    page.locator(f"#qe-{choice_id}-text-en").fill("Which partner comes first?")
    page.get_by_role("button", name="Save the changes").click()
    choice = card(page, "Which partner comes first?")
    choice.wait_for(timeout=WAIT_MS)
    assert choice.get_by_role("button", name="Edit").count() == 1

    choice.get_by_role("button", name="Open", exact=True).click()
    wait_text(choice.locator(".qc-badges"), "Open")
    assert choice.get_by_role("button", name="Edit").count() == 0  # its wording is fixed now
    ana.call("answer.submit", {"question": choice_id, "value": 0})
    wait_text(choice.locator(".qc-count-text"), r"^\s*Answers: 1 · 1 of 2 connected answered")
    wait_text(choice.locator(".qc-share-value"), "^50%$")
    benoit.call("answer.submit", {"question": choice_id, "value": 2})
    wait_text(choice.locator(".qc-count-text"), r"Answers: 2 · 2 of 2 connected answered")
    wait_text(choice.locator(".qc-share-value"), "^100%$")
    bars = choice.locator(".qc-bar-value").all_inner_texts()
    assert [b.strip() for b in bars] == ["1", "0", "1"]

    # Results hidden until revealed: then the phones get them.
    assert not any(
        choice_id in [r["question"] for r in data["results"]]
        for name, data in ana.events
        if name == "question.results"
    )
    choice.get_by_role("button", name="Show the results").click()
    wait_text(choice.locator(".qc-badges"), "Results shown")
    assert ana.wait_for(
        "question.results", lambda d: choice_id in [r["question"] for r in d["results"]]
    )

    # A words question: merge two words, hide a third.
    write_question(page, "words", {"en": "One word for the partnership?"}, [])
    words = card(page, "One word for the partnership?")
    words_id = question_id(page, "One word for the partnership?")
    words.get_by_role("button", name="Open", exact=True).click()
    wait_text(words.locator(".qc-badges"), "Open")
    ana.call("answer.submit", {"question": words_id, "value": ["Trust", "spam"]})
    benoit.call("answer.submit", {"question": words_id, "value": ["trusting"]})
    words.locator(".qc-word[data-word=trusting]").wait_for(timeout=WAIT_MS)
    row = words.locator(".qc-word[data-word=trusting]")
    row.locator("select").select_option("trust")
    row.get_by_role("button", name="Merge").click()
    wait_text(words.locator(".qc-word[data-word=trust] .qc-word-count"), "2 ×")
    words.locator(".qc-word[data-word=spam]").get_by_role("button", name="Hide").click()
    words.locator(".qc-word.is-hidden[data-word=spam]").wait_for(timeout=WAIT_MS)

    # An open question: highlight one answer, hide another.
    write_question(page, "open", {"en": "What should the alliance do next?"}, [])
    wall = card(page, "What should the alliance do next?")
    wall_id = question_id(page, "What should the alliance do next?")
    wall.get_by_role("button", name="Open", exact=True).click()
    wait_text(wall.locator(".qc-badges"), "Open")
    ana.call("answer.submit", {"question": wall_id, "value": "Shared procurement rules"})
    benoit.call("answer.submit", {"question": wall_id, "value": "Buy my product!!!"})
    good = wall.locator(".qc-answer", has_text="Shared procurement rules")
    bad = wall.locator(".qc-answer", has_text="Buy my product")
    good.get_by_role("button", name="Highlight").click()
    wall.locator(".qc-answer.is-highlighted", has_text="Shared procurement rules").wait_for(
        timeout=WAIT_MS
    )
    bad.get_by_role("button", name="Hide", exact=True).click()
    wall.locator(".qc-answer.is-hidden", has_text="Buy my product").wait_for(timeout=WAIT_MS)
    wait_text(wall.locator(".qc-count-text"), r"Answers: 1 · 2 of 2")  # one hidden
    wall.get_by_label("Answers per participant").fill("2")  # one idea each is too few here
    wall.get_by_role("button", name="Save the changes").click()
    wall.get_by_role("button", name="Save the changes").wait_for(state="detached", timeout=WAIT_MS)
    ana.call("answer.submit", {"question": wall_id, "value": "A shared training centre"})
    wall.locator(".qc-answer", has_text="A shared training centre").wait_for(timeout=WAIT_MS)

    # A scale with labelled ends and a ranking: a distribution with its mean, and points.
    page.locator("#q-write").click()
    page.locator("#qn-type").select_option("scale")
    page.locator("#qn-text-en").fill("How ready is your city?")
    page.locator("#qn-max").fill("4")
    page.locator("#qn-min_label-en").fill("Not at all")
    page.locator("#qn-max_label-en").fill("Fully")
    page.get_by_role("button", name="Add the question").click()
    scale = card(page, "How ready is your city?")
    scale.get_by_role("button", name="Open", exact=True).click()
    wait_text(scale.locator(".qc-badges"), "Open")
    scale_id = question_id(page, "How ready is your city?")
    ana.call("answer.submit", {"question": scale_id, "value": 4})
    benoit.call("answer.submit", {"question": scale_id, "value": 1})
    wait_text(scale.locator(".qc-mean"), r"Mean: 2\.5")
    assert [b.strip() for b in scale.locator(".qc-bar-label").all_inner_texts()] == [
        "1 · Not at all",
        "2",
        "3",
        "4 · Fully",
    ]
    write_question(
        page,
        "rank",
        {"en": "Rank the priorities"},
        [{"en": "Funding"}, {"en": "Training"}, {"en": "Laws"}],
    )
    rank = card(page, "Rank the priorities")
    rank.get_by_role("button", name="Open", exact=True).click()
    wait_text(rank.locator(".qc-badges"), "Open")
    rank_id = question_id(page, "Rank the priorities")
    ana.call("answer.submit", {"question": rank_id, "value": [2, 0, 1]})
    benoit.call("answer.submit", {"question": rank_id, "value": [2, 1, 0]})
    wait_text(rank.locator(".qc-count-text"), r"Answers: 2")
    points = [b.strip() for b in rank.locator(".qc-bar-value").all_inner_texts()]
    assert points == ["1", "1", "4"]  # Borda: 2 for a first place

    # A breakdown of the choice by country: a chart and its numbers.
    choice.locator(".qc-breakdown summary").click()
    choice.locator(".qc-breakdown select").select_option("country")
    choice.get_by_role("button", name="Show the breakdown").click()
    table = choice.locator(".qc-breakdown-table")
    table.wait_for(timeout=WAIT_MS)
    assert choice.locator(".qc-chart canvas").count() == 1
    rows = [r.strip() for r in table.locator("tbody th").all_inner_texts()]
    assert rows == ["France", "South Korea"]

    # The audience Q&A, pre-moderated: approve, mark answered by a speaker with a short
    # answer; a question from the room added on Janick's behalf, in French.
    page.locator("#qa-moderated").check()
    page.wait_for_timeout(300)
    asked = benoit.call("qa.ask", {"text": "Comment financer les réseaux ?"})
    assert asked["status"] == "pending"
    waiting = page.locator("#qa-filter-pending")
    wait_text(waiting, r"Awaiting approval \(1\)")
    waiting.click()
    item = page.locator(f".qam-question[data-qa='{asked['question']}']")
    assert "FR" in item.locator(".qam-badges").inner_text()
    item.get_by_role("button", name="Approve").click()
    page.locator("#qa-filter-open").click()
    item.locator(".qam-text").wait_for(timeout=WAIT_MS)
    ana.call("qa.vote", {"question": asked["question"]})
    wait_text(item.locator(".qam-votes-n"), "^1$")
    item.get_by_role("button", name="Mark answered").click()
    item.locator("select").select_option(index=1)
    speaker = item.locator("select option:checked").inner_text().strip()
    item.get_by_label("Short answer (optional)").fill("Through the regional fund.")
    item.get_by_role("button", name="Mark answered").click()
    page.locator("#qa-filter-answered").click()
    answered = page.locator(f".qam-question[data-qa='{asked['question']}'] .qam-answer")
    answered.wait_for(timeout=WAIT_MS)
    assert (
        speaker in answered.inner_text() and "Through the regional fund." in answered.inner_text()
    )

    page.locator(".qam-add summary").click()
    page.locator("#qa-add-text").fill("Quel rôle pour les universités ?")
    page.locator("#qa-add-name").fill("Janick")
    page.locator("#qa-add-language").select_option("fr")
    page.get_by_role("button", name="Add the question").last.click()
    page.locator("#qa-filter-open").click()
    added = page.locator(".qam-question", has_text="Quel rôle pour les universités ?")
    added.wait_for(timeout=WAIT_MS)
    assert "from Janick" in added.locator(".qam-meta").inner_text()

    # A speaker's link, made and shown to copy.
    page.locator(".qam-links summary").click()
    first = page.locator(".qam-link").first
    first.get_by_role("button", name=re.compile("^Make the link")).click()
    url = first.locator("input.qam-link-url")
    url.wait_for(timeout=WAIT_MS)
    assert re.search(r"/speaker/[\w-]{20,}$", url.input_value())
    first.get_by_role("button", name=re.compile("^Copy the link")).click()
    wait_text(page.locator(".qam-links .qc-notice"), "copied")

    # A participant who posted spam: everything they wrote hidden in one action.
    page.once("dialog", lambda dialog: dialog.accept())
    wall.locator(".qc-answer", has_text="Buy my product").get_by_role(
        "button", name="Hide everything from Benoît"
    ).click()
    notice = page.locator(".questions-console > .qc-notice")
    wait_text(notice, "Hidden: answers 4, audience questions 1")
    page.wait_for_function(  # the choice's results count Ana's answer alone now
        "(id) => [...document.querySelectorAll(`article[data-question='${id}'] .qc-bar-value`)]"
        ".map((n) => n.textContent.trim()).join() === '1,0,0'",
        arg=choice_id,
        timeout=WAIT_MS,
    )
    page.locator("#qa-filter-hidden").click()
    page.locator(f".qam-question.is-hidden[data-qa='{asked['question']}']").wait_for(
        timeout=WAIT_MS
    )
    page.locator("#qa-filter-open").click()

    check_accessibility(page, "console with questions and Q&A")
    page.locator(".console-live-panels").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "questions-console-laptop.png"), full_page=True)
    page.locator(".console-live-panels").screenshot(
        path=str(artifacts / "questions-console-panels-laptop.png")
    )

    page.set_viewport_size(TABLET)
    page.wait_for_timeout(300)
    # On a tablet the panels are under the run of show: a link at the top jumps there.
    page.evaluate("() => window.scrollTo(0, 0)")
    page.locator(".console-jump").get_by_role("link", name="Audience questions").click()
    page.wait_for_function(
        "() => { const r = document.querySelector('#qa-heading').getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }",
        timeout=WAIT_MS,
    )
    check_accessibility(page, "console on a tablet")
    page.locator(".console-live-panels").screenshot(
        path=str(artifacts / "questions-console-panels-tablet.png")
    )
    page.screenshot(path=str(artifacts / "questions-console-tablet.png"), full_page=True)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert errors == []
    context.close()
