"""`facilitator bench record`: a workshop with many participants and contributions, compiled
and exported to every format; the milliseconds of each (docs/performance.md, "Record")."""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.accounts.services import create_user
from facilitator.agenda.models import Workshop
from facilitator.agenda.parsing import parse_agenda
from facilitator.agenda.services import store_agenda
from facilitator.database import make_engine, make_session_factory
from facilitator.models import Base
from facilitator.participation.models import Participant
from facilitator.qa.models import AudienceQuestion
from facilitator.questions.lifecycle import ensure_questions
from facilitator.questions.models import Answer
from facilitator.record import exporting
from facilitator.record.compile import compile_record
from facilitator.record.data import Record
from facilitator.record.exporters import pdf
from facilitator.record.models import Note
from facilitator.record.notes import NoteKind, Where, save_note, slot_of

SEED = (
    Path(__file__).resolve().parents[2]
    / "sessions"
    / "2020-gsef-local-governments-sse-partnership.yaml"
)


def _version(db: Session, workshop_id: int, where: Where) -> int:
    note = db.scalar(
        select(Note).where(Note.workshop_id == workshop_id, Note.slot == slot_of(where))
    )
    return 0 if note is None else note.version


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)


def populate(db: Session, participants: int, contributions: int) -> tuple[Workshop, datetime]:
    """The seed-001 workshop with `participants` and `contributions` in a session's mix."""
    user = create_user(db, "bench@example.org", "bench password 1234", "Bench")
    workshop = store_agenda(db, parse_agenda(SEED.read_bytes()).agenda, user).workshop
    now = datetime(2020, 10, 22, 13, tzinfo=UTC)
    people = [
        Participant(
            workshop_id=workshop.id,
            token_hash=uuid.uuid4().hex * 2,
            display_name=f"P{i}",
            language=("en", "fr", "ko")[i % 3],
            country=("FR", "KR", "SN", "JP")[i % 4],
            stakeholder_type="citizen",
        )
        for i in range(participants)
    ]
    db.add_all(people)
    db.flush()
    # The mix of a session: answers to the guiding question, audience questions
    # (one in five answered, as the record shows them), the rapporteur's notes.
    notes = contributions // 10
    asked = contributions // 5
    answers = contributions - notes - asked
    question = ensure_questions(db, workshop.id)[0]
    for i in range(answers):
        p = people[i % participants]
        text = f"Answer {i}: partnerships, financing and local policy."
        db.add(
            Answer(
                question_id=question.id,
                participant_id=p.id,
                slot=i // participants,
                value=text,
                text=text,
                created_at=now,
            )
        )
    for i in range(asked):
        p = people[i % participants]
        db.add(
            AudienceQuestion(
                workshop_id=workshop.id,
                participant_id=p.id,
                name=p.display_name if i % 2 else None,
                text=f"Question {i} about SSE and local governments?",
                language=p.language,
                status="answered" if i % 5 == 0 else "open",
                answered_by_name="Young Kim" if i % 5 == 0 else None,
                answer_text=f"Answer {i}." if i % 5 == 0 else None,
                created_at=now,
            )
        )
    kinds: tuple[NoteKind, ...] = ("conclusion", "summary", "item")
    for i in range(notes):
        kind = kinds[i % 3]
        if kind == "item":
            where = Where("item", item=workshop.program[i % len(workshop.program)].key)
        else:
            where = Where(kind, name=f"Person {i}")
        save_note(
            db,
            user,
            workshop,
            where,
            f"Note {i}. " + "Words of a note. " * 12,
            "en",
            0 if kind != "item" else _version(db, workshop.id, where),
            str(uuid.uuid4()),
            now,
        )
    db.commit()
    return workshop, now


def _cpu_s(pid: int) -> float:
    """CPU seconds a process has used (Linux), 0 where /proc cannot tell."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pdf(record: Record) -> dict[str, float]:
    """The PDF as `facilitator serve` makes it, through the PDF worker: `pdf_first_ms`
    from a worker started by the request itself (nobody had opened a record screen since
    the server started, or it had ended for idleness), `pdf_ms` from the warm one (what a
    rapporteur pays: opening the notes or review screen starts it), and `pdf_cpu_ms` the
    CPU that export used in both processes (what it would take on an idle machine; on a
    shared one the wall clock also counts others' work). `pdf_here_ms`: laid out in this
    process, as the CLI does."""
    worker = pdf.Worker()
    try:
        start = time.perf_counter()
        pdf.export(record, isolated=True, worker=worker)
        first = _ms(start)
        assert worker.process is not None
        pid = worker.process.pid
        cpu = time.process_time() + _cpu_s(pid)
        start = time.perf_counter()
        pdf.export(record, isolated=True, worker=worker)
        warm = _ms(start)
        cpu = time.process_time() + _cpu_s(pid) - cpu
    finally:
        worker.stop()
    start = time.perf_counter()
    pdf.export(record, isolated=False)
    return {
        "pdf_ms": warm,
        "pdf_cpu_ms": round(cpu * 1000),
        "pdf_first_ms": first,
        "pdf_here_ms": _ms(start),
    }


def run(participants: int, contributions: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.db")
        Base.metadata.create_all(engine)
        with make_session_factory(engine)() as db:
            workshop, now = populate(db, participants, contributions)
            figures: dict[str, float] = {}
            start = time.perf_counter()
            record = compile_record(db, workshop, "en", now)
            figures["compile_ms"] = _ms(start)
            for fmt in exporting.FORMATS:
                if fmt == "pdf":
                    figures.update(_pdf(record))
                    continue
                # The first export of a format also loads its library (the DOCX template):
                # a worker pays that once; the figure is the steady one, the first beside it.
                start = time.perf_counter()
                exporting.export(record, fmt)
                first = _ms(start)
                start = time.perf_counter()
                exporting.export(record, fmt)
                figures[f"{fmt}_ms"] = _ms(start)
                figures[f"{fmt}_first_ms"] = first
        engine.dispose()
    figures["participants"] = participants
    figures["contributions"] = contributions
    return figures
