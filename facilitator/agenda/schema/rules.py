"""The rules of an agenda that span fields, and what is allowed but probably a mistake.

Each rule takes the whole `AgendaSpec` and returns its `Finding`s, at paths from
the top of the file; `AgendaSpec` runs them all once every part is valid.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel

from facilitator.agenda.errors import N_
from facilitator.agenda.schema.blocks import GuidelineBlockSpec
from facilitator.agenda.schema.cases import CaseStudySpec
from facilitator.agenda.schema.findings import LISTED_TWICE, FieldPath, Finding, did_you_mean
from facilitator.agenda.schema.kinds import PersonRole
from facilitator.agenda.schema.people import PersonSpec
from facilitator.agenda.schema.program import DaySpec, ProgramItemSpec
from facilitator.agenda.schema.questions import GuidingQuestionSpec
from facilitator.agenda.schema.values import format_clock

if TYPE_CHECKING:  # the agenda runs these rules: it imports this module
    from facilitator.agenda.schema.agenda import AgendaSpec


def _iter_texts(value: object, path: FieldPath) -> Iterator[tuple[FieldPath, dict[str, str]]]:
    """Every translated text in `value`: in these models only text is a dict."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _iter_texts(getattr(value, name), (*path, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _iter_texts(item, (*path, index))
    elif isinstance(value, dict):
        yield path, value


def text_language_findings(agenda: AgendaSpec) -> list[Finding]:
    """Translations are in the workshop's languages, and the first one is there."""
    first = agenda.languages[0]
    listed = ", ".join(agenda.languages)
    findings = []
    for path, text in _iter_texts(agenda, ()):
        for language in text:
            if language not in agenda.languages:
                findings.append(
                    Finding(
                        (*path, language),
                        N_("%(value)r is not one of the workshop's languages (%(languages)s)"),
                        {"value": language, "languages": listed},
                        at_key=True,
                    )
                )
        if first not in text:
            findings.append(
                Finding(
                    path,
                    N_("the text in the first language, %(language)r, is missing"),
                    {"language": first},
                )
            )
    return findings


def day_order_findings(agenda: AgendaSpec) -> list[Finding]:
    findings = []
    for index, (previous, day) in enumerate(zip(agenda.days, agenda.days[1:], strict=False), 1):
        params = {"date": day.date.isoformat(), "previous": previous.date.isoformat()}
        if day.date == previous.date:
            template = N_("the date %(date)s is given to two days")
        elif day.date < previous.date:
            template = N_("days must be in date order: %(date)s comes after %(previous)s")
        else:
            continue
        findings.append(Finding(("days", index, "date"), template, params))
    return findings


_WithId = GuidingQuestionSpec | PersonSpec | ProgramItemSpec | GuidelineBlockSpec | CaseStudySpec


def _ids_of(items: Sequence[_WithId]) -> list[str]:
    return [item.id for item in items]


def unique_id_findings(agenda: AgendaSpec) -> list[Finding]:
    collections: dict[str, list[str]] = {
        "guiding_questions": _ids_of(agenda.guiding_questions),
        "people": _ids_of(agenda.people),
        "program": _ids_of(agenda.program),
        "guideline_blocks": _ids_of(agenda.guideline_blocks),
        "case_studies": _ids_of(agenda.case_studies),
    }
    findings = []
    for collection, ids in collections.items():
        for index, value in enumerate(ids):
            if value in ids[:index]:
                findings.append(
                    Finding(
                        (collection, index, "id"),
                        N_("the id %(value)r is used twice in %(collection)s"),
                        {"value": value, "collection": collection},
                    )
                )
    return findings


# (field of a program item, the collection it points into, unknown, unknown + suggestion)
_REFERENCES = (
    ("people", "people", N_("unknown person %(value)r"),
     N_("unknown person %(value)r (did you mean %(suggestion)r?)")),
    ("questions", "guiding_questions", N_("unknown guiding question %(value)r"),
     N_("unknown guiding question %(value)r (did you mean %(suggestion)r?)")),
    ("blocks", "guideline_blocks", N_("unknown guideline block %(value)r"),
     N_("unknown guideline block %(value)r (did you mean %(suggestion)r?)")),
)  # fmt: skip


def reference_findings(agenda: AgendaSpec) -> list[Finding]:
    """Program items point at people, questions and blocks that exist, once each."""
    known = {
        "people": _ids_of(agenda.people),
        "guiding_questions": _ids_of(agenda.guiding_questions),
        "guideline_blocks": _ids_of(agenda.guideline_blocks),
    }
    return [
        finding
        for index, item in enumerate(agenda.program)
        for finding in _item_reference_findings(index, item, known)
    ]


def _item_reference_findings(
    item_index: int, item: ProgramItemSpec, known: Mapping[str, list[str]]
) -> list[Finding]:
    findings = []
    for field_name, collection, unknown, unknown_near in _REFERENCES:
        values: list[str] = getattr(item, field_name)
        for index, value in enumerate(values):
            path = ("program", item_index, field_name, index)
            if value in values[:index]:
                findings.append(Finding(path, LISTED_TWICE, {"value": value}))
            elif value not in known[collection]:
                suggestion = did_you_mean(value, known[collection])
                template = unknown if suggestion is None else unknown_near
                findings.append(Finding(path, template, {"value": value, "suggestion": suggestion}))
    return findings


def day_number_findings(agenda: AgendaSpec) -> list[Finding]:
    return [
        Finding(
            ("program", index, "day"),
            N_("there is no day %(day)d: the days are numbered 1 to %(count)d"),
            {"day": item.day, "count": len(agenda.days)},
        )
        for index, item in enumerate(agenda.program)
        if item.day > len(agenda.days)
    ]


def schedule_findings(agenda: AgendaSpec) -> list[Finding]:
    """Within each day, items are in order, do not overlap and fit the day."""
    findings = []
    for number, day in enumerate(agenda.days, 1):
        items = [(i, item) for i, item in enumerate(agenda.program) if item.day == number]
        previous: ProgramItemSpec | None = None
        for index, item in items:
            findings += _fit_in_day(index, item, number, day)
            if previous is not None:
                findings += _follow(index, item, previous)
            previous = item
    return findings


def _fit_in_day(index: int, item: ProgramItemSpec, number: int, day: DaySpec) -> list[Finding]:
    params = {
        "start": format_clock(item.start),
        "end": format_clock(item.end_time),
        "day": number,
        "day_start": format_clock(day.start),
        "day_end": format_clock(day.end),
    }
    findings = []
    if item.start < day.start:
        findings.append(
            Finding(
                ("program", index, "start"),
                N_("starts at %(start)s, before day %(day)d starts at %(day_start)s"),
                params,
            )
        )
    if item.end_time > day.end:
        findings.append(
            Finding(
                ("program", index, "end"),
                N_("ends at %(end)s, after day %(day)d ends at %(day_end)s"),
                params,
            )
        )
    return findings


def _follow(index: int, item: ProgramItemSpec, previous: ProgramItemSpec) -> list[Finding]:
    params = {
        "start": format_clock(item.start),
        "previous": previous.id,
        "previous_start": format_clock(previous.start),
        "previous_end": format_clock(previous.end_time),
    }
    if item.start < previous.start:
        template = N_(
            "starts at %(start)s, before the item above it (%(previous)r at %(previous_start)s):"
            " the items of a day must be in order of time"
        )
    elif item.start < previous.end_time:
        template = N_("starts at %(start)s, while %(previous)r still runs until %(previous_end)s")
    else:
        return []
    return [Finding(("program", index, "start"), template, params)]


def venue_findings(agenda: AgendaSpec) -> list[Finding]:
    if agenda.meeting_url is not None and agenda.venue != "online":
        return [
            Finding(
                ("meeting_url",),
                N_("a meeting_url is only allowed with venue: online"),
            )
        ]
    return []


CROSS_FIELD_RULES: tuple[Callable[[AgendaSpec], list[Finding]], ...] = (
    text_language_findings,
    day_order_findings,
    unique_id_findings,
    day_number_findings,
    reference_findings,
    schedule_findings,
    venue_findings,
)


def agenda_warnings(agenda: AgendaSpec) -> list[Finding]:
    """What is allowed but probably a mistake."""
    if agenda.people and not any(PersonRole.MODERATOR in person.roles for person in agenda.people):
        return [
            Finding(
                ("people",),
                N_("nobody in people has the role 'moderator'; give it to whoever moderates"),
                at_key=True,
            )
        ]
    return []
