"""What the record and the report-back read of the boards: each group's cards folded by
cluster with their votes, its top cards, synthesis and self-assessment, and the room's radar.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from facilitator.agenda.models import GuidelineBlock, Workshop
from facilitator.breakouts.board_authors import authors
from facilitator.breakouts.board_models import Assessment, Card, Synthesis
from facilitator.breakouts.board_rules import blocks_of, round_of
from facilitator.breakouts.board_wire import (
    Distribution,
    distribution,
    distribution_of,
    pick,
    visible_cards,
    vote_counts,
)
from facilitator.breakouts.models import BreakoutGroup, BreakoutRound, GroupMember
from facilitator.participation.models import Participant

TOP_CARDS = 5

# --- what the record and the report-back read ---------------------------------------------------


@dataclass(frozen=True)
class OutputCard:
    """A card of the board as the record keeps it; `votes` counts its whole cluster for a
    cluster's head, and `merged` lists the texts merged into it."""

    id: int
    block_key: str
    column: int
    text: str
    author: str | None  # None: anonymous, or not named
    votes: int
    merged: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupOutput:
    """What one group of one round brought back: the record's part of a breakout."""

    round_id: int
    item_key: str | None
    group_id: int
    position: int
    name: str
    block_keys: tuple[str, ...]
    members: int
    synthesis: str | None
    synthesis_by: str | None
    cards: tuple[OutputCard, ...]  # every visible card, clusters folded into their head
    top_cards: tuple[OutputCard, ...]  # the most voted (at least one vote), at most TOP_CARDS
    assessment: tuple[Distribution, ...]  # per block of the group that has a scale


@dataclass(frozen=True)
class RadarBlock:
    key: str
    title: dict[str, str]  # the agenda's text map
    mean: float | None
    count: int
    min: int
    max: int


@dataclass(frozen=True)
class Radar:
    """The room's self-assessment per block (mean and count), and per territory (the
    participants' country) where participants gave one."""

    blocks: tuple[RadarBlock, ...]
    territories: dict[str, tuple[RadarBlock, ...]]

    def wire(self, language: str | None, default: str) -> dict[str, Any]:
        def one(b: RadarBlock) -> dict[str, Any]:
            return {
                "key": b.key,
                "title": pick(b.title, language, default),
                "mean": b.mean,
                "count": b.count,
                "min": b.min,
                "max": b.max,
            }

        return {
            "blocks": [one(b) for b in self.blocks],
            "territories": {t: [one(b) for b in bs] for t, bs in self.territories.items()},
        }


def folded_cards(db: Session, group: BreakoutGroup) -> list[OutputCard]:
    """The group's visible cards with their clusters folded into their heads, in board order."""
    cards = visible_cards(db, group.id)
    who = authors(db, group.workshop_id, cards)
    votes = vote_counts(db, group.id)
    children: dict[int, list[Card]] = {}
    for c in cards:
        if c.cluster_id is not None:
            children.setdefault(c.cluster_id, []).append(c)
    heads = [c for c in cards if c.cluster_id is None]
    return [
        OutputCard(
            id=c.id,
            block_key=c.block_key,
            column=c.column,
            text=c.text,
            author=who.name(c),
            votes=votes.get(c.id, 0) + sum(votes.get(k.id, 0) for k in children.get(c.id, [])),
            merged=tuple(k.text for k in children.get(c.id, [])),
        )
        for c in heads
    ]


def top_cards(cards: Iterable[OutputCard], n: int = TOP_CARDS) -> list[OutputCard]:
    voted = [c for c in cards if c.votes > 0]
    return sorted(voted, key=lambda c: (-c.votes, c.id))[:n]


def group_output(db: Session, group: BreakoutGroup) -> GroupOutput:
    board_round = round_of(db, group)
    cards = folded_cards(db, group)
    blocks = blocks_of(db, group.workshop_id, group.block_keys)
    members = db.scalar(
        select(func.count(GroupMember.id))
        .join(Participant, Participant.id == GroupMember.participant_id)
        .where(GroupMember.group_id == group.id, Participant.removed_at.is_(None))
    )
    synthesis = db.scalar(select(Synthesis).where(Synthesis.group_id == group.id))
    return GroupOutput(
        round_id=board_round.id,
        item_key=board_round.item_key,
        group_id=group.id,
        position=group.position,
        name=group.name,
        block_keys=tuple(group.block_keys),
        members=members or 0,
        synthesis=synthesis.text if synthesis is not None and synthesis.text else None,
        synthesis_by=synthesis.updated_by if synthesis is not None else None,
        cards=tuple(cards),
        top_cards=tuple(top_cards(cards)),
        assessment=tuple(
            distribution(db, group.id, k)
            for k in group.block_keys
            if k in blocks and blocks[k].assessment
        ),
    )


def group_outputs(db: Session, workshop: Workshop) -> list[GroupOutput]:
    """Every group of every round of the workshop that opened (previews never ran), in the
    order of the rounds and of the groups: for the session's record."""
    groups = db.scalars(
        select(BreakoutGroup)
        .join(BreakoutRound, BreakoutRound.id == BreakoutGroup.round_id)
        .where(BreakoutRound.workshop_id == workshop.id, BreakoutRound.opened_at.is_not(None))
        .order_by(BreakoutRound.id, BreakoutGroup.position, BreakoutGroup.id)
    )
    return [group_output(db, g) for g in groups]


def radar(db: Session, workshop: Workshop, round_id: int | None = None) -> Radar:
    """The room's radar of the blocks: the mean self-assessment per block that has a scale,
    over every round (or one), and the same per territory where participants gave one."""
    blocks = [
        b
        for b in db.scalars(
            select(GuidelineBlock)
            .where(GuidelineBlock.workshop_id == workshop.id)
            .order_by(GuidelineBlock.position)
        )
        if b.assessment
    ]
    query = (
        select(Assessment.block_key, Assessment.value, Participant.country)
        .join(Participant, Participant.id == Assessment.participant_id)
        .join(BreakoutRound, BreakoutRound.id == Assessment.round_id)
        .where(BreakoutRound.workshop_id == workshop.id, Participant.removed_at.is_(None))
    )
    if round_id is not None:
        query = query.where(Assessment.round_id == round_id)
    values: dict[str, list[int]] = {}
    by_territory: dict[str, dict[str, list[int]]] = {}
    for key, value, country in db.execute(query):
        values.setdefault(key, []).append(value)
        if country:
            by_territory.setdefault(country, {}).setdefault(key, []).append(value)

    def row(b: GuidelineBlock, got: list[int]) -> RadarBlock:
        d = distribution_of(b.key, got)
        scale = b.assessment or {}
        return RadarBlock(b.key, b.title, d.mean, d.count, scale.get("min", 0), scale.get("max", 0))

    return Radar(
        blocks=tuple(row(b, values.get(b.key, [])) for b in blocks),
        territories={
            t: tuple(row(b, got.get(b.key, [])) for b in blocks if b.key in got)
            for t, got in sorted(by_territory.items())
        },
    )
