"""A breakout round with two groups on guideline blocks, built straight as rows, for the
board's service tests (SQLite and PostgreSQL), and a `race` of two connections."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from facilitator.accounts.models import User
from facilitator.agenda.models import GuidelineBlock, Workshop
from facilitator.breakouts.models import OPEN, BreakoutGroup, BreakoutRound, GroupMember
from facilitator.database import make_session_factory, utcnow
from facilitator.participation.models import Participant
from facilitator.qa.models import QaSettings
from facilitator.realtime.connections import Principal
from tests.conftest import minimal_workshop

PROMPTS = [
    {"en": "What is the situation?", "fr": "Quelle est la situation ?"},
    {"en": "What are the challenges?", "fr": "Quels sont les défis ?"},
    {"en": "Which actions and actors?", "fr": "Quelles actions et quels acteurs ?"},
]
SCALE = {"min": 1, "max": 5, "min_label": {"en": "Not in place", "fr": "Absent"}, "max_label": None}


@dataclass
class Board:
    db: Session
    workshop_id: int
    round_id: int
    a: int  # group A: blocks legal + funding; Ana (rapporteur), Ben, Chloé
    b: int  # group B: block legal; Dan
    ana: int
    ben: int
    chloe: int
    dan: int
    moderator_id: int

    def phone(self, participant_id: int, language: str = "en") -> Principal:
        return Principal(
            "participant", self.workshop_id, participant_id=participant_id, language=language
        )

    @property
    def moderator(self) -> Principal:
        return Principal("moderator", self.workshop_id, user_id=self.moderator_id)

    @property
    def display(self) -> Principal:
        return Principal("display", self.workshop_id)

    def group(self, group_id: int) -> BreakoutGroup:
        group = self.db.get(BreakoutGroup, group_id)
        assert group is not None
        return group

    def round(self) -> BreakoutRound:
        found = self.db.get(BreakoutRound, self.round_id)
        assert found is not None
        return found

    def set(self, **values: object) -> None:
        """Change the round (state, closes_at, gallery, report_group_id …) and commit."""
        found = self.round()
        for name, value in values.items():
            setattr(found, name, value)
        self.db.commit()

    def phase(self, phase: str, *groups: int) -> None:
        for group_id in groups or (self.a, self.b):
            self.group(group_id).phase = phase
        self.db.commit()


def person(
    db: Session,
    workshop_id: int,
    name: str | None,
    language: str = "en",
    country: str | None = None,
) -> int:
    token = f"{workshop_id}-{name}-{language}"
    row = Participant(
        workshop_id=workshop_id,
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
        display_name=name,
        language=language,
        country=country,
    )
    db.add(row)
    db.flush()
    return row.id


def build(db: Session, *, anonymous: bool = False, votes: int = 3) -> Board:
    workshop: Workshop = minimal_workshop("boards", "Boards")
    workshop.languages = ["en", "fr"]
    db.add(workshop)
    db.flush()
    db.add_all(
        [
            GuidelineBlock(
                workshop_id=workshop.id,
                key="legal",
                position=1,
                title={"en": "Legal frameworks", "fr": "Cadres juridiques"},
                prompts=PROMPTS,
                assessment=SCALE,
            ),
            GuidelineBlock(
                workshop_id=workshop.id,
                key="funding",
                position=2,
                title={"en": "Funding"},
                prompts=PROMPTS[:2],
                assessment=None,
            ),
        ]
    )
    if anonymous:
        db.add(QaSettings(workshop_id=workshop.id, moderated=False, names="anonymous"))
    user = User(email="mod@example.org", name="Mo Derator", password_hash="x")
    db.add(user)
    now = utcnow()
    board_round = BreakoutRound(
        workshop_id=workshop.id,
        mode="manual",
        settings={},
        state=OPEN,
        votes_per_member=votes,
        created_at=now,
        opened_at=now,
    )
    db.add(board_round)
    db.flush()
    ana = person(db, workshop.id, "Ana", "en", "BR")
    ben = person(db, workshop.id, "Ben", "fr", "FR")
    chloe = person(db, workshop.id, None, "ko", "FR")
    dan = person(db, workshop.id, "Dan", "en")
    a = BreakoutGroup(
        round_id=board_round.id,
        workshop_id=workshop.id,
        position=1,
        name="A",
        block_keys=["legal", "funding"],
        rapporteur_id=ana,
        phase="write",
    )
    b = BreakoutGroup(
        round_id=board_round.id,
        workshop_id=workshop.id,
        position=2,
        name="B",
        block_keys=["legal"],
        phase="write",
    )
    db.add_all([a, b])
    db.flush()
    for pid, gid in ((ana, a.id), (ben, a.id), (chloe, a.id), (dan, b.id)):
        db.add(
            GroupMember(round_id=board_round.id, group_id=gid, participant_id=pid, placed_at=now)
        )
    db.commit()
    return Board(db, workshop.id, board_round.id, a.id, b.id, ana, ben, chloe, dan, user.id)


def later(seconds: int = 1) -> object:
    return utcnow() + timedelta(seconds=seconds)


def race(engine: Engine, *works: Callable[[Session], None]) -> list[BaseException]:
    """Each work in a thread with a session (a connection) of its own, released together;
    commit each; return what they raised (a refusal is an answer, not a failure)."""
    factory = make_session_factory(engine)
    barrier = threading.Barrier(len(works))
    raised: list[BaseException] = []

    def run(work: Callable[[Session], None]) -> None:
        try:
            with factory() as s:
                barrier.wait(timeout=10)
                work(s)
                s.commit()
        except BaseException as exc:  # reported to the test
            raised.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return raised
