"""Storing a validated agenda as a workshop, and deleting a workshop.

Storing goes through the agenda's canonical plain data (`schema.agenda_to_data`),
as exporting does (`exporter`), so the database and the file format meet in one
shape. The role rules of updates and deletions are checked here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from typing import Any, TypeVar

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
    Workshop,
)
from facilitator.agenda.schema import AgendaSpec, agenda_to_data
from facilitator.agenda.texts import PRESENTATION_TEXTS, SCALE_TEXTS, nested_to_map, to_map
from facilitator.database import utcnow

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


def store_agenda(db: Session, agenda: AgendaSpec, actor: User | None = None) -> StoreResult:
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
    row.presentation = nested_to_map(item.get("presentation"), default, PRESENTATION_TEXTS)


def _fill_question(row: GuidingQuestion, item: dict[str, Any], default: str) -> None:
    row.text = to_map(item["text"], default) or {}
    row.type = item.get("type", "open")
    options = item.get("options")
    row.options = None if options is None else [to_map(o, default) or {} for o in options]
    row.scale = nested_to_map(item.get("scale"), default, SCALE_TEXTS)


def _fill_block(row: GuidelineBlock, item: dict[str, Any], default: str) -> None:
    row.title = to_map(item["title"], default) or {}
    row.description = to_map(item.get("description"), default)
    row.prompts = [to_map(p, default) or {} for p in item.get("prompts", [])]
    row.assessment = nested_to_map(item.get("assessment"), default, SCALE_TEXTS)


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
