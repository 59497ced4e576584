"""The agenda models, their rules across fields, the canonical dump and the JSON Schema."""

from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from facilitator.agenda.errors import N_, AgendaError, Problem
from facilitator.agenda.jsonschema import SCHEMA_PATH, agenda_json_schema, render_schema
from facilitator.agenda.parsing import parse_agenda
from facilitator.agenda.schema import (
    AgendaSpec,
    Finding,
    ItemKind,
    PersonRole,
    QuestionType,
    RuleError,
    WorkshopKind,
    agenda_to_data,
    agenda_warnings,
    did_you_mean,
    dump_yaml,
    duration_minutes,
    known_countries,
)
from facilitator.agenda.schema.base import Spec
from facilitator.models import Base

ROOT = Path(__file__).parent.parent.parent


def _data(**changes: Any) -> dict[str, Any]:
    """A small valid agenda as Python data, with `changes` on top."""
    data: dict[str, Any] = {
        "format": "facilitator/agenda@1",
        "slug": "test-workshop",
        "title": {"en": "Test workshop", "fr": "Atelier test"},
        "languages": ["en", "fr"],
        "timezone": "Europe/Paris",
        "days": [
            {"date": date(2021, 10, 8), "start": time(18), "end": time(19, 30)},
            {"date": "2021-10-09", "start": "9:00", "end": "12:00"},
        ],
        "people": [{"id": "ana", "name": "Ana", "roles": ["moderator"]}],
        "program": [
            {"id": "welcome", "start": "18:00", "duration": "1h", "title": "Welcome",
             "kind": "introduction", "people": ["ana"]},
            {"id": "groups", "day": 2, "start": time(9), "end": time(10), "title": "Groups",
             "kind": "breakout"},
        ],
    }  # fmt: skip
    data.update(changes)
    return data


def _findings(data: dict[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    """(full path, message) of each rule broken, for data whose fields are well formed."""
    with pytest.raises(ValidationError) as caught:
        AgendaSpec.model_validate(data)
    found = []
    for error in caught.value.errors():
        cause = error["ctx"]["error"]
        assert isinstance(cause, RuleError), error
        found += [((*error["loc"], *f.path), f.message) for f in cause.findings]
    return found


# --- Models ---------------------------------------------------------------------


def test_python_values_and_strings_validate_alike() -> None:
    agenda = AgendaSpec.model_validate(_data())
    assert agenda.days[1].date == date(2021, 10, 9)
    assert agenda.days[1].start == time(9)
    assert agenda.kind is WorkshopKind.WORKSHOP


def test_a_duration_becomes_an_end() -> None:
    item = AgendaSpec.model_validate(_data()).program[0]
    assert (item.end, item.duration) == (time(19), None)
    assert duration_minutes("1h30m") == 90
    assert duration_minutes("45m") == 45
    assert duration_minutes("2h") == 120


def test_a_time_with_seconds_is_refused() -> None:
    data = _data()
    data["days"][0]["start"] = time(18, 0, 30)
    with pytest.raises(ValidationError):
        AgendaSpec.model_validate(data)


def test_enumerations_hold_what_the_format_page_lists() -> None:
    assert [kind.value for kind in WorkshopKind] == [
        "workshop",
        "co-creation",
        "panel",
        "webinar",
        "course",
        "meeting",
    ]
    assert [kind.value for kind in QuestionType] == [
        "open",
        "choice",
        "multi",
        "scale",
        "words",
        "rank",
    ]
    assert [role.value for role in PersonRole] == [
        "moderator",
        "speaker",
        "rapporteur",
        "panelist",
        "organiser",
    ]
    assert [kind.value for kind in ItemKind] == [
        "logistics", "introduction", "presentation", "discussion", "qa", "breakout", "closing",
        "break",
    ]  # fmt: skip


@pytest.mark.parametrize("code", ["en", "fr", "ko", "pt", "es", "pt-BR", "ar", "zh-Hant", "es-419"])
def test_language_codes_are_accepted(code: str) -> None:
    AgendaSpec.model_validate(_data(languages=["en", code] if code != "en" else ["en"], title="T"))


def test_countries_are_iso_3166_alpha_2() -> None:
    assert {"KR", "FR", "GB", "MX", "XK"} <= known_countries()
    assert not {"EU", "UN", "ZZ", "UK", "001"} & known_countries()


def test_rules_across_fields_carry_their_path() -> None:
    data = _data()
    data["program"][0]["people"] = ["anna"]
    data["program"][1]["title"] = {"fr": "Groupes", "de": "Gruppen"}
    assert _findings(data) == [
        (("program", 1, "title", "de"), "'de' is not one of the workshop's languages (en, fr)"),
        (("program", 1, "title"), "the text in the first language, 'en', is missing"),
        (("program", 0, "people", 0), "unknown person 'anna' (did you mean 'ana'?)"),
    ]


def test_items_are_checked_day_by_day() -> None:
    data = _data()
    data["program"].append(
        {"id": "late", "day": 1, "start": "18:30", "end": "19:45", "title": "L", "kind": "qa"}
    )
    assert _findings(data) == [
        (("program", 2, "end"), "ends at 19:45, after day 1 ends at 19:30"),
        (("program", 2, "start"), "starts at 18:30, while 'welcome' still runs until 19:00"),
    ]


def test_warnings_name_a_missing_moderator() -> None:
    data = _data()
    data["people"][0]["roles"] = ["speaker"]
    warnings = agenda_warnings(AgendaSpec.model_validate(data))
    assert [warning.path for warning in warnings] == [("people",)]
    nobody = _data(people=[])
    nobody["program"][0]["people"] = []
    assert agenda_warnings(AgendaSpec.model_validate(nobody)) == []


def test_did_you_mean_suggests_close_names_only() -> None:
    assert did_you_mean("young-kimm", ["young-kim", "maria"]) == "young-kim"
    assert did_you_mean("somebody", ["young-kim", "maria"]) is None


# --- Problems -------------------------------------------------------------------


def test_a_problem_formats_like_a_compiler_message() -> None:
    problem = Problem("program[3].people[0]", 42, 7, N_("unknown person %(value)r"), {"value": "x"})
    assert problem.format("a.yaml") == "a.yaml:42:7: program[3].people[0]: unknown person 'x'"
    whole_file = Problem("", 1, 1, N_("the file is empty: it holds no agenda"))
    assert whole_file.format("a.yaml") == "a.yaml:1:1: the file is empty: it holds no agenda"
    error = AgendaError("a.yaml", [problem, whole_file])
    assert str(error).splitlines() == [problem.format("a.yaml"), whole_file.format("a.yaml")]


def test_a_finding_reads_in_english() -> None:
    finding = Finding(("x",), N_("%(value)r is listed twice"), {"value": "en"})
    assert finding.message == "'en' is listed twice"
    assert str(RuleError([finding])) == "'en' is listed twice"


# --- The canonical dump ---------------------------------------------------------


def test_the_canonical_data_is_plain_and_minimal() -> None:
    data = agenda_to_data(AgendaSpec.model_validate(_data()))
    assert list(data) == ["format", "slug", "title", "languages", "timezone", "days", "people",
                          "program"]  # fmt: skip
    assert data["days"][1] == {"date": "2021-10-09", "start": "09:00", "end": "12:00"}
    assert data["program"][0] == {
        "id": "welcome", "start": "18:00", "end": "19:00", "title": "Welcome",
        "kind": "introduction", "people": ["ana"],
    }  # fmt: skip
    assert data["program"][1]["day"] == 2
    assert json.loads(json.dumps(data)) == data  # plain data only


def test_the_yaml_dump_is_safe_readable_and_reloads_equal() -> None:
    agenda = AgendaSpec.model_validate(
        _data(background={"en": "First line.\n\n**Second** paragraph.\n", "fr": "Ça va."})
    )
    text = dump_yaml(agenda)
    assert text.startswith("format: facilitator/agenda@1\n")
    assert "background:\n  en: |\n    First line.\n\n    **Second** paragraph.\n" in text
    assert "fr: Ça va." in text
    assert "start: '18:00'" in text  # quoted: unquoted 18:00 is a number to YAML 1.1
    assert yaml.safe_load(text) == agenda_to_data(agenda)
    reloaded = parse_agenda(text).agenda
    assert reloaded == agenda
    assert dump_yaml(reloaded) == text


# --- JSON Schema ----------------------------------------------------------------


def test_the_committed_json_schema_is_current() -> None:
    """Regenerate with `python -m facilitator.agenda.jsonschema` when this fails."""
    assert SCHEMA_PATH == ROOT / "docs" / "agenda.schema.json"
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render_schema()
    assert json.loads(SCHEMA_PATH.read_text(encoding="utf-8")) == agenda_json_schema()


def test_the_json_schema_describes_the_format() -> None:
    schema = agenda_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "Agenda (facilitator/agenda@1)"
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {
        "format", "slug", "title", "languages", "timezone", "days", "program"
    }  # fmt: skip
    assert schema["properties"]["format"]["const"] == "facilitator/agenda@1"
    assert schema["properties"]["title"]["$ref"] == "#/$defs/Text"
    assert schema["properties"]["program"]["maxItems"] == 2000
    assert "Text" in schema["$defs"]
    # The published names are the format's, not the code's `…Spec` classes.
    assert {"Day", "Person", "ProgramItem"} <= set(schema["$defs"])
    assert not [name for name in schema["$defs"] if name.endswith("Spec")]


# --- Names and sizes ------------------------------------------------------------


def _subclasses(cls: type) -> set[type]:
    return {sub for child in cls.__subclasses__() for sub in (child, *_subclasses(child))}


def test_no_model_of_the_file_shares_a_name_with_a_table() -> None:
    specs = {cls.__name__ for cls in _subclasses(Spec)}
    tables = {mapper.class_.__name__ for mapper in Base.registry.mappers}
    assert "AgendaSpec" in specs and "Workshop" in tables
    assert not specs & tables
    assert all(name.endswith("Spec") for name in specs)


def test_the_format_is_kept_in_small_modules() -> None:
    agenda = ROOT / "facilitator" / "agenda"
    modules = [*agenda.glob("schema/*.py"), *agenda.glob("parsing/*.py"), agenda / "jsonschema.py"]
    lines = {path.name: len(path.read_text(encoding="utf-8").splitlines()) for path in modules}
    assert max(lines.values()) <= 400, lines
