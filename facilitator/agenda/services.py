"""Storing a validated agenda as a workshop, and exporting it back.

Both directions go through the agenda's canonical plain data
(`schema.agenda_to_data`), so the database and the file format meet in one
shape and a dump of a stored workshop loads back to the same workshop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from typing import Any, TypeVar, overload

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.accounts.models import Role, User
from facilitator.accounts.services import CAN_MANAGE, grant, require_role
from facilitator.agenda.models import (
    CaseStudy,
    Day,
    GuidelineBlock,
    GuidingQuestion,
    ItemBlock,
    ItemPerson,
    ItemQuestion,
    Person,
    ProgramItem,
    TextMap,
    Workshop,
)
from facilitator.agenda.schema import Agenda, agenda_to_data
from facilitator.database import utcnow

Text = str | TextMap
Keyed = TypeVar("Keyed", Person, GuidingQuestion, GuidelineBlock, CaseStudy, ProgramItem)

# Top-level keys stored as translatable text, and those stored as they are.
WORKSHOP_TEXTS = (
    "title",
    "event",
    "thematic_line",
    "venue",
    "audience",
    "background",
    "main_question",
)
WORKSHOP_PLAIN = ("reference", "meeting_url", "expected_participants")


@dataclass(frozen=True)
class StoreResult:
    workshop: Workshop
    created: bool


def find_workshop(db: Session, slug: str) -> Workshop | None:
    return db.scalar(select(Workshop).where(Workshop.slug == slug))


def store_agenda(db: Session, agenda: Agenda, actor: User | None = None) -> StoreResult:
    """Create the workshop, or update the one with this slug in place.

    Rows are matched on the file's ids, so what other tables point at (a program
    item, a person) keeps its identity across re-loads. `actor` None is the
    command line, which may do anything; a created workshop makes `actor` its
    organiser.
    """
    data = agenda_to_data(agenda)
    workshop = find_workshop(db, data["slug"])
    created = workshop is None
    if workshop is None:
        workshop = Workshop(slug=data["slug"])
        db.add(workshop)
    elif actor is not None:
        require_role(db, actor, workshop, CAN_MANAGE)

    languages: list[str] = data["languages"]
    default = languages[0]
    workshop.languages = languages
    workshop.kind = data.get("kind", "workshop")
    workshop.timezone = data["timezone"]
    workshop.interpretation = data.get("interpretation", [])
    workshop.show_timezones = data.get("show_timezones", [])
    for key in WORKSHOP_TEXTS:
        setattr(workshop, key, to_map(data.get(key), default))
    for key in WORKSHOP_PLAIN:
        setattr(workshop, key, data.get(key))
    workshop.objectives = [to_map(text, default) for text in data.get("objectives", [])]
    # Every load is a new version, even one that changes only items or people:
    # screens cache the program under it (realtime/snapshot.py).
    workshop.updated_at = utcnow()

    _store_days(workshop, data["days"], default)
    people = _sync(
        workshop.people,
        data.get("people", []),
        Person,
        lambda row, item: _fill_person(row, item, default),
    )
    questions = _sync(
        workshop.guiding_questions,
        data.get("guiding_questions", []),
        GuidingQuestion,
        lambda row, item: _fill_question(row, item, default),
    )
    blocks = _sync(
        workshop.guideline_blocks,
        data.get("guideline_blocks", []),
        GuidelineBlock,
        lambda row, item: _fill_block(row, item, default),
    )
    _sync(
        workshop.case_studies,
        data.get("case_studies", []),
        CaseStudy,
        lambda row, item: _fill_case(row, item, default),
    )
    # One flush: the unit of work orders inserts and deletes by their foreign keys.
    _sync(
        workshop.program,
        data["program"],
        ProgramItem,
        lambda row, item: _fill_item(row, item, default, workshop.days, people, questions, blocks),
    )
    db.flush()
    if created and actor is not None:
        grant(db, actor, workshop, Role.ORGANISER)
    return StoreResult(workshop, created)


def delete_workshop(db: Session, actor: User, workshop: Workshop) -> None:
    require_role(db, actor, workshop, CAN_MANAGE)
    db.delete(workshop)
    db.flush()


def export_agenda(workshop: Workshop) -> Agenda:
    return Agenda.model_validate(export_data(workshop))


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


# --- translatable text ------------------------------------------------------


@overload
def to_map(text: Text, default: str) -> TextMap: ...
@overload
def to_map(text: Text | None, default: str) -> TextMap | None: ...
def to_map(text: Text | None, default: str) -> TextMap | None:
    """Store every text as a mapping; a plain string is in the default language."""
    if text is None:
        return None
    return {default: text} if isinstance(text, str) else dict(text)


def from_map(text: TextMap | None, default: str) -> Text | None:
    """Give back the plain string where only the default language is there."""
    if text is None:
        return None
    if set(text) == {default}:
        return text[default]
    return dict(text)


def _nested_to_map(value: Any, default: str, text_keys: tuple[str, ...]) -> Any:
    """Store the text fields of a nested mapping (scale labels, presentation) as mappings."""
    if value is None:
        return None
    return {key: to_map(item, default) if key in text_keys else item for key, item in value.items()}


def _nested_from_map(value: Any, default: str, text_keys: tuple[str, ...]) -> Any:
    if value is None:
        return None
    return {
        key: from_map(item, default) if key in text_keys else item for key, item in value.items()
    }


SCALE_TEXTS = ("min_label", "max_label")
PRESENTATION_TEXTS = ("title", "abstract")


def _put(data: dict[str, Any], key: str, value: Any) -> None:
    if value not in (None, [], {}):
        data[key] = value


def _hhmm(value: str) -> time:
    return time.fromisoformat(value)


# --- rows matched by the file's ids -------------------------------------------


def _sync(
    rows: list[Keyed],
    items: list[dict[str, Any]],
    model: type[Keyed],
    fill: Callable[[Keyed, dict[str, Any]], None],
) -> dict[str, Keyed]:
    """Update rows whose key is still in the file, add new ones, drop the rest."""
    existing = {row.key: row for row in rows}
    kept: dict[str, Keyed] = {}
    for position, item in enumerate(items, start=1):
        row = existing.get(item["id"]) or model(key=item["id"])
        row.position = position
        fill(row, item)
        kept[row.key] = row
    rows[:] = list(kept.values())
    return kept


def _store_days(workshop: Workshop, days: list[dict[str, Any]], default: str) -> None:
    existing = {day.position: day for day in workshop.days}
    kept = []
    for position, item in enumerate(days, start=1):
        day = existing.get(position) or Day(position=position)
        day.date = date.fromisoformat(item["date"])
        day.start = _hhmm(item["start"])
        day.end = _hhmm(item["end"])
        day.title = to_map(item.get("title"), default)
        kept.append(day)
    workshop.days[:] = kept


def _fill_person(row: Person, item: dict[str, Any], default: str) -> None:
    row.name = item["name"]
    row.roles = list(item.get("roles", []))
    row.title = to_map(item.get("title"), default)
    row.organisation = to_map(item.get("organisation"), default)
    row.organisation_type = item.get("organisation_type")
    row.country = item.get("country")
    row.email = item.get("email")
    row.presentation = _nested_to_map(item.get("presentation"), default, PRESENTATION_TEXTS)


def _fill_question(row: GuidingQuestion, item: dict[str, Any], default: str) -> None:
    row.text = to_map(item["text"], default) or {}
    row.type = item.get("type", "open")
    options = item.get("options")
    row.options = None if options is None else [to_map(o, default) or {} for o in options]
    row.scale = _nested_to_map(item.get("scale"), default, SCALE_TEXTS)


def _fill_block(row: GuidelineBlock, item: dict[str, Any], default: str) -> None:
    row.title = to_map(item["title"], default) or {}
    row.description = to_map(item.get("description"), default)
    row.prompts = [to_map(p, default) or {} for p in item.get("prompts", [])]
    row.assessment = _nested_to_map(item.get("assessment"), default, SCALE_TEXTS)


def _fill_case(row: CaseStudy, item: dict[str, Any], default: str) -> None:
    row.title = to_map(item["title"], default) or {}
    row.description = to_map(item.get("description"), default)
    row.territory = to_map(item.get("territory"), default)
    # Nested reference content is kept as the file has it.
    row.organisations = list(item.get("organisations", []))


def _fill_item(
    row: ProgramItem,
    item: dict[str, Any],
    default: str,
    days: list[Day],
    people: dict[str, Person],
    questions: dict[str, GuidingQuestion],
    blocks: dict[str, GuidelineBlock],
) -> None:
    row.day = days[item.get("day", 1) - 1]
    row.start = _hhmm(item["start"])
    row.end = _hhmm(item["end"])
    row.title = to_map(item["title"], default) or {}
    row.kind = item.get("kind")
    row.notes = to_map(item.get("notes"), default)
    _sync_links(
        row.speaker_links,
        [people[key] for key in item.get("people", [])],
        lambda link: link.person,
        lambda target: ItemPerson(person=target),
    )
    _sync_links(
        row.question_links,
        [questions[key] for key in item.get("questions", [])],
        lambda link: link.question,
        lambda target: ItemQuestion(question=target),
    )
    _sync_links(
        row.block_links,
        [blocks[key] for key in item.get("blocks", [])],
        lambda link: link.block,
        lambda target: ItemBlock(block=target),
    )


Link = TypeVar("Link", ItemPerson, ItemQuestion, ItemBlock)
Target = TypeVar("Target", Person, GuidingQuestion, GuidelineBlock)


def _sync_links(
    links: list[Link],
    targets: list[Target],
    target_of: Callable[[Link], Target],
    make: Callable[[Target], Link],
) -> None:
    """Reuse the link rows that stay: a new row with the same key would clash on flush."""
    existing = {id(target_of(link)): link for link in links}
    kept = []
    for position, target in enumerate(targets):
        link = existing.get(id(target)) or make(target)
        link.position = position
        kept.append(link)
    links[:] = kept


# --- export ---------------------------------------------------------------------


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
    _put(data, "scale", _nested_from_map(row.scale, default, SCALE_TEXTS))
    return data


def _export_person(row: Person, default: str) -> dict[str, Any]:
    data: dict[str, Any] = {"id": row.key, "name": row.name}
    _put(data, "roles", list(row.roles or []))
    _put(data, "title", from_map(row.title, default))
    _put(data, "organisation", from_map(row.organisation, default))
    _put(data, "organisation_type", row.organisation_type)
    _put(data, "country", row.country)
    _put(data, "email", row.email)
    _put(data, "presentation", _nested_from_map(row.presentation, default, PRESENTATION_TEXTS))
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
    _put(data, "assessment", _nested_from_map(row.assessment, default, SCALE_TEXTS))
    return data


def _export_case(row: CaseStudy, default: str) -> dict[str, Any]:
    data: dict[str, Any] = {"id": row.key, "title": from_map(row.title, default)}
    _put(data, "description", from_map(row.description, default))
    _put(data, "territory", from_map(row.territory, default))
    _put(data, "organisations", list(row.organisations or []))
    return data
