"""Compile the record from everything the app knows: `compile_record` -> `Record`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from facilitator.agenda.models import Workshop
from facilitator.record import contributions as parts
from facilitator.record import sections
from facilitator.record.breakouts import breakouts
from facilitator.record.data import FORMAT, Record
from facilitator.record.models import RecordSettings
from facilitator.record.review import apply_edits

LANGUAGES = ("en", "fr", "es", "pt", "ko")
MODERATOR_ROLES = {"moderator", "facilitator", "host"}
SPEAKER_ROLES = {"speaker", "panelist", "presenter", "keynote"}


def compile_record(
    db: Session, workshop: Workshop, language: str, now: datetime, *, review: bool = True
) -> Record:
    """The draft record, headings in `language`; `review`: with the draft's edits applied."""
    default = workshop.default_language
    notes = parts.Notes(db, workshop)
    qa = parts.audience_qa(db, workshop)
    people = [sections.person_info(p, language, default) for p in workshop.people]
    groups = breakouts(db, workshop, language)
    record = Record(
        format=FORMAT,
        slug=workshop.slug,
        language=language if language in LANGUAGES else "en",
        status="draft",
        version=None,
        generated_at=now.isoformat(),
        session=sections.session_info(workshop, language),
        participants=sections.participants(db, workshop),
        moderators=[p for p in people if MODERATOR_ROLES & set(p.roles)],
        speakers=[p for p in people if SPEAKER_ROLES & set(p.roles)],
        objectives=[t for o in workshop.objectives if (t := sections.pick(o, language, default))],
        main_question=sections.pick(workshop.main_question, language, default),
        program=sections.program(db, workshop, language),
        item_notes=notes.section("item", "item"),
        summaries=notes.section("summary", "summary"),
        guiding_questions=parts.guiding_questions(db, workshop, notes, language),
        audience_qa=qa,
        breakouts=groups.groups,
        case_studies=sections.case_studies(workshop, language),
        conclusions=notes.section("conclusion", "conclusion"),
        images=parts.images(db, workshop.id),
        contributions=[*parts.contributions(db, workshop, qa, notes, language), *groups.cards],
        radar=groups.radar,
        radar_territories=groups.territories,
    )
    settings = db.get(RecordSettings, workshop.id)
    if review and settings is not None and settings.edits:
        apply_edits(record, settings.edits)
    return record
