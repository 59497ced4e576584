"""Breakout groups in Chromium (issue 11): six phones (three in English, three in French)
are put in two groups by language from the moderator's console; one group adds, moves,
merges and votes cards, two members edit the same card at once and the second sees both
texts; a member calls the moderator; the close countdown runs on every phone and the
projector, after which the boards are read-only; the report-back shows a group, its
synthesis, its top cards and the room's radar on the projector. A seventh phone (French)
joining after the groups opened is placed in the French group by the rule, without the
moderator, who then moves him by tap on the overview to the English group (his phone
follows); the moderator sets a phase with a deadline (counted down on the phones and the
overview) and changes a group's name and blocks while it works; the synthesis is markdown
on the console and the projector, where a participant's HTML stays text. axe on every
screen; screenshots of a phone's board, the overview (laptop and tablet), a group's board on
the console, the projector while the groups work, the report-back and the groups' part of
the record's review."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.browser.conftest import LiveServer, check_accessibility
from tests.browser.test_agenda_in_browser import log_in
from tests.browser.test_live_in_browser import PHONE, WAIT_MS, page_data

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
# The UNRISD/GSEF session whose breakout item works on the eight guideline blocks.
SEED = ROOT / "sessions" / "2021-integrated-territorial-systems-sse.yaml"
SLUG = "breakouts-in-browser"
LAPTOP = {"width": 1440, "height": 1000}
TABLET = {"width": 1024, "height": 1366}


def join(browser: Any, url: str, locale: str, name: str) -> tuple[Any, Any]:
    """Joins from a phone (test_live_in_browser checks the join page itself)."""
    context = browser.new_context(locale=locale, **PHONE)
    page = context.new_page()
    page.goto(url)
    page.locator("input[name=display_name]").fill(name)
    page.locator("form button[type=submit]").click()
    page.locator("#status").wait_for()
    return context, page


def drag(page: Any, source: Any, target: Any) -> None:
    """A mouse drag in small steps, as a hand makes it (SortableJS follows pointer moves)."""
    start = source.bounding_box()
    end = target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(start["x"] + start["width"] / 2 + 10, start["y"] + start["height"] / 2, steps=3)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=12)
    page.mouse.up()


def ana_group_name(page: Any) -> str:
    """The other group's name as this phone writes it (Group 1, Groupe 1…)."""
    name: str = page.evaluate(
        "() => [...document.querySelectorAll('.bo-gallery button')]"
        ".map((b) => b.textContent).find((t) => t !== document.querySelector('#bo-group-name')"
        ".textContent)"
    )
    return name


def open_forming(console: Any) -> None:
    """Unfolds the console's breakouts, unless the console did already: it unfolds them
    itself on a breakout item once its snapshot says so, which may come after a click."""
    form = console.locator("#bo-mode")
    for _ in range(5):
        if form.is_visible():
            return
        console.locator("#breakouts summary").click()
        console.wait_for_timeout(300)
    form.wait_for(state="visible", timeout=WAIT_MS)


def wait_for(page: Any, script: str, arg: Any = None) -> None:
    page.wait_for_function(script, arg=arg, timeout=WAIT_MS)


def card(page: Any, text: str) -> Any:
    return page.locator(".bo-card", has=page.locator(".bo-card-main", has_text=text)).first


def add_card(page: Any, column: int, text: str) -> None:
    box = page.locator(".bo-column").nth(column)
    box.locator("textarea").last.fill(text)
    box.locator("form.bo-editor button[type=submit]").last.click()
    card(page, text).wait_for(timeout=WAIT_MS)


def column_of(page: Any, text: str) -> int:
    index: int = page.evaluate(
        """(text) => [...document.querySelectorAll('.bo-column')].findIndex((column) =>
            [...column.querySelectorAll('.bo-cards > .bo-card > .bo-card-main .bo-card-text')]
              .some((node) => node.textContent === text))""",
        text,
    )
    return index


def console_on_seed(
    browser: Any, live_server: LiveServer, tmp_path: Path, slug: str, **context: Any
) -> tuple[Any, Any, dict[str, Any], dict[str, Any]]:
    """The seed uploaded as a workshop of its own (other tests upload it as it is) and its
    console open, online: (the console's context, its page, its page data, the agenda)."""
    agenda = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    agenda["slug"] = slug
    upload = tmp_path / f"{slug}.yaml"
    upload.write_text(yaml.safe_dump(agenda, allow_unicode=True), encoding="utf-8")
    console_context = browser.new_context(locale="en-GB", **context)
    console = console_context.new_page()
    log_in(console, live_server)
    console.set_input_files("input[type=file]", str(upload))
    console.locator("form:has(input[type=file]) button[type=submit]").click()
    console.wait_for_url(f"{live_server.url}/w/{slug}")
    console.goto(f"{live_server.url}/w/{slug}/console")
    console.wait_for_selector("#connection[data-status=online]", timeout=WAIT_MS)
    return console_context, console, page_data(console), agenda


def test_breakouts_from_forming_to_report_back(
    browser: Any, live_server: LiveServer, artifacts: Path, tmp_path: Path
) -> None:
    console_context, console, data, agenda = console_on_seed(
        browser, live_server, tmp_path, SLUG, viewport=LAPTOP
    )

    display_context = browser.new_context(viewport={"width": 1920, "height": 1080})
    display = display_context.new_page()
    display.goto(data["display_url"])
    display.wait_for_selector("#online[data-status=online]", timeout=WAIT_MS)

    names = {"en-GB": ["Ana", "Ben", "Cleo"], "fr-FR": ["Denis", "Élise", "Fanny"]}
    phones: dict[str, Any] = {}
    contexts = []
    for locale, people in names.items():
        for name in people:
            context, page = join(browser, data["join"]["url"], locale, name)
            contexts.append(context)
            phones[name] = page
    for page in phones.values():
        page.wait_for_selector("#status.status-online", timeout=WAIT_MS)
    ana, ben, cleo, denis = phones["Ana"], phones["Ben"], phones["Cleo"], phones["Denis"]

    # The session runs, on its breakout item.
    console.on("dialog", lambda dialog: dialog.accept())
    console.locator("#btn-advance").click()
    wait_for(console, "() => document.body.dataset.phase === 'running'")
    console.locator(".run-go[data-item=breakout]").click()
    breakout_title = next(i["title"] for i in agenda["program"] if i["id"] == "breakout")
    wait_for(
        ana, "(t) => document.querySelector('#item-title').textContent.trim() === t", breakout_title
    )

    # --- forming by language, a person dragged to the other group and moved back by tap --
    open_forming(console)
    console.select_option("#bo-mode", "language")
    console.locator("#bo-number").fill("2")
    console.locator(".bo-forming button[type=submit]").click()
    wait_for(
        console,
        "() => document.querySelectorAll('.bo-form-group[data-group] .bo-person').length === 6",
    )
    languages = console.evaluate(
        """() => [...document.querySelectorAll('.bo-form-group[data-group]')].map((group) =>
            [...group.querySelectorAll('.bo-person .bo-tag')].map((tag) => tag.textContent))"""
    )
    assert sorted(sorted(set(tags)) for tags in languages) == [["en"], ["fr"]], languages
    first_person = console.locator(".bo-form-group[data-group]").first.locator(".bo-person").first
    moved = first_person.get_attribute("data-participant")
    second = console.locator(".bo-form-group[data-group]").nth(1)
    second.locator(".bo-people").scroll_into_view_if_needed()
    drag(console, first_person.locator(".bo-person-name"), second.locator(".bo-people"))
    second.locator(f".bo-person[data-participant='{moved}']").wait_for(timeout=WAIT_MS)
    console.locator(f".bo-person[data-participant='{moved}'] button").click()
    console.locator(".bo-form-group[data-group]").first.locator(".bo-move-here").click()
    console.locator(".bo-form-group[data-group]").first.locator(
        f".bo-person[data-participant='{moved}']"
    ).wait_for(timeout=WAIT_MS)
    check_accessibility(console, "console, forming groups")
    console.locator(".bo-open").click()

    for page in phones.values():
        page.locator("#bo-group-name").wait_for(timeout=WAIT_MS)
    group_of = {
        name: page.locator("#bo-group-name").get_attribute("data-group")
        for name, page in phones.items()
    }
    assert group_of["Ana"] == group_of["Ben"] == group_of["Cleo"]
    assert group_of["Denis"] == group_of["Élise"] == group_of["Fanny"]
    assert group_of["Ana"] != group_of["Denis"]
    check_accessibility(denis, "phone in its group (fr)")

    # --- a late joiner: placed by the rule (French), the moderator moving no one --------
    late_context, gaston = join(browser, data["join"]["url"], "fr-FR", "Gaston")
    contexts.append(late_context)
    gaston.locator("#bo-group-name").wait_for(timeout=WAIT_MS)
    assert gaston.locator("#bo-group-name").get_attribute("data-group") == group_of["Denis"]

    # --- the moderator moves him by tap on the overview while the groups work; his phone
    # follows at once (he wanted the English group) ---------------------------------------
    french_tile = console.locator(f".bo-tile[data-group='{group_of['Denis']}']")
    english_tile = console.locator(f".bo-tile[data-group='{group_of['Ana']}']")
    french_tile.locator(".bo-chip", has_text="Gaston").click()
    console.locator(".bo-running .bo-notice", has_text="Gaston").wait_for(timeout=WAIT_MS)
    assert french_tile.locator(".bo-move-here").count() == 0
    english_tile.locator(".bo-move-here").click()
    wait_for(
        gaston,
        "(id) => document.querySelector('#bo-group-name').dataset.group === id",
        group_of["Ana"],
    )
    english_tile.locator(".bo-chip", has_text="Gaston").wait_for(timeout=WAIT_MS)
    # Placed by a rule, nobody can be left out of the groups: his phone would ask again.
    assert console.locator(".bo-tile.bo-unplaced").count() == 0

    # --- the projector while the groups work: every group, the groups' shared timer, and
    # still the join code (late joiners are placed as they come) ---------------------------
    console.locator("#bo-minutes").fill("10")
    console.locator(".bo-control:has(#bo-minutes) button[type=submit]").click()
    tiles = display.locator(".bo-screen-working .bo-screen-tile")
    tiles.nth(1).wait_for(timeout=WAIT_MS)
    assert tiles.count() == 2
    assert (
        "4 members"
        in display.locator(f".bo-screen-tile[data-group='{group_of['Ana']}']").inner_text()
    )
    shared = display.locator(".bo-screen-shared-clock")
    shared.wait_for(timeout=WAIT_MS)
    assert re.fullmatch(r"10:00|9:[0-5]\d", shared.inner_text()), shared.inner_text()
    assert display.locator("#qr").is_visible() and display.locator("#timer").is_visible()
    check_accessibility(display, "projector, groups at work")
    display.screenshot(path=str(artifacts / "breakouts-projector-working.png"))

    # --- cards: add, move by tap, merge by tap; the other group sees none of it ---------
    add_card(ana, 0, "Few local SSE laws")
    add_card(ana, 0, "No budget line for SSE")
    add_card(ben, 0, "Cooperatives are not consulted")
    for page in (ben, cleo):
        card(page, "No budget line for SSE").wait_for(timeout=WAIT_MS)
    add_card(denis, 0, "Peu de marchés publics")

    card(ana, "No budget line for SSE").locator(".bo-card-main").click()
    ana.locator(".bo-actions button", has_text=re.compile("2")).first.click()
    wait_for(
        ben,
        """() => [...document.querySelectorAll('.bo-column')][1]
            .textContent.includes('No budget line for SSE')""",
    )
    assert column_of(ana, "No budget line for SSE") == 1

    card(ben, "Cooperatives are not consulted").locator(".bo-card-main").click()
    ben.locator(".bo-actions button").last.click()  # Merge into…
    ben.locator(".bo-merging").wait_for(timeout=WAIT_MS)
    card(ben, "Few local SSE laws").locator(".bo-card-main").click()
    wait_for(
        ana,
        """() => [...document.querySelectorAll('.bo-merged')]
            .some((list) => list.textContent.includes('Cooperatives are not consulted'))""",
    )
    assert "Few local SSE laws" not in denis.locator("#breakouts").inner_text()
    assert "Peu de marchés publics" not in ana.locator("#breakouts").inner_text()

    # --- a conflict: the rapporteur and the author edit the same card at once ----------
    cleo.locator(".bo-rapporteur button").click()
    wait_for(cleo, "() => document.querySelector('.bo-phase-set') !== null")
    card(ana, "Few local SSE laws").locator(".bo-card-main").click()
    card(cleo, "Few local SSE laws").locator(".bo-card-main").click()
    card(ana, "Few local SSE laws").locator(".bo-actions button").first.click()  # Edit
    card(cleo, "Few local SSE laws").locator(".bo-actions button").first.click()
    ana.locator(".bo-card-editing textarea").fill("Few local SSE laws, none enforced")
    cleo.locator(".bo-card-editing textarea").fill("Local SSE laws are missing")
    ana.locator(".bo-card-editing button[type=submit]").click()
    card(ben, "Few local SSE laws, none enforced").wait_for(timeout=WAIT_MS)
    cleo.wait_for_timeout(300)  # Cleo's phone has the new version too: she still edits the old
    cleo.locator(".bo-card-editing button[type=submit]").click()
    dialog = cleo.locator("dialog.bo-dialog")
    dialog.wait_for(timeout=WAIT_MS)
    assert dialog.locator("[data-which=theirs]").inner_text() == "Few local SSE laws, none enforced"
    assert dialog.locator("[data-which=mine]").inner_text() == "Local SSE laws are missing"
    check_accessibility(cleo, "phone, conflict dialog")
    dialog.locator(".bo-primary").click()  # keep my text
    card(ana, "Local SSE laws are missing").wait_for(timeout=WAIT_MS)

    # --- a help request, seen on the console until answered ----------------------------
    denis.locator(".bo-help-button").click()
    console.locator(".bo-help-request", has_text="Denis").wait_for(timeout=WAIT_MS)

    # --- voting (with a 5 minutes' deadline), dots left; an assessment and the synthesis -
    console.select_option("#bo-deadline", "5")
    console.locator("#bo-votes").fill("4")  # four dots a member instead of three
    console.locator(".bo-control [role=group] button", has_text="Vote").first.click()
    ana.locator(".bo-vote").first.wait_for(timeout=WAIT_MS)
    deadline = re.compile(r"\b(5:00|4:[0-5]\d)\b")
    assert deadline.search(ana.locator(".bo-deadline").inner_text()), ana.locator(
        ".bo-deadline"
    ).inner_text()
    gaston.locator(".bo-deadline").wait_for(timeout=WAIT_MS)
    assert deadline.search(gaston.locator(".bo-deadline").inner_text())
    wait_for(ana, "() => document.querySelector('.bo-votes-left').dataset.left === '4'")
    card(ana, "Local SSE laws are missing").locator(".bo-vote").click()
    wait_for(ana, "() => document.querySelector('.bo-votes-left').dataset.left === '3'")
    card(ben, "Local SSE laws are missing").locator(".bo-vote").click()
    card(ben, "No budget line for SSE").locator(".bo-vote").click()
    wait_for(ben, "() => document.querySelector('.bo-votes-left').dataset.left === '2'")
    wait_for(
        ana,
        """() => [...document.querySelectorAll('.bo-card-meta')]
            .some((node) => node.textContent.includes('2'))""",
    )
    # Ana says where she is from: the room's radar gets a line for her territory.
    if not ana.locator("#profile-form").is_visible():
        ana.locator("#profile summary").click()
    ana.select_option("#profile-country", "BR")
    ana.locator("#profile-form button[type=submit]").click()
    ana.locator("#profile-status", has_text="Saved").wait_for(state="attached", timeout=WAIT_MS)
    ana.locator(".bo-scale").first.locator("button", has_text="2").click()
    cleo.locator(".bo-scale").first.locator("button", has_text="4").click()
    wait_for(ana, "() => document.querySelector('.bo-distribution') !== null")
    # Markdown, and HTML a participant might type: text on every screen, never elements.
    synthesis = (
        "**Laws exist on paper**; budgets and consultation are missing.\n\n"
        "- <img src=x onerror=alert(1)>\n- <script>alert(2)</script>"
    )
    cleo.locator(".bo-panel textarea[id^=bo-synthesis]").fill(synthesis)
    cleo.locator(".bo-panel:has(textarea[id^=bo-synthesis]) button[type=submit]").click()
    wait_for(
        ana, "(text) => document.querySelector('#breakouts').textContent.includes(text)", synthesis
    )
    check_accessibility(ana, "phone, board while voting")
    ana.screenshot(path=str(artifacts / "breakouts-phone-board.png"), full_page=True)
    assert ana.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")

    # --- the moderator's overview on a laptop and a tablet -----------------------------
    wait_for(console, "() => document.querySelectorAll('.bo-tile').length === 2")
    wait_for(
        console,
        "() => document.querySelector('.bo-tile-synthesis strong') !== null",
    )
    tile_synthesis = console.locator(".bo-tile-synthesis")
    assert tile_synthesis.locator("strong").inner_text() == "Laws exist on paper"
    assert tile_synthesis.locator("li").all_inner_texts() == [
        "<img src=x onerror=alert(1)>",
        "<script>alert(2)</script>",
    ]
    assert console.locator("#breakouts img, #breakouts script").count() == 0
    assert deadline.search(console.locator(".bo-tile-deadline").first.inner_text())
    check_accessibility(console, "console, overview of the groups")
    console.locator("#breakouts").screenshot(path=str(artifacts / "breakouts-overview-laptop.png"))
    console.set_viewport_size(TABLET)
    console.locator("#breakouts").screenshot(path=str(artifacts / "breakouts-overview-tablet.png"))
    assert console.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    console.set_viewport_size(LAPTOP)
    help_request = console.locator(".bo-help-request", has_text="Denis")
    help_request.locator("button").last.click()  # Answered
    help_request.wait_for(state="detached", timeout=WAIT_MS)

    # The moderator opens a group's board and writes in it; its members see the card.
    console.locator(f".bo-tile[data-group='{group_of['Ana']}'] .bo-open-board").click()
    # ... renames it and gives it a second block while it works: the phones follow.
    tabs = ana.locator(".bo-board > .bo-tabs button").count()  # its blocks, one tab each
    console.locator(".bo-settings summary").click()
    console.locator("#bo-open-name").fill("Lawmakers")
    console.locator(".bo-block-choice input:not(:checked)").first.check()
    console.locator(".bo-settings-form button[type=submit]").click()
    wait_for(ana, "() => document.querySelector('#bo-group-name').textContent === 'Lawmakers'")
    wait_for(
        ana,
        "(n) => document.querySelectorAll('.bo-board > .bo-tabs button').length === n",
        tabs + 1,
    )
    add_card(console, 2, "Ask the region about its 2019 law")
    card(ana, "Ask the region about its 2019 law").wait_for(timeout=WAIT_MS)
    console.locator("#bo-meeting").fill("https://meet.example.org/group-1")
    console.locator(".bo-meeting button").click()
    ana.locator("a[href='https://meet.example.org/group-1']").wait_for(timeout=WAIT_MS)
    assert denis.locator("a[href='https://meet.example.org/group-1']").count() == 0
    check_accessibility(console, "console, a group's board")
    console.locator(".bo-open-board-panel").screenshot(
        path=str(artifacts / "breakouts-console-board.png")
    )
    console.locator(".bo-open-board-panel button").first.click()  # back to every group

    # --- the close countdown on every phone and the projector, then read-only ---------
    console.locator("#bo-close-seconds").fill("4")
    console.locator(".bo-close").click()
    for page in phones.values():
        page.locator(".bo-countdown").wait_for(timeout=WAIT_MS)
    display.locator(".bo-screen-countdown").wait_for(timeout=WAIT_MS)
    check_accessibility(display, "projector, close countdown")
    for page in (ana, denis):
        page.locator(".bo-countdown").wait_for(state="detached", timeout=WAIT_MS)
        wait_for(page, "() => document.querySelectorAll('.bo-column form.bo-editor').length === 0")

    # --- a gallery walk: the French group reads the English group's board, no more ------
    console.locator(".bo-control button", has_text="gallery").click()
    denis.locator(".bo-gallery").wait_for(timeout=WAIT_MS)
    denis.locator(f".bo-gallery button:text-is('{ana_group_name(denis)}')").click()
    card(denis, "No budget line for SSE").wait_for(timeout=WAIT_MS)
    assert denis.locator(".bo-gallery-board form").count() == 0
    assert denis.locator(".bo-gallery-board .bo-vote").count() == 0
    check_accessibility(denis, "phone, gallery walk")
    console.locator(".bo-control button", has_text="gallery").click()
    denis.locator(".bo-gallery").wait_for(state="detached", timeout=WAIT_MS)

    # --- report-back: the projector and the phones show the same group -----------------
    console.locator(".bo-report-next").click()
    display.locator("#bo-screen-group").wait_for(timeout=WAIT_MS)
    presented = display.locator("#bo-screen-group").get_attribute("data-group")
    assert presented in (group_of["Ana"], group_of["Denis"])
    if presented != group_of["Ana"]:
        console.locator(".bo-report-next").click()
        wait_for(
            display,
            "(id) => document.querySelector('#bo-screen-group').dataset.group === id",
            group_of["Ana"],
        )
    wait_for(display, "() => document.querySelector('.bo-screen-md strong') !== null")
    assert display.locator(".bo-screen-md strong").inner_text() == "Laws exist on paper"
    assert "<img src=x onerror=alert(1)>" in display.locator(".bo-screen-md").inner_text()
    assert display.locator(".bo-screen-md img, .bo-screen-md script").count() == 0
    assert display.locator(".bo-screen-card").count() >= 2
    assert display.locator(".bo-radar canvas").count() == 1
    assert display.locator(".bo-radar").get_attribute("data-series") == "2"  # room, Brazil
    for page in (ana, denis):
        wait_for(
            page,
            "(id) => { const t = document.querySelector('#bo-report-title');"
            " return t !== null && t.dataset.group === id; }",
            group_of["Ana"],
        )
    check_accessibility(display, "projector, report-back")
    check_accessibility(denis, "phone, report-back")
    display.screenshot(path=str(artifacts / "breakouts-report-back.png"))

    # --- the record's review: each group's output with its figures, the room's radar ----
    console.goto(f"{live_server.url}/w/{SLUG}/record/review")
    review = console.locator("section[aria-labelledby=h-breakouts]")
    review.locator(".group-output").first.wait_for(timeout=WAIT_MS)
    titles = review.locator(".entry-head strong").all_inner_texts()
    assert any(t.startswith("Round 1 · Lawmakers: ") for t in titles), titles
    assert any(re.match(r"Round 1 · Group [12]: ", t) for t in titles), titles  # unnamed
    lawmakers = review.locator(".entry", has_text="Lawmakers")
    top = lawmakers.locator(".top-cards > li").all_inner_texts()
    assert top[0].startswith("Local SSE laws are missing (Votes: 2)"), top
    assert lawmakers.locator("textarea").input_value().startswith("**Laws exist on paper**")
    assert lawmakers.locator("meter").count() >= 1  # the group's self-assessment
    radar = review.locator("table.results:not(.territories)").last
    assert radar.locator("caption").inner_text() == "Self-assessment of the blocks, whole room"
    assert radar.locator("meter").count() >= 1
    by_territory = review.locator("table.territories")
    assert by_territory.locator("thead th").all_inner_texts()[1:] == ["Whole room", "Brazil"]
    assert by_territory.locator("tbody tr").first.locator("td").all_inner_texts() == [
        "3.0 (2)",
        "2.0 (1)",
    ]
    check_accessibility(console, "record review, breakout groups")
    review.screenshot(path=str(artifacts / "record-review-breakouts.png"))

    for context in contexts:
        context.close()
    display_context.close()
    console_context.close()
