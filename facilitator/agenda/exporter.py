"""A stored workshop back to the agenda format: the file a moderator downloads and edits.

It goes through the agenda's canonical plain data, as storing does, so a dump of
a stored workshop loads back to the same workshop.
"""

from __future__ import annotations

from typing import Any

from facilitator.agenda.models import (
    CaseStudy,
    Day,
    GuidelineBlock,
    GuidingQuestion,
    Person,
    ProgramItem,
    Workshop,
)
from facilitator.agenda.schema import AgendaSpec
from facilitator.agenda.texts import PRESENTATION_TEXTS, SCALE_TEXTS, from_map, nested_from_map


def export_agenda(workshop: Workshop) -> AgendaSpec:
    return AgendaSpec.model_validate(export_data(workshop))


def export_data(workshop: Workshop) -> dict[str, Any]:
    """The workshop as the agenda format's plain data, in the file's key order."""
    default = workshop.default_language
    data: dict[str, Any] = {"format": "facilitator/agenda@1", "slug": workshop.slug}
    data["title"] = from_map(workshop.title, default)
    _put(data, "event", from_map(workshop.event, default))
    _put(data, "reference", workshop.reference)
    _put(data, "thematic_line", from_map(workshop.thematic_line, default))
    data["kind"] = workshop.kind
    data["languages"] = list(workshop.languages)
    _put(data, "interpretation", list(workshop.interpretation or []))
    data["timezone"] = workshop.timezone
    _put(data, "show_timezones", list(workshop.show_timezones or []))
    data["days"] = [_export_day(day, default) for day in workshop.days]
    _put(data, "venue", from_map(workshop.venue, default))
    _put(data, "meeting_url", workshop.meeting_url)
    _put(data, "audience", from_map(workshop.audience, default))
    _put(data, "background", from_map(workshop.background, default))
    _put(data, "objectives", [from_map(text, default) for text in workshop.objectives or []])
    _put(data, "main_question", from_map(workshop.main_question, default))
    _put(
        data,
        "guiding_questions",
        [_export_question(q, default) for q in workshop.guiding_questions],
    )
    _put(data, "people", [_export_person(p, default) for p in workshop.people])
    day_numbers = {day.id: day.position for day in workshop.days}
    data["program"] = [_export_item(item, default, day_numbers) for item in workshop.program]
    _put(data, "guideline_blocks", [_export_block(b, default) for b in workshop.guideline_blocks])
    _put(data, "case_studies", [_export_case(c, default) for c in workshop.case_studies])
    _put(data, "expected_participants", workshop.expected_participants)
    return data


def _put(data: dict[str, Any], key: str, value: Any) -> None:
    if value not in (None, [], {}):
        data[key] = value


def _export_day(day: Day, default: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "date": day.date.isoformat(),
        "start": day.start.strftime("%H:%M"),
        "end": day.end.strftime("%H:%M"),
    }
    _put(data, "title", from_map(day.title, default))
    return data


def _export_question(row: GuidingQuestion, default: str) -> dict[str, Any]:
    data: dict[str, Any] = {"id": row.key, "text": from_map(row.text, default), "type": row.type}
    if row.options is not None:
        data["options"] = [from_map(o, default) for o in row.options]
    _put(data, "scale", nested_from_map(row.scale, default, SCALE_TEXTS))
    return data


def _export_person(row: Person, default: str) -> dict[str, Any]:
    data: dict[str, Any] = {"id": row.key, "name": row.name}
    _put(data, "roles", list(row.roles or []))
    _put(data, "title", from_map(row.title, default))
    _put(data, "organisation", from_map(row.organisation, default))
    _put(data, "organisation_type", row.organisation_type)
    _put(data, "country", row.country)
    _put(data, "email", row.email)
    _put(data, "presentation", nested_from_map(row.presentation, default, PRESENTATION_TEXTS))
    return data


def _export_item(row: ProgramItem, default: str, day_numbers: dict[int, int]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": row.key,
        "day": day_numbers[row.day_id],
        "start": row.start.strftime("%H:%M"),
        "end": row.end.strftime("%H:%M"),
        "title": from_map(row.title, default),
    }
    _put(data, "kind", row.kind)
    _put(data, "people", [p.key for p in row.people])
    _put(data, "questions", [q.key for q in row.questions])
    _put(data, "blocks", [b.key for b in row.blocks])
    _put(data, "notes", from_map(row.notes, default))
    return data


def _export_block(row: GuidelineBlock, default: str) -> dict[str, Any]:
    data: dict[str, Any] = {"id": row.key, "title": from_map(row.title, default)}
    _put(data, "description", from_map(row.description, default))
    _put(data, "prompts", [from_map(p, default) for p in row.prompts or []])
    _put(data, "assessment", nested_from_map(row.assessment, default, SCALE_TEXTS))
    return data


def _export_case(row: CaseStudy, default: str) -> dict[str, Any]:
    data: dict[str, Any] = {"id": row.key, "title": from_map(row.title, default)}
    _put(data, "description", from_map(row.description, default))
    _put(data, "territory", from_map(row.territory, default))
    _put(data, "organisations", list(row.organisations or []))
    return data
