"""Guiding questions, polls and the audience Q&A in Chromium (issue 10): three phones (en,
fr, ko) answer an open, a words, a choice and a scale question and ask and upvote Q&A
questions; the projector shows the word cloud and the bars; the moderator hides an answer
and marks a question answered; a phone taken offline while answering sends its answer
when it is back; a phone that answers a question closed meanwhile is told so."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import socketio
import yaml

from tests.browser.conftest import ARTIFACTS, LiveServer, check_accessibility
from tests.browser.test_agenda_in_browser import log_in
from tests.browser.test_live_in_browser import PHONE, WAIT_MS, page_data, translated

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "sessions" / "2021-local-governments-sse-alliances.yaml"
SLUG = "2021-questions-on-phones"
NARROW = {**PHONE, "viewport": {"width": 360, "height": 780}}

QUESTIONS = [
    {
        "id": "ideas",
        "type": "open",
        "text": {
            "en": "What should networks do first?",
            "fr": "Que doivent faire les réseaux d’abord ?",
            "ko": "네트워크가 먼저 해야 할 일은?",
        },
    },
    {
        "id": "one-word",
        "type": "words",
        "text": {
            "en": "Cooperation in one word?",
            "fr": "La coopération en un mot ?",
            "ko": "협력을 한 단어로?",
        },
    },
    {
        "id": "priority",
        "type": "choice",
        "text": {"en": "The priority?", "fr": "La priorité ?", "ko": "우선순위는?"},
        "options": [
            {"en": "Funding", "fr": "Financement", "ko": "재원"},
            {"en": "Training", "fr": "Formation", "ko": "교육"},
            {"en": "Laws", "fr": "Lois", "ko": "법"},
        ],
    },
    {
        "id": "confidence",
        "type": "scale",
        "text": {
            "en": "How confident are you?",
            "fr": "Quelle confiance ?",
            "ko": "얼마나 확신하나요?",
        },
        "scale": {
            "min": 1,
            "max": 5,
            "min_label": {"en": "Not at all", "fr": "Pas du tout", "ko": "전혀"},
            "max_label": {"en": "Fully", "fr": "Totalement", "ko": "완전히"},
        },
    },
]


@contextmanager
def moderator_socket(server: LiveServer, context: Any, slug: str) -> Iterator[Any]:
    """The moderator's socket, with the console's login cookie: steps that the console's
    own screens do not drive yet go through the protocol, as the console would send them."""
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies(server.url))
    client = socketio.Client(reconnection=False)
    client.connect(
        server.url,
        headers={"Cookie": cookie},
        auth={"as": "moderator", "workshop": slug},
        transports=["websocket"],
        wait_timeout=10,
    )
    try:
        yield client
    finally:
        client.disconnect()


def call(client: Any, event: str, payload: dict[str, Any]) -> Any:
    if event != "live.sync":
        payload = {**payload, "cid": "test-" + event.replace(".", "-") + "-" + _next_cid()}
    ack = client.call(event, payload, timeout=10)
    assert ack["ok"], (event, ack)
    return ack["data"]


_counter = iter(range(1_000_000))


def _next_cid() -> str:
    return f"{next(_counter):06d}"


def wait_text(page: Any, selector: str, text: str) -> None:
    try:
        page.wait_for_function(
            "([s, t]) => [...document.querySelectorAll(s)].some((n) => n.textContent.includes(t))",
            arg=[selector, text],
            timeout=WAIT_MS,
        )
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "questions-flow-failed.png"), full_page=True)
        raise


def moderate(console: Any, question_id: int, button: str) -> None:
    """Presses a button of a question's card on the moderator's console."""
    console.locator(f"article.qc-card[data-question='{question_id}']").get_by_role(
        "button", name=button, exact=True
    ).click()


def card(page: Any, question_id: int) -> Any:
    return page.locator(f"#questions article[data-question='{question_id}']")


def answered(page: Any, question_id: int, language: str) -> None:
    wait_text(
        page,
        f"#questions article[data-question='{question_id}'] .q-note",
        translated(language, "Your answer was recorded.") if language != "en" else "recorded",
    )


def open_console(
    browser: Any, server: LiveServer, tmp_path: Path, slug: str, questions: list[dict[str, Any]]
) -> tuple[Any, Any]:
    """The seed with these guiding questions (in en, fr, ko) under `slug`, uploaded by the
    organiser, whose console is then open."""
    agenda = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    agenda["slug"] = slug
    agenda["languages"] = ["en", "fr", "ko"]
    agenda["guiding_questions"] = questions
    for item in agenda["program"]:
        if item["id"] == "discussion":
            item["questions"] = [q["id"] for q in questions]
    path = tmp_path / f"{slug}.yaml"
    path.write_text(yaml.safe_dump(agenda, allow_unicode=True), encoding="utf-8")
    context = browser.new_context(locale="en-GB", viewport={"width": 1366, "height": 900})
    console = context.new_page()
    log_in(console, server)
    console.set_input_files("input[type=file]", str(path))
    console.locator("form:has(input[type=file]) button[type=submit]").click()
    console.wait_for_url(f"{server.url}/w/{slug}")
    console.goto(f"{server.url}/w/{slug}/console")
    console.wait_for_selector("#connection[data-status=online]", timeout=WAIT_MS)
    return context, console


def test_phones_answer_ask_and_vote_the_projector_shows_results(
    browser: Any, live_server: LiveServer, artifacts: Path, tmp_path: Path
) -> None:
    console_context, console = open_console(browser, live_server, tmp_path, SLUG, QUESTIONS)
    data = page_data(console)

    display_context = browser.new_context(viewport={"width": 1920, "height": 1080})
    display = display_context.new_page()
    display.goto(data["display_url"])
    display.wait_for_selector("#online[data-status=online]", timeout=WAIT_MS)

    phones: dict[str, tuple[Any, Any]] = {}
    for language, locale, name, size in [
        ("en", "en-GB", "Ana", PHONE),
        ("fr", "fr-FR", "Benoît", PHONE),
        ("ko", "ko-KR", "지민", NARROW),
    ]:
        context = browser.new_context(locale=locale, **size)
        page = context.new_page()
        page.goto(data["join"]["url"])
        page.locator("input[name=display_name]").fill(name)
        page.locator("form button[type=submit]").click()
        page.wait_for_selector("#status.status-online", timeout=WAIT_MS)
        phones[language] = (context, page)
    en, fr, ko = (phones[k][1] for k in ("en", "fr", "ko"))

    # The moderator works on the console's screens; a socket of theirs only reads (live.sync)
    # to check what the server stored.
    with moderator_socket(live_server, console_context, SLUG) as moderator:
        snapshot = call(moderator, "live.sync", {})
        ids = {q["key"]: q["id"] for q in snapshot["questions"]["list"]}
        console.locator("#btn-advance").click()  # the session starts
        console.locator(".questions-console").wait_for(timeout=WAIT_MS)
        for key in ("ideas", "one-word", "priority", "confidence"):
            moderate(console, ids[key], "Open")
            wait_text(console, f"article.qc-card[data-question='{ids[key]}'] .qc-badges", "Open")
        for key in ("one-word", "priority"):
            moderate(console, ids[key], "Show the results")

        # Each phone lists the four questions in its own language, with the right input.
        for language, page in (("en", en), ("fr", fr), ("ko", ko)):
            page.wait_for_selector(f"#questions article[data-question='{ids['confidence']}']")
            title = card(page, ids["priority"]).locator(".q-title")
            assert title.inner_text() == QUESTIONS[2]["text"][language]
            assert title.get_attribute("lang") == language
        assert card(ko, ids["confidence"]).locator(".q-step input[type=radio]").count() == 5
        assert "전혀" in card(ko, ids["confidence"]).inner_text()
        check_accessibility(ko, "Korean phone with four open questions")

        answers = {
            "en": ("More local money", ["trust", "money"], 0, 4),
            "fr": ("Des lois claires", ["Confiance"], 1, 5),
            "ko": ("지역 화폐", ["신뢰", "Trust"], 0, None),
        }
        for language, (text, words, option, scale) in answers.items():
            page = phones[language][1]
            ideas = card(page, ids["ideas"])
            ideas.locator("textarea").fill(text)
            ideas.locator("button[type=submit]").click()
            answered(page, ids["ideas"], language)
            one_word = card(page, ids["one-word"])
            for i, word in enumerate(words):
                one_word.locator("input[type=text]").nth(i).fill(word)
            one_word.locator("button[type=submit]").click()
            answered(page, ids["one-word"], language)
            priority = card(page, ids["priority"])
            priority.locator("input[type=radio]").nth(option).check()
            priority.locator("button[type=submit]").click()
            answered(page, ids["priority"], language)
            if scale is not None:
                confidence = card(page, ids["confidence"])
                confidence.locator(f".q-step:has-text('{scale}')").click()
                confidence.locator("button[type=submit]").click()
                answered(page, ids["confidence"], language)

        # The Korean phone loses the network while it answers the scale: the answer waits
        # in the outbox, the phone says so, and it goes when the network is back.
        ko_context = phones["ko"][0]
        ko_context.set_offline(True)
        ko.wait_for_selector("#status:not(.status-online)", timeout=WAIT_MS)
        confidence = card(ko, ids["confidence"])
        confidence.locator(".q-step:has-text('3')").click()
        confidence.locator("button[type=submit]").click()
        wait_text(
            ko,
            f"#questions article[data-question='{ids['confidence']}'] .q-note-queued",
            translated(
                "ko", "You are offline: your answer will be sent when the connection is back."
            ),
        )
        confidence.screenshot(path=str(artifacts / "questions-flow-phone-ko-offline.png"))
        ko_context.set_offline(False)
        answered(ko, ids["confidence"], "ko")

        # The revealed results reach the phones; the scale's stay hidden (not revealed).
        wait_text(
            fr,
            f"#questions article[data-question='{ids['priority']}'] .q-results",
            translated("fr", "Results"),
        )
        assert card(fr, ids["confidence"]).locator(".q-results").count() == 0
        wait_text(
            en, f"#questions article[data-question='{ids['one-word']}'] .q-cloud", "Confiance"
        )

        # The console has every answer, the Korean scale answer once.
        staff = call(moderator, "live.sync", {})["questions"]
        mine = [a for a in staff["answers"] if a["question"] == ids["confidence"]]
        assert sorted(a["value"] for a in mine) == [3, 4, 5]

        # A changed answer replaces the first; a withdrawn one goes.
        priority = card(en, ids["priority"])
        priority.locator("input[type=radio]").nth(2).check()
        priority.locator("button[type=submit]").click()
        answered(en, ids["priority"], "en")
        wait_text(fr, f"#questions article[data-question='{ids['priority']}'] .q-bar-row", "Lois")

        # The projector: the word cloud and the bars.
        display.wait_for_selector("#poll:not([hidden])", timeout=WAIT_MS)
        wait_text(display, "#poll [data-chart=cloud]", "Confiance")
        display.wait_for_selector("#poll [data-chart=bars] canvas", timeout=WAIT_MS)
        check_accessibility(display, "projector with the poll")
        display.screenshot(path=str(artifacts / "questions-flow-projector.png"))

        # The moderator hides the French open answer: it leaves the revealed wall.
        moderate(console, ids["ideas"], "Show the results")
        wait_text(
            en, f"#questions article[data-question='{ids['ideas']}'] .q-wall", "Des lois claires"
        )
        ideas_card = console.locator(f"article.qc-card[data-question='{ids['ideas']}']")
        ideas_card.locator(".qc-answer", has_text="Des lois claires").get_by_role(
            "button", name="Hide", exact=True
        ).click()
        en.wait_for_function(
            "(id) => !document.querySelector(`#questions article[data-question='${id}'] .q-wall`)"
            ".textContent.includes('Des lois claires')",
            arg=ids["ideas"],
            timeout=WAIT_MS,
        )

        # The audience Q&A: a named question, an anonymous one, votes, and an answer.
        ask = en.locator("#qa form.qa-ask")
        ask.locator("textarea").fill("How do networks fund themselves?")
        ask.locator("select").select_option("young-kim")
        ask.locator("button[type=submit]").click()
        wait_text(en, "#qa .qa-text", "How do networks fund themselves?")
        ask = fr.locator("#qa form.qa-ask")
        ask.locator("textarea").fill("Et les communes rurales ?")
        ask.locator("input[value=anonymous]").check()
        ask.locator("button[type=submit]").click()
        for page in (en, fr, ko):
            wait_text(page, "#qa .qa-text", "Et les communes rurales ?")
            wait_text(page, "#qa .qa-text", "How do networks fund themselves?")
        fr_question = ko.locator("#qa li.qa-item", has_text="Et les communes rurales ?")
        assert "익명" in fr_question.inner_text()  # anonymous, in Korean
        assert "프랑스어" in fr_question.inner_text()  # written in French, said in Korean
        fr_question.locator("button.qa-vote").click()
        en.locator("#qa li.qa-item", has_text="Et les communes rurales ?").locator(
            "button.qa-vote"
        ).click()
        # Sorted by votes: the question with two votes comes first, on every phone.
        wait_text(fr, "#qa li.qa-item:first-child button.qa-vote", "2 votes")
        assert "Et les communes rurales ?" in fr.locator("#qa li.qa-item").first.inner_text()
        ko.locator("#qa label.qa-filter input").check()  # my language only: none in Korean
        wait_text(ko, "#qa", translated("ko", "No questions in your language yet."))
        ko.locator("#qa label.qa-filter input").uncheck()

        # The moderator marks Ana's question answered by its speaker, with a short answer.
        asked = console.locator(".qam-question", has_text="How do networks fund themselves?")
        asked.get_by_role("button", name="Mark answered").click()
        asked.locator("select").select_option(label="Young Kim")
        asked.get_by_label("Short answer (optional)").fill("Through members' fees.")
        asked.get_by_role("button", name="Mark answered").click()
        wait_text(ko, "#qa .qa-answer-by", "Young Kim")
        wait_text(en, "#qa .qa-answer-text", "Through members' fees.")

        # Pre-moderation: the asker sees "waiting for approval"; nobody else sees it.
        console.locator("#qa-moderated").check()
        console.wait_for_timeout(300)
        ask = ko.locator("#qa form.qa-ask")
        ask.locator("textarea").fill("농촌 지역은 어떻게 하나요?")
        ask.locator("button[type=submit]").click()
        wait_text(ko, "#qa .qa-badge-pending", translated("ko", "Waiting for approval"))

        # A question closed while a phone was offline, and the page closed too: the answer
        # waits in the outbox, goes when the page is open again, and is refused in words.
        fr_context = phones["fr"][0]
        fr_context.set_offline(True)
        fr.wait_for_selector("#status:not(.status-online)", timeout=WAIT_MS)
        words = card(fr, ids["one-word"])
        words.locator("input[type=text]").first.fill("Solidarité")
        words.locator("button[type=submit]").click()
        wait_text(
            fr, f"#questions article[data-question='{ids['one-word']}'] .q-note", "hors ligne"
        )
        moderate(console, ids["one-word"], "Close")
        wait_text(
            console, f"article.qc-card[data-question='{ids['one-word']}'] .qc-badges", "Closed"
        )
        phone_url = fr.url
        fr.close()
        fr_context.set_offline(False)
        fr = fr_context.new_page()
        fr.goto(phone_url)
        wait_text(
            fr,
            f"#questions article[data-question='{ids['one-word']}'] .q-note-error",
            translated("fr", "This question is closed: your answer was not recorded."),
        )
        refused = card(fr, ids["one-word"]).locator(".q-note-error")
        assert refused.is_visible()  # the closed question stays in view while it says so

    for language, page in (("en", en), ("fr", fr), ("ko", ko)):
        check_accessibility(page, f"phone ({language}) after answering and asking")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], f"{language} phone scrolls sideways"
        page.screenshot(
            path=str(artifacts / f"questions-flow-phone-{language}.png"), full_page=True
        )
    check_accessibility(console, "console")
    console.screenshot(path=str(artifacts / "questions-flow-console.png"), full_page=True)
    display.screenshot(path=str(artifacts / "questions-flow-projector-end.png"))
    for context, _ in phones.values():
        context.close()
    display_context.close()
    console_context.close()


RANKED = [
    {
        "id": "tools",
        "type": "multi",
        "text": {
            "en": "Which tools do you use?",
            "fr": "Quels outils ?",
            "ko": "어떤 도구를 쓰나요?",
        },
        "options": [
            {"en": "Local currency", "fr": "Monnaie locale", "ko": "지역 화폐"},
            {"en": "Public procurement", "fr": "Achats publics", "ko": "공공 조달"},
            {"en": "Incubators", "fr": "Incubateurs", "ko": "인큐베이터"},
        ],
    },
    {
        "id": "order",
        "type": "rank",
        "text": {"en": "Rank the needs", "fr": "Classez les besoins", "ko": "필요한 것의 순위"},
        "options": [
            {"en": "Money", "fr": "Argent", "ko": "자금"},
            {"en": "Laws", "fr": "Lois", "ko": "법"},
            {"en": "People", "fr": "Personnes", "ko": "사람"},
        ],
    },
    {
        "id": "percent",
        "type": "scale",
        "text": {"en": "How much is local?", "fr": "Quelle part locale ?", "ko": "지역 비중은?"},
        "scale": {"min": 0, "max": 100},
    },
]


def test_a_phone_ticks_ranks_slides_changes_and_withdraws(
    browser: Any, live_server: LiveServer, artifacts: Path, tmp_path: Path
) -> None:
    slug = "2021-questions-ranked"
    console_context, console = open_console(browser, live_server, tmp_path, slug, RANKED)
    data = page_data(console)
    context = browser.new_context(locale="ko-KR", **NARROW)
    ko = context.new_page()
    ko.goto(data["join"]["url"])
    ko.locator("form button[type=submit]").click()  # no name: anonymous
    ko.wait_for_selector("#status.status-online", timeout=WAIT_MS)
    with moderator_socket(live_server, console_context, slug) as moderator:
        ids = {q["key"]: q["id"] for q in call(moderator, "live.sync", {})["questions"]["list"]}
        for key in ("tools", "order", "percent"):
            moderate(console, ids[key], "Open")
        ko.wait_for_selector(f"#questions article[data-question='{ids['percent']}']")

        tools = card(ko, ids["tools"])
        tools.locator("input[type=checkbox]").nth(0).check()
        tools.locator("input[type=checkbox]").nth(2).check()
        tools.locator("button[type=submit]").click()
        answered(ko, ids["tools"], "ko")

        # The ranking by taps: "People" up twice, to the first place.
        order = card(ko, ids["order"])
        people = translated("ko", "Move up: {option}").replace("{option}", "사람")
        order.get_by_role("button", name=people).click()
        order.get_by_role("button", name=people).click()
        assert order.locator(".q-order-text").all_inner_texts() == ["사람", "자금", "법"]
        order.locator("button[type=submit]").click()
        answered(ko, ids["order"], "ko")

        # A scale of 101 values is a slider, not 101 buttons.
        percent = card(ko, ids["percent"])
        assert percent.locator(".q-step").count() == 0
        percent.locator("input[type=range]").fill("70")
        percent.locator("button[type=submit]").click()
        answered(ko, ids["percent"], "ko")
        check_accessibility(ko, "Korean phone: multi, rank, a wide scale")
        ko.screenshot(path=str(artifacts / "questions-flow-phone-ko-rank.png"), full_page=True)

        answers = call(moderator, "live.sync", {})["questions"]["answers"]
        by_question = {a["question"]: a["value"] for a in answers}
        assert by_question == {ids["tools"]: [0, 2], ids["order"]: [2, 0, 1], ids["percent"]: 70}

        # Changed, then withdrawn: the stored answer follows, then goes.
        tools.locator("input[type=checkbox]").nth(1).check()
        tools.locator("button[type=submit]").click()
        # Stored: the phone's answer is the stored one again, nothing left to change.
        tools.locator("button[type=submit][disabled]").wait_for(timeout=WAIT_MS)
        withdraw = translated("ko", "Withdraw")
        percent.get_by_role("button", name=withdraw).click()
        wait_text(
            ko,
            f"#questions article[data-question='{ids['percent']}'] .q-note",
            translated("ko", "Your answer was withdrawn."),
        )
        answers = call(moderator, "live.sync", {})["questions"]["answers"]
        assert {a["question"]: a["value"] for a in answers} == {
            ids["tools"]: [0, 1, 2],
            ids["order"]: [2, 0, 1],
        }

        # Asking without a name: anonymous is the only way, and the phone says so.
        ask = ko.locator("#qa form.qa-ask")
        assert ask.locator("input[name=qa-as]").count() == 0
        assert translated("ko", "Anonymously") in ask.inner_text()

    # The session ends: the phone shows its thank-you, and neither questions nor the Q&A.
    console.locator("#btn-advance").click()
    console.once("dialog", lambda dialog: dialog.accept())
    console.locator("#btn-end:not([disabled])").click()
    ko.wait_for_selector("#ended:not([hidden])", timeout=WAIT_MS)
    assert ko.locator("#questions").is_hidden() and ko.locator("#qa").is_hidden()
    context.close()
    console_context.close()
