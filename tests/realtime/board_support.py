"""Arrangements and checks for the handler matrix's cases of the breakout boards.

`arrange(world)` opens a round of two groups on one guideline block: group A with the
world's first participant (Ana, its rapporteur), group B with the second (Min-jun), two
cards of Ana's in A, group A in phase `vote`. The matrix's "member of another group" is
Min-jun, who may read and write his own board only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from facilitator.agenda.models import GuidelineBlock
from facilitator.breakouts.board_models import Assessment, Card, CardVote, Synthesis
from facilitator.breakouts.models import OPEN, BreakoutGroup, BreakoutRound, GroupMember
from facilitator.database import utcnow
from tests.realtime.support import World

PROMPTS = [
    {"en": "What is the situation?", "fr": "Quelle est la situation ?"},
    {"en": "What are the challenges?", "fr": "Quels sont les défis ?"},
    {"en": "Which actions and actors?"},
]


def arrange(world: World) -> None:
    with world.session() as s:
        if s.scalar(select(BreakoutRound.id).where(BreakoutRound.workshop_id == world.workshop_id)):
            return
        s.add(
            GuidelineBlock(
                workshop_id=world.workshop_id,
                key="legal",
                position=99,
                title={"en": "Legal frameworks"},
                prompts=PROMPTS,
                assessment={"min": 1, "max": 5},
            )
        )
        now = utcnow()
        board_round = BreakoutRound(
            workshop_id=world.workshop_id,
            mode="manual",
            settings={},
            state=OPEN,
            created_at=now,
            opened_at=now,
        )
        s.add(board_round)
        s.flush()
        a = BreakoutGroup(
            round_id=board_round.id,
            workshop_id=world.workshop_id,
            position=1,
            name="A",
            block_keys=["legal"],
            rapporteur_id=world.participant.id,
            phase="vote",
        )
        b = BreakoutGroup(
            round_id=board_round.id,
            workshop_id=world.workshop_id,
            position=2,
            name="B",
            block_keys=["legal"],
            rapporteur_id=world.participant2.id,
        )
        s.add_all([a, b])
        s.flush()
        for pid, gid in ((world.participant.id, a.id), (world.participant2.id, b.id)):
            s.add(GroupMember(round_id=board_round.id, group_id=gid, participant_id=pid))
        for n, text in enumerate(("First card", "Second card")):
            s.add(
                Card(
                    workshop_id=world.workshop_id,
                    group_id=a.id,
                    block_key="legal",
                    column=0,
                    position=n + 1,
                    text=text,
                    author_participant_id=world.participant.id,
                )
            )
        s.commit()


def merged(world: World) -> None:
    arrange(world)
    with world.session() as s:
        first = s.get(Card, card_id(world))
        assert first is not None
        first.cluster_id = card2_id(world)
        s.commit()


def _group(world: World, position: int) -> int:
    with world.session() as s:
        found = s.scalar(
            select(BreakoutGroup.id)
            .join(BreakoutRound, BreakoutRound.id == BreakoutGroup.round_id)
            .where(
                BreakoutRound.workshop_id == world.workshop_id, BreakoutGroup.position == position
            )
        )
        return int(found or 1)


def group_a(world: World) -> int:
    return _group(world, 1)


def group_b(world: World) -> int:
    return _group(world, 2)


def _card(world: World, text: str) -> int:
    with world.session() as s:
        return int(s.scalar(select(Card.id).where(Card.text == text)) or 1)


def card_id(world: World) -> int:
    return _card(world, "First card")


def card2_id(world: World) -> int:
    return _card(world, "Second card")


def card(world: World) -> Card:
    with world.session() as s:
        found = s.get(Card, card_id(world))
        assert found is not None
        return found


def phase_of(world: World, group_id: int) -> str:
    with world.session() as s:
        found = s.get(BreakoutGroup, group_id)
        assert found is not None
        return found.phase


def count(world: World, model: Any, *where: Any) -> int:
    with world.session() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def synthesis_text(world: World) -> str | None:
    with world.session() as s:
        return s.scalar(select(Synthesis.text))


@dataclass(frozen=True)
class BoardPrint:
    """Everything a board event may change, to prove that a refused one changed nothing."""

    cards: tuple[tuple[Any, ...], ...]
    votes: int
    assessments: int
    syntheses: tuple[tuple[Any, ...], ...]
    phases: tuple[tuple[Any, ...], ...]


def board_print(world: World) -> BoardPrint:
    with world.session() as s:
        return BoardPrint(
            tuple(
                s.execute(
                    select(
                        Card.id, Card.text, Card.version, Card.column, Card.cluster_id, Card.removed
                    ).order_by(Card.id)
                ).all()
            ),
            s.scalar(select(func.count(CardVote.id))) or 0,
            s.scalar(select(func.count(Assessment.id))) or 0,
            tuple(s.execute(select(Synthesis.group_id, Synthesis.text, Synthesis.version)).all()),
            tuple(
                s.execute(
                    select(
                        BreakoutGroup.id, BreakoutGroup.phase, BreakoutGroup.phase_deadline
                    ).order_by(BreakoutGroup.id)
                ).all()
            ),
        )
