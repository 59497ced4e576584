"""`facilitator bench record`: a workshop with many participants and contributions, compiled
and exported to every format; the milliseconds of each (docs/performance.md, "Record")."""

from __future__ import annotations

import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from facilitator.accounts.services import create_user
from facilitator.agenda.parsing import parse_agenda
from facilitator.agenda.services import store_agenda
from facilitator.database import make_engine, make_session_factory
from facilitator.models import Base
from facilitator.participation.models import Participant
from facilitator.qa.models import AudienceQuestion
from facilitator.record import exporting
from facilitator.record.compile import compile_record
from facilitator.record.notes import Where, save_note

SEED = (
    Path(__file__).resolve().parents[2]
    / "sessions"
    / "2020-gsef-local-governments-sse-partnership.yaml"
)


def run(participants: int, contributions: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.db")
        Base.metadata.create_all(engine)
        with make_session_factory(engine)() as db:
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
            notes = contributions // 10
            for i in range(contributions - notes):
                p = people[i % participants]
                db.add(
                    AudienceQuestion(
                        workshop_id=workshop.id,
                        participant_id=p.id,
                        name=p.display_name if i % 2 else None,
                        text=f"Question {i} about SSE and local governments?",
                        language=p.language,
                        status="answered",
                        answered_by_name="Young Kim",
                        answer_text=f"Answer {i}.",
                        created_at=now,
                    )
                )
            for i in range(notes):
                where = Where("conclusion", name=f"Person {i}")
                save_note(
                    db,
                    user,
                    workshop,
                    where,
                    f"Conclusion {i}. " * 20,
                    "en",
                    0,
                    str(uuid.uuid4()),
                    now,
                )
            db.commit()
            figures: dict[str, float] = {}
            start = time.perf_counter()
            record = compile_record(db, workshop, "en", now)
            figures["compile_ms"] = round((time.perf_counter() - start) * 1000, 1)
            for fmt in exporting.FORMATS:
                start = time.perf_counter()
                exporting.export(record, fmt)
                figures[f"{fmt}_ms"] = round((time.perf_counter() - start) * 1000, 1)
        engine.dispose()
    figures["participants"] = participants
    figures["contributions"] = contributions
    return figures
