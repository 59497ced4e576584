"""The projector in Chromium while a room answers: a poll's count while its results are
hidden, the word cloud and the bars once revealed, the Q&A with a pinned question, and a
speaker's tablet that follows the votes by itself. Phones and the moderator are socket
clients here (their screens have tests of their own); the projector and the speaker's
page are the real ones."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from tests.browser.conftest import LiveServer, check_accessibility
from tests.integration.support import Screen, moderator_cookie

pytestmark = pytest.mark.browser

WAIT_MS = 15_000
SLUG = "projector-results"
PASSWORD = "a long test password"
AGENDA = {
    "format": "facilitator/agenda@1",
    "slug": SLUG,
    "title": {"en": "Partnerships that last", "fr": "Des partenariats qui durent"},
    "kind": "workshop",
    "languages": ["en", "fr", "ko"],
    "timezone": "Europe/Paris",
    "days": [{"date": "2026-11-29", "start": "10:00", "end": "12:00"}],
    "venue": "online",
    "people": [
        {"id": "amara-diallo", "name": "Amara Diallo", "roles": ["speaker"]},
        {"id": "min-jun-park", "name": "Min-jun Park", "roles": ["speaker"]},
    ],
    "program": [
        {
            "id": "welcome",
            "start": "10:00",
            "end": "10:30",
            "title": "Welcome",
            "kind": "presentation",
            "people": ["amara-diallo"],
        },
        {
            "id": "panel-qa",
            "start": "10:30",
            "end": "11:00",
            "title": "Questions to the panel",
            "kind": "qa",
            "people": ["amara-diallo", "min-jun-park"],
        },
    ],
}
# (language, words): what each phone answers to "In one word…"; trust comes most.
PHONES = [
    ("en", ["trust", "time"]),
    ("fr", ["confiance", "trust"]),
    ("ko", ["신뢰", "trust"]),
    ("en", ["trust", "shared goals"]),
    ("fr", ["écoute", "temps"]),
    ("en", ["Trust ", "money"]),
    ("ko", ["협동", "신뢰"]),
    ("en", ["respect", "time"]),
    ("es", ["confianza"]),
    ("en", ["patience", "respect", "trust"]),
]
OPTIONS = ["Local governments", "Cooperatives and mutuals", "Universities", "Citizens"]
CHOICES = [0, 1, 0, 3, 1, 0, 1, 0, 2, 0]


def _cid() -> str:
    return str(uuid.uuid4())


def _ok(screen: Screen, event: str, payload: dict[str, Any]) -> dict[str, Any]:
    _, ack = screen.send(event, payload)
    assert ack is not None and ack["ok"], (event, ack)
    data: dict[str, Any] = ack["data"] or {}
    return data


def _moderator(server: LiveServer, tmp_path: Path) -> Screen:
    agenda = tmp_path / "agenda.yaml"
    agenda.write_text(yaml.safe_dump(AGENDA, allow_unicode=True), encoding="utf-8")
    server.cli_here("load", str(agenda))
    email = f"projector-{uuid.uuid4().hex[:8]}@example.org"
    server.cli_here("create-user", email, "--name", "Mo Derator", "--admin", "--password", PASSWORD)
    cookie = moderator_cookie(server.url, email, PASSWORD)
    moderator = Screen(
        "console", server.url, {"as": "moderator", "workshop": SLUG}, headers={"Cookie": cookie}
    )
    moderator.open()
    return moderator


def _phone(server: LiveServer, code: str, language: str, n: int) -> Screen:
    answer = requests.post(
        server.url + "/api/join",
        json={"code": code, "language": language, "display_name": f"Phone {n}"},
        timeout=10,
    )
    assert answer.status_code == 201, answer.text
    token = answer.json()["token"]
    phone = Screen(
        f"phone {n}", server.url, {"as": "participant", "workshop": SLUG, "token": token}
    )
    phone.open()
    return phone


def _text(page: Any, selector: str, text: str) -> None:
    page.wait_for_function(
        "([s, t]) => { const n = document.querySelector(s);"
        " return n && n.textContent.trim() === t; }",
        arg=[selector, text],
        timeout=WAIT_MS,
    )


# The cloud has settled: laid out for its box as it is now (the SVG's viewBox is the box),
# no word moving or fading (CSS transitions and animations), the same places at two polls.
CLOUD_SETTLED = (
    "() => { const box = document.querySelector('.poll-cloud');"
    " const svg = box && box.querySelector('svg'); if (!svg) return false;"
    " const [, , w, h] = svg.getAttribute('viewBox').split(' ').map(Number);"
    " if (Math.round(w) !== box.clientWidth || Math.round(h) !== box.clientHeight) return false;"
    " if (document.getAnimations().length || document.querySelector('.cloud-word.is-leaving'))"
    " return false;"
    " const places = [...document.querySelectorAll('.cloud-word')]"
    ".map(n => n.dataset.word + n.style.transform).join('|');"
    " const same = window.cloudPlaces === places; window.cloudPlaces = places; return same; }"
)


def _cloud_settled(page: Any) -> None:
    """Instead of a fixed wait for the layout after a resize or new sizes (0.2 s debounce,
    0.8 s transitions): done as soon as it is."""
    page.evaluate("() => { window.cloudPlaces = null; }")
    page.wait_for_function(CLOUD_SETTLED, polling=150, timeout=WAIT_MS)


def test_the_projector_shows_results_when_revealed_and_the_panel_its_questions(
    browser: Any, live_server: LiveServer, artifacts: Path, tmp_path: Path
) -> None:
    moderator = _moderator(live_server, tmp_path)
    phones: list[Screen] = []
    try:
        snapshot = moderator.sync()
        code = snapshot["join"]["code"]
        display_url = f"{live_server.url}/d/{snapshot['display_token']}"
        _ok(moderator, "live.start", {})

        projector_context = browser.new_context(viewport={"width": 1920, "height": 1080})
        projector = projector_context.new_page()
        errors: list[str] = []
        projector.on("pageerror", lambda error: errors.append(str(error)))
        projector.goto(display_url)
        projector.wait_for_selector("#online[data-status=online]", timeout=WAIT_MS)
        _text(projector, "#now-title", "Welcome")
        assert projector.locator("#poll").is_hidden()

        # A word question opens: the projector shows it, and its count, not its results.
        words = _ok(
            moderator,
            "question.create",
            {
                "type": "words",
                "text": {
                    "en": "In one word: what makes a partnership last?",
                    "fr": "En un mot : qu'est-ce qui fait durer un partenariat ?",
                    "ko": "한 단어로: 파트너십을 오래 지속시키는 것은?",
                },
            },
        )["question"]
        _ok(moderator, "question.open", {"question": words})
        _text(projector, ".poll-question", "In one word: what makes a partnership last?")
        assert projector.locator("#now").is_hidden()
        phones = [_phone(live_server, code, lang, n) for n, (lang, _) in enumerate(PHONES)]
        for phone, (_, said) in zip(phones, PHONES, strict=True):
            _ok(phone, "answer.submit", {"question": words, "value": said})
        _text(projector, ".poll-count-n", str(len(PHONES)))
        assert projector.locator(".poll-hidden").is_visible()
        assert projector.locator(".cloud-word").count() == 0  # nothing that could steer
        check_accessibility(projector, "projector with a poll's results hidden")
        projector.screenshot(path=str(artifacts / "projector-poll-hidden.png"))

        # Revealed: the cloud, laid out by d3-cloud, the most said word the biggest.
        _ok(moderator, "question.reveal", {"question": words})
        projector.wait_for_function(
            "() => document.querySelectorAll('.cloud-word').length >= 12", timeout=WAIT_MS
        )
        sizes = projector.evaluate(
            "() => Object.fromEntries([...document.querySelectorAll('.cloud-word')]"
            ".map(n => [n.dataset.word, parseFloat(n.style.fontSize)]))"
        )
        assert max(sizes, key=sizes.get) == "trust", sizes  # 6 of 10, "Trust " counted as it
        assert sizes["trust"] > 2 * sizes["écoute"]
        assert {"신뢰", "협동", "confiance"} <= set(sizes)
        # Each word's line box, less what its font keeps above and below the letters (d3-cloud
        # places the letters' ink): a quarter of the font size.
        boxes_script = (
            "() => [...document.querySelectorAll('.cloud-word')].map(n => {"
            " const r = n.getBoundingClientRect(), e = parseFloat(n.style.fontSize) / 4;"
            " return [r.left, r.top + e, r.right, r.bottom - e]; })"
        )
        boxes = projector.evaluate(boxes_script)
        area = projector.locator(".poll-cloud").bounding_box()
        assert area is not None
        for left, top, right, bottom in boxes:  # every word inside its area, none cut
            assert left >= area["x"] - 2 and right <= area["x"] + area["width"] + 2
            assert top >= area["y"] - 2 and bottom <= area["y"] + area["height"] + 2
        # A new answer: the words already shown keep their places when sizes hold.
        trust_place = "() => document.querySelector('[data-word=trust]').style.transform"
        _cloud_settled(projector)
        check_accessibility(projector, "projector with a word cloud")
        projector.screenshot(path=str(artifacts / "projector-word-cloud.png"))
        # At 1280x720 the cloud is laid out again for its smaller box, every word inside.
        projector.set_viewport_size({"width": 1280, "height": 720})
        _cloud_settled(projector)
        small = projector.locator(".poll-cloud").bounding_box()
        assert small is not None and small["width"] < area["width"]
        for left, top, right, bottom in projector.evaluate(boxes_script):
            assert left >= small["x"] - 2 and right <= small["x"] + small["width"] + 2
            assert top >= small["y"] - 2 and bottom <= small["y"] + small["height"] + 2
        projector.screenshot(path=str(artifacts / "projector-word-cloud-720p.png"))
        projector.set_viewport_size({"width": 1920, "height": 1080})
        _cloud_settled(projector)
        place = projector.evaluate(trust_place)
        late = _phone(live_server, code, "en", 99)
        phones.append(late)
        _ok(late, "answer.submit", {"question": words, "value": ["trust"]})
        _text(projector, ".poll-count-n", str(len(PHONES) + 1))
        projector.wait_for_timeout(500)
        assert projector.evaluate(trust_place) == place
        _ok(moderator, "question.close", {"question": words})

        # A choice, revealed from the start: Chart.js bars with counts and shares.
        choice = _ok(
            moderator,
            "question.create",
            {
                "type": "choice",
                "text": {
                    "en": "Who should take the first step?",
                    "fr": "Qui doit faire le premier pas ?",
                },
                "options": [{"en": o} for o in OPTIONS],
            },
        )["question"]
        _ok(moderator, "question.open", {"question": choice})
        _text(projector, ".poll-question", "Who should take the first step?")
        for phone, option in zip(phones, CHOICES, strict=False):
            _ok(phone, "answer.submit", {"question": choice, "value": option})
        # Hidden: the options to read and the count, no bars.
        _text(projector, ".poll-count-n", str(len(CHOICES)))
        assert projector.locator(".poll-options li").all_inner_texts() == OPTIONS
        assert projector.locator(".poll-chart").count() == 0
        projector.screenshot(path=str(artifacts / "projector-choice-hidden.png"))
        _ok(moderator, "question.reveal", {"question": choice})
        label = projector.locator(".poll-chart canvas")
        projector.wait_for_function(
            "() => { const c = document.querySelector('.poll-chart canvas');"
            " return c && c.getAttribute('aria-label').includes('Local governments: 5 · 50%'); }",
            timeout=WAIT_MS,
        )
        assert "Citizens: 1 · 10%" in (label.get_attribute("aria-label") or "")
        assert projector.locator(".cloud-word").count() == 0  # the closed question left
        projector.wait_for_timeout(1200)  # the bars' animation settles
        check_accessibility(projector, "projector with bars")
        projector.screenshot(path=str(artifacts / "projector-bars.png"))
        _ok(moderator, "question.close", {"question": choice})

        # Two open at once, side by side: a scale's distribution and mean, a rank's points.
        scale = _ok(
            moderator,
            "question.create",
            {
                "type": "scale",
                "text": {"en": "How ready is your city to partner?"},
                "scale": {
                    "min": 1,
                    "max": 5,
                    "min_label": {"en": "Not at all"},
                    "max_label": {"en": "Fully"},
                },
            },
        )["question"]
        rank = _ok(
            moderator,
            "question.create",
            {
                "type": "rank",
                "text": {"en": "Rank what matters most"},
                "options": [{"en": "Funding"}, {"en": "Trust"}, {"en": "Law"}],
            },
        )["question"]
        for question in (scale, rank):
            _ok(moderator, "question.reveal", {"question": question})
            _ok(moderator, "question.open", {"question": question})
        for phone, value in zip(phones, [4, 5, 3, 4, 2, 4], strict=False):
            _ok(phone, "answer.submit", {"question": scale, "value": value})
        for phone, order in zip(phones, [[1, 0, 2], [1, 2, 0], [0, 1, 2]], strict=False):
            _ok(phone, "answer.submit", {"question": rank, "value": order})
        _text(projector, ".poll-mean-value", "3.67")
        projector.wait_for_function(
            "() => [...document.querySelectorAll('.poll-chart canvas')].some(c =>"
            " c.getAttribute('aria-label') === 'Points: Trust: 5, Funding: 3, Law: 1')",
            timeout=WAIT_MS,
        )
        assert projector.locator(".poll-card").count() == 2
        projector.wait_for_timeout(1200)
        check_accessibility(projector, "projector with two polls")
        projector.screenshot(path=str(artifacts / "projector-scale-and-rank.png"))
        for question in (scale, rank):
            _ok(moderator, "question.close", {"question": question})

        # The answer wall: the highlighted answer first, a hidden one never.
        wall = _ok(
            moderator,
            "question.create",
            {"type": "open", "text": {"en": "One thing you will try next month?"}},
        )["question"]
        _ok(moderator, "question.reveal", {"question": wall})
        _ok(moderator, "question.open", {"question": wall})
        said = [
            "Invite the cooperative federation to the council's budget hearing",
            "Map every social enterprise in our district",
            "This is spam, buy now",
            "Co-write a procurement rule with local SSE actors",
        ]
        given = [
            _ok(phone, "answer.submit", {"question": wall, "value": text})["answer"]
            for phone, text in zip(phones, said, strict=False)
        ]
        _ok(moderator, "answer.hide", {"answer": given[2]})
        _ok(moderator, "answer.highlight", {"answer": given[1]})
        projector.wait_for_function(
            "(texts) => [...document.querySelectorAll('.wall-card')].map(n => n.textContent.trim())"
            ".join('|') === texts",
            arg="|".join([said[1], said[3], said[0]]),
            timeout=WAIT_MS,
        )
        assert projector.locator(".wall-card.is-highlighted").inner_text().strip() == said[1]
        check_accessibility(projector, "projector with the answer wall")
        projector.screenshot(path=str(artifacts / "projector-answer-wall.png"))
        _ok(moderator, "question.close", {"question": wall})

        # The Q&A item: the pinned question big, the top open ones under it.
        _ok(moderator, "live.goto", {"item": "panel-qa"})
        asked = [
            (
                phones[0],
                "How do you keep a city council engaged after an election?",
                "amara-diallo",
            ),
            (
                phones[1],
                "Comment financer une coopérative sans subvention publique ?",
                "amara-diallo",
            ),
            (
                phones[2],
                "지방정부와 협동조합의 협력에서 가장 어려운 점은 무엇인가요?",
                "min-jun-park",
            ),
            (phones[3], "What would you do differently if you started again?", None),
        ]
        ids = []
        for phone, text, speaker in asked:
            payload: dict[str, Any] = {"text": text}
            if speaker:
                payload["speaker"] = speaker
            ids.append(_ok(phone, "qa.ask", payload)["question"])
        for voter in phones[4:9]:
            _ok(voter, "qa.vote", {"question": ids[1]})
        for voter in phones[4:6]:
            _ok(voter, "qa.vote", {"question": ids[0]})
        _ok(phones[7], "qa.vote", {"question": ids[2]})
        projector.wait_for_selector("#qa-board:not([hidden]) .qa-big", timeout=WAIT_MS)
        _text(projector, ".qa-big-text", asked[1][1])  # the most voted, while none is pinned
        _ok(moderator, "qa.pin", {"question": ids[2]})
        _text(projector, ".qa-big-text", asked[2][1])
        assert projector.locator(".qa-big .qa-pinned").is_visible()
        assert projector.locator(".qa-big-text").get_attribute("lang") == "ko"
        projector.wait_for_function(
            "() => [...document.querySelectorAll('.qa-item-text')].map(n => n.textContent)"
            ".join('|') === " + repr("|".join([asked[1][1], asked[0][1], asked[3][1]])),
            timeout=WAIT_MS,
        )
        languages = projector.locator(".qa-item .qa-language").all_inner_texts()
        assert languages == ["French", "English", "English"]
        assert "For Min-jun Park" in projector.locator(".qa-big .qa-meta").inner_text()
        check_accessibility(projector, "projector with the Q&A")
        projector.screenshot(path=str(artifacts / "projector-qa-pinned.png"))
        assert errors == []

        # The speaker's tablet: Amara's questions by votes; a new vote reorders it live.
        link = _ok(moderator, "qa.speaker_link", {"speaker": "amara-diallo"})
        tablet_context = browser.new_context(
            viewport={"width": 1180, "height": 820}, device_scale_factor=2, has_touch=True
        )
        tablet = tablet_context.new_page()
        tablet.on("pageerror", lambda error: errors.append(str(error)))
        tablet.goto(f"{live_server.url}/speaker/{link['token']}")
        texts = tablet.locator("#speaker-questions .speaker-text").all_inner_texts()
        assert texts == [asked[1][1], asked[0][1]]
        assert tablet.locator("#speaker-questions .speaker-votes-n").all_inner_texts() == ["5", "2"]
        for voter in phones[6:]:
            _ok(voter, "qa.vote", {"question": ids[0]})
        tablet.wait_for_function(
            "() => document.querySelector('#speaker-questions .speaker-votes-n')"
            ".textContent === '7'",
            timeout=WAIT_MS,
        )
        assert tablet.locator("#speaker-questions .speaker-text").first.inner_text() == asked[0][1]
        _ok(
            moderator,
            "qa.answer",
            {"question": ids[1], "by_person": "amara-diallo", "text": "Through revolving funds."},
        )
        tablet.wait_for_selector("#speaker-answered:not([hidden])", timeout=WAIT_MS)
        check_accessibility(tablet, "speaker's tablet")
        tablet.screenshot(path=str(artifacts / "speaker-tablet.png"), full_page=True)
        assert errors == []

        # 1280x720: the same projector, smaller, nothing cut.
        projector.set_viewport_size({"width": 1280, "height": 720})
        projector.wait_for_timeout(400)
        projector.screenshot(path=str(artifacts / "projector-qa-720p.png"))
        tablet_context.close()
        projector_context.close()
    finally:
        for phone in phones:
            phone.close()
        moderator.close()
