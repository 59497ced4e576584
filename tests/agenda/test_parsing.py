"""Reading agenda files: every invalid file is refused at the right place, valid ones round-trip.

Each file in invalid/ starts with `# expect: LINE:COL: PATH: fragment`; the
problems reported for it must include one at that line, column and path whose
message contains the fragment (PATH is empty for problems of the file as a
whole).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.extract import extract_from_file

from facilitator.agenda.errors import MAX_PROBLEMS, AgendaError, Problem
from facilitator.agenda.parsing import MAX_SOURCE_BYTES, ParsedAgenda, parse_agenda, source
from facilitator.agenda.parsing import messages as agenda_messages
from facilitator.agenda.schema import MAX_PROGRAM_ITEMS, dump_yaml

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
INVALID = sorted((HERE / "invalid").glob("*.yaml"))
VALID_FILES = sorted([*(ROOT / "sessions").glob("*.yaml"), *(HERE / "fixtures").glob("*.yaml")])
EXPECT = re.compile(r"# expect: (\d+):(\d+): (\S*): (.+)")
AGENDA_MODULES = sorted(
    path
    for package in ("schema", "parsing")
    for path in (ROOT / "facilitator" / "agenda" / package).glob("*.py")
)

MINIMAL = """\
format: facilitator/agenda@1
slug: test-workshop
title: Test workshop
languages: [en]
timezone: Asia/Seoul
days:
  - {date: 2021-10-08, start: "18:00", end: "19:30"}
program:
  - {id: welcome, start: "18:00", end: "18:10", title: Welcome, kind: introduction}
"""

COMPLETE = """\
format: facilitator/agenda@1
slug: sse-alliances-2021
title:
  en: Initiatives and alliances between local governments and SSE actors
  fr: Initiatives et alliances entre collectivités locales et acteurs de l'ESS
  pt-BR: Iniciativas e alianças entre governos locais e atores da ESS
event: GSEF Global Virtual Forum 2021
reference: "2.3.2"
thematic_line: {en: Territorial economic models, fr: Modèles économiques territoriaux}
kind: co-creation
languages: [en, fr, pt-BR]
interpretation: [en, fr, ko]
timezone: Asia/Seoul
show_timezones: [UTC, Europe/Paris]
days:
  - date: 2021-10-08
    start: 18:00
    end: "19:30"
    title: {en: Day 1 — platforms, fr: Jour 1 — plateformes}
  - {date: 2021-10-09, start: "09:00", end: "12:00"}
venue: online
meeting_url: https://example.org/meeting/123
audience: |
  Policy makers from **local governments**, practitioners of cooperatives
  and mutual associations, and all interested.
background:
  en: |
    One of the principles of the SSE is *intercooperation*.

    It is essential today.
  fr: Un des principes de l'ESS est l'intercoopération.
objectives:
  - Share experiences of alliances.
  - {en: Build a shared agenda, fr: Construire un agenda commun}
main_question: How can local governments and SSE actors build alliances?
guiding_questions:
  - id: benefit
    text: What is the tangible benefit of cooperation networks in the SSE sector?
  - {id: keywords, text: Three words for a good alliance, type: words}
  - id: priority
    text: Which area matters most?
    type: choice
    options: [Finance, {en: Public procurement, fr: Marchés publics}, Training]
  - {id: tools, text: Which tools do you use?, type: multi, options: [Email, Chat, Video]}
  - id: maturity
    text: How mature is the SSE ecosystem in your territory?
    type: scale
    scale: {min: 1, max: 5, min_label: Emerging, max_label: {en: Mature, fr: Mûr}}
people:
  - id: young-kim
    name: Young Kim
    roles: [speaker]
    title: Executive Director
    organisation: SSEGOV
    organisation_type: local-government-network
    country: KR
    email: someone@example.org
    presentation:
      title: Network of local governments promoting SSE
      abstract: |
        How **SSEGOV** works with its members.
      materials:
        - {label: Slides, url: https://example.org/en.pdf, language: en}
        - {label: Diapositives, url: https://example.org/fr.pdf, language: fr}
  - {id: maria, name: María Pérez, roles: [moderator, rapporteur], country: MX}
  - {id: lee, name: Lee, roles: [panelist, organiser]}
program:
  - {id: opening, start: "18:00", duration: 10m, title: Opening, kind: logistics, people: [maria]}
  - id: speaker-1
    start: "18:10"
    end: "18:25"
    title: Network of local governments promoting SSE
    kind: presentation
    people: [young-kim]
    questions: [benefit]
    notes: Keep to **15 minutes**.
  - {id: words, start: "18:30", duration: 5m, title: Word cloud, kind: discussion,
     questions: [keywords, priority, tools, maturity]}
  - {id: qa, start: "18:35", end: "19:30", title: Questions, kind: qa, people: [young-kim, lee]}
  - {id: breakout, day: 2, start: "09:00", duration: 1h30m, title: Groups, kind: breakout,
     blocks: [legal, finance]}
  - {id: coffee, day: 2, start: "10:30", duration: 15m, title: Break, kind: break}
  - {id: closing, day: 2, start: "11:30", end: "12:00", title: Closing, kind: closing}
guideline_blocks:
  - id: legal
    title: {en: Legal and institutional frameworks, fr: Cadres juridiques et institutionnels}
    description: Laws that recognise SSE.
    prompts:
      - What is the current situation in your territory?
      - {en: What are the main challenges?, fr: Quels sont les principaux défis ?}
    assessment: {min: 1, max: 5, min_label: Not in place, max_label: Fully in place}
  - {id: finance, title: Access to finance}
case_studies:
  - id: liverpool
    title: Shaping the Strategic Direction of the Liverpool City Region Social Economy
    description: A study of the *social economy* of the region.
    territory: Liverpool City Region, GB
    organisations:
      - name: University of Liverpool
        type: academic-institution
        people:
          - {name: Alan Southern, title: Co-Director of Heseltine Institute}
      - {name: Liverpool City Region Combined Authority}
expected_participants: 80
"""


def _expectation(path: Path) -> tuple[int, int, str, str]:
    first_line = path.read_bytes().split(b"\n", 1)[0].decode("ascii")
    match = EXPECT.fullmatch(first_line)
    assert match, f"{path.name}: the first line must be '# expect: LINE:COL: PATH: fragment'"
    line, column, field_path, fragment = match.groups()
    return int(line), int(column), field_path, fragment


def _problems(source: bytes | str) -> list[Problem]:
    with pytest.raises(AgendaError) as caught:
        parse_agenda(source, "test.yaml")
    return caught.value.problems


@pytest.fixture(params=["libyaml", "python"])
def yaml_loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run with libyaml's loader (the default when present) and with PyYAML's own."""
    if request.param == "python":
        monkeypatch.setattr(source, "_LOADER", yaml.SafeLoader)
    elif not yaml.__with_libyaml__:
        pytest.skip("PyYAML was built without libyaml")
    yield request.param


# --- Invalid files ---------------------------------------------------------------


def test_there_are_invalid_files() -> None:
    assert len(INVALID) >= 100


@pytest.mark.parametrize("path", INVALID, ids=[path.stem for path in INVALID])
def test_invalid_file_is_refused_at_the_expected_place(path: Path, yaml_loader: str) -> None:
    line, column, field_path, fragment = _expectation(path)
    problems = _problems(path.read_bytes())
    found = [
        problem
        for problem in problems
        if (problem.line, problem.column, problem.path) == (line, column, field_path)
        and fragment in problem.message
    ]
    assert found, "\n".join(problem.format(path.name) for problem in problems)


def test_problems_of_invalid_files_use_marked_templates() -> None:
    """Every message shown comes from an N_(...) template, so it can be translated."""
    marked = {
        message
        for module in AGENDA_MODULES
        for _, message, _, _ in extract_from_file("python", module, keywords={"N_": None})
    }
    shown = {problem.template for path in INVALID for problem in _problems(path.read_bytes())}
    assert shown <= marked, shown - marked
    assert "this value is not valid: %(detail)s" not in shown, "an untranslated pydantic error"


# --- Limits ---------------------------------------------------------------------


def test_a_file_over_one_mebibyte_is_refused_before_parsing() -> None:
    source = (MINIMAL + "# padding\n" * (MAX_SOURCE_BYTES // 10)).encode()
    assert len(source) > MAX_SOURCE_BYTES
    problems = _problems(source)
    assert [(p.line, p.column, p.path) for p in problems] == [(1, 1, "")]
    assert "larger than 1 MiB" in problems[0].message
    assert "larger than 1 MiB" in _problems(source.decode())[0].message


def test_a_file_of_exactly_one_mebibyte_is_read() -> None:
    padding = MAX_SOURCE_BYTES - len(MINIMAL.encode()) - 2
    source = MINIMAL + "#" + "x" * padding + "\n"
    assert len(source.encode()) == MAX_SOURCE_BYTES
    assert parse_agenda(source).agenda.slug == "test-workshop"


def test_an_alias_bomb_is_refused_fast(yaml_loader: str) -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 20):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    problems = _problems("\n".join(lines) + "\n")  # expanded, it would never end
    assert "aliases (*name) expand to more than 10000 values" in problems[0].message


def test_deep_nesting_is_refused_without_crashing(yaml_loader: str) -> None:
    problems = _problems("a: " + "[" * 200_000 + "]" * 200_000 + "\n")
    assert problems[0].message == "the file is nested too deeply"


def _program(count: int, *, day: int = 1) -> str:
    return "".join(
        f'  - {{id: i{day}-{n}, day: {day}, start: "{n // 60:02}:{n % 60:02}",'
        f" duration: 1m, title: T, kind: qa}}\n"
        for n in range(count)
    )


def _many_days_agenda(items_per_day: list[int]) -> str:
    days = "".join(
        f'  - {{date: 2021-10-{number:02}, start: "00:00", end: "23:59"}}\n'
        for number in range(1, len(items_per_day) + 1)
    )
    program = "".join(_program(count, day=n) for n, count in enumerate(items_per_day, 1))
    return (
        "format: facilitator/agenda@1\nslug: many-items\ntitle: Many\nlanguages: [en]\n"
        f"timezone: UTC\ndays:\n{days}program:\n{program}"
    )


def test_more_than_two_thousand_program_items_are_refused() -> None:
    source = _many_days_agenda([1000, 1001])
    problems = _problems(source)
    assert len(problems) == 1
    assert (problems[0].line, problems[0].column) == (10, 3)  # the first item
    assert problems[0].message == "the program has 2001 items; at most 2000 are allowed"


def test_two_thousand_program_items_are_read() -> None:
    parsed = parse_agenda(_many_days_agenda([1000, 1000]))
    assert len(parsed.agenda.program) == MAX_PROGRAM_ITEMS


# --- Messages -------------------------------------------------------------------


def test_the_format_page_example_is_printed_exactly() -> None:
    items = "".join(
        f'  - {{id: item-{n}, start: "18:1{n}", end: "18:1{n + 1}", title: T, kind: qa}}\n'
        for n in (1, 2)
    )
    speaker = (
        '  - id: speaker-1\n    start: "18:20"\n    end: "18:30"\n    title: Talk\n'
        "    kind: presentation\n    people:\n"
    )
    before = MINIMAL + items + speaker
    padding = "    # (padding)\n" * (41 - before.count("\n"))
    people = "people:\n  - {id: young-kim, name: Young Kim, roles: [moderator]}\n"
    source = before + padding + "    - young-kimm\n" + people
    with pytest.raises(AgendaError) as caught:
        parse_agenda(source, "sessions/example.yaml")
    assert str(caught.value) == (
        "sessions/example.yaml:42:7: program[3].people[0]:"
        " unknown person 'young-kimm' (did you mean 'young-kim'?)"
    )


def test_all_problems_are_reported_at_once_in_line_order() -> None:
    source = (
        MINIMAL.replace("slug: test-workshop", "slug: Test")
        .replace("timezone: Asia/Seoul", "timezone: Asia/Seol")
        .replace("kind: introduction", "kind: intro")
    )
    source += "titel: typo\n"
    problems = _problems(source)
    assert [(p.line, p.path) for p in problems] == [
        (2, "slug"),
        (5, "timezone"),
        (9, "program[0].kind"),
        (10, "titel"),
    ]


def test_every_cross_field_problem_is_reported_at_once() -> None:
    source = MINIMAL + (
        '  - {id: welcome, start: "18:05", end: "18:30", title: Talk, kind: qa, people: [x]}\n'
        "venue: Seoul\nmeeting_url: https://example.org\n"
    )
    problems = _problems(source)
    assert [p.path for p in problems] == [
        "program[1].id",
        "program[1].start",
        "program[1].people[0]",
        "meeting_url",
    ]


def test_problems_translate_through_gettext() -> None:
    problem = _problems(MINIMAL.replace("Asia/Seoul", "Asia/Seol"))[0]
    english = "unknown time zone %(value)r (did you mean %(suggestion)r?)"
    french = "fuseau horaire inconnu %(value)r (vouliez-vous dire %(suggestion)r ?)"
    assert problem.translated(lambda text: french if text == english else text) == (
        "fuseau horaire inconnu 'Asia/Seol' (vouliez-vous dire 'Asia/Seoul' ?)"
    )
    assert problem.translated(lambda text: text) == problem.message


def test_a_missing_key_points_at_the_mapping_that_lacks_it() -> None:
    problems = _problems(MINIMAL.replace(' end: "18:10",', ""))
    assert [(p.line, p.column, p.path) for p in problems] == [(9, 5, "program[0].end")]


def test_an_unknown_key_points_at_the_key() -> None:
    source = MINIMAL.replace("title: Welcome", "titles: Welcome")
    line = source.splitlines()[8]
    problems = _problems(source)
    assert [(p.line, p.column, p.message) for p in problems] == [
        (9, line.index("{") + 1, "the key 'title' is missing"),
        (9, line.index("titles") + 1, "unknown key 'titles' (did you mean 'title'?)"),
    ]


# --- Warnings -------------------------------------------------------------------


def test_no_moderator_among_people_is_a_warning() -> None:
    parsed = parse_agenda(MINIMAL + "people:\n  - {id: ana, name: Ana, roles: [speaker]}\n")
    assert [(w.line, w.column, w.path) for w in parsed.warnings] == [(10, 1, "people")]
    assert "moderator" in parsed.warnings[0].message


def test_a_moderator_or_no_people_gives_no_warning() -> None:
    assert parse_agenda(MINIMAL).warnings == []
    with_moderator = MINIMAL + "people:\n  - {id: ana, name: Ana, roles: [moderator]}\n"
    assert parse_agenda(with_moderator).warnings == []


# --- What valid files mean ------------------------------------------------------


def test_a_complete_agenda_is_read() -> None:
    parsed = parse_agenda(COMPLETE.encode(), "complete.yaml")
    agenda = parsed.agenda
    assert parsed.warnings == []
    assert agenda.languages == ["en", "fr", "pt-BR"]
    assert str(agenda.days[0].start) == "18:00:00"  # unquoted 18:00 is a time, not 1080
    assert [str(item.end) for item in agenda.program[:1]] == ["18:10:00"]
    assert agenda.program[0].duration is None
    assert agenda.program[4].end is not None and agenda.program[4].end.hour == 10
    assert agenda.guiding_questions[0].type == "open"


def test_str_source_and_byte_order_mark_are_accepted() -> None:
    assert parse_agenda(MINIMAL).agenda == parse_agenda(b"\xef\xbb\xbf" + MINIMAL.encode()).agenda


def test_merge_keys_reuse_a_mapping() -> None:
    source = MINIMAL.replace(
        "  - {id: welcome,",
        '  - &item {id: first, start: "18:10", end: "18:20", title: Same, kind: qa}\n'
        '  - {<<: *item, id: second, start: "18:20", end: "18:30"}\n'
        "  - {id: welcome,",
    ).replace('start: "18:00", end: "18:10"', 'start: "18:30", end: "18:40"')
    second = parse_agenda(source).agenda.program[1]
    assert (second.id, second.title, str(second.start)) == ("second", "Same", "18:20:00")


def _round_trip(source: bytes | str) -> tuple[ParsedAgenda, str, ParsedAgenda]:
    first = parse_agenda(source)
    text = dump_yaml(first.agenda)
    second = parse_agenda(text)
    return first, text, second


def test_a_complete_agenda_round_trips_identically() -> None:
    first, text, second = _round_trip(COMPLETE)
    assert second.agenda == first.agenda
    assert dump_yaml(second.agenda) == text
    assert text.startswith("format: facilitator/agenda@1\nslug: sse-alliances-2021\n")
    assert "duration" not in text


@pytest.mark.parametrize("path", VALID_FILES, ids=[path.name for path in VALID_FILES])
def test_real_agendas_parse_and_round_trip(path: Path) -> None:
    try:
        first, text, second = _round_trip(path.read_bytes())
    except AgendaError as error:
        pytest.fail(str(error))
    assert second.agenda == first.agenda
    assert dump_yaml(second.agenda) == text


# --- A cap on the problems (issue 9, finding 7) -----------------------------------


def count_suggestions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every key a did-you-mean is looked for, from now on."""
    asked: list[str] = []
    original = agenda_messages.did_you_mean

    def counted(key: str, allowed: Any) -> str | None:
        asked.append(key)
        return original(key, allowed)

    monkeypatch.setattr(agenda_messages, "did_you_mean", counted)
    return asked


def _unknown_keys(count: int) -> str:
    return MINIMAL + "".join(f"unknown_key_{i:05d}: value {i}\n" for i in range(count))


def test_problems_stop_at_the_cap_and_count_the_rest_fast(monkeypatch: pytest.MonkeyPatch) -> None:
    suggested = count_suggestions(monkeypatch)
    with pytest.raises(AgendaError) as error:
        parse_agenda(_unknown_keys(20_000), "many.yaml")
    assert len(error.value.problems) == MAX_PROBLEMS
    assert error.value.more == 20_000 - MAX_PROBLEMS
    assert error.value.total == 20_000
    # The first ones in file order, each described in full.
    assert error.value.problems[0].message.startswith("unknown key 'unknown_key_00000'")
    assert error.value.problems[-1].path == f"unknown_key_{MAX_PROBLEMS - 1:05d}"
    text = str(error.value)
    assert text.endswith(f"many.yaml: and {20_000 - MAX_PROBLEMS} more problems")
    assert len(text) < 100_000
    # The work that took seconds (about 4 s: every key got its did-you-mean) is done for
    # the problems shown only; the time itself is the bench's to measure, not a test's.
    assert len(suggested) == MAX_PROBLEMS


def test_up_to_the_cap_every_problem_is_listed() -> None:
    with pytest.raises(AgendaError) as error:
        parse_agenda(_unknown_keys(MAX_PROBLEMS), "full.yaml")
    assert len(error.value.problems) == MAX_PROBLEMS
    assert error.value.more == 0
    assert "more problem" not in str(error.value)


def test_duplicate_keys_are_capped_too() -> None:
    source = MINIMAL + "".join(f"dup{i}: 1\ndup{i}: 2\n" for i in range(300))
    with pytest.raises(AgendaError) as error:
        parse_agenda(source, "dups.yaml")
    # 300 duplicates plus 300 unknown keys.
    assert len(error.value.problems) == MAX_PROBLEMS
    assert error.value.total == 600
