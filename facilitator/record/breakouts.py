"""The breakout groups' part of the record, from what the breakouts feature stored
(`breakouts.board_outputs.group_outputs` and `radar`): block titles in the record's
language, each group's synthesis, top cards and self-assessment, and the room's radar."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.agenda.models import GuidelineBlock, Workshop
from facilitator.breakouts import board_outputs as board
from facilitator.record.data import (
    AssessmentInfo,
    BreakoutGroupInfo,
    CardInfo,
    Contribution,
    TerritoryRadar,
)
from facilitator.record.labels import country_name, group_name
from facilitator.record.sections import pick


@dataclass
class Breakouts:
    groups: list[BreakoutGroupInfo]
    radar: list[AssessmentInfo]
    cards: list[Contribution]  # every card, for the CSV
    territories: list[TerritoryRadar]


def breakouts(db: Session, workshop: Workshop, language: str) -> Breakouts:
    default = workshop.default_language
    titles = {
        block.key: pick(block.title, language, default) or block.key
        for block in db.scalars(
            select(GuidelineBlock).where(GuidelineBlock.workshop_id == workshop.id)
        )
    }
    items = {item.key: pick(item.title, language, default) for item in workshop.program}
    room = board.radar(db, workshop)
    scales = {b.key: (b.min, b.max) for b in room.blocks}  # a group's bars on its block's scale
    groups: list[BreakoutGroupInfo] = []
    cards: list[Contribution] = []
    rounds: dict[int, int] = {}
    for out in board.group_outputs(db, workshop):
        number = rounds.setdefault(out.round_id, len(rounds) + 1)
        entry_id = f"breakout:{out.group_id}"
        name = out.name or group_name(language, out.position)
        groups.append(
            BreakoutGroupInfo(
                id=entry_id,
                round=number,
                item=items.get(out.item_key) if out.item_key else None,
                name=name,
                blocks=[titles.get(k, k) for k in out.block_keys],
                members=out.members,
                synthesis=out.synthesis,
                synthesis_by=out.synthesis_by,
                top_cards=[
                    CardInfo(c.text, titles.get(c.block_key, c.block_key), c.votes, list(c.merged))
                    for c in out.top_cards
                ],
                assessment=[
                    AssessmentInfo(
                        titles.get(d.block_key, d.block_key),
                        d.mean,
                        d.count,
                        *scales.get(d.block_key, (None, None)),
                    )
                    for d in out.assessment
                ],
            )
        )
        for card in out.cards:
            for text in (card.text, *card.merged):
                cards.append(
                    Contribution(
                        kind="card",
                        column=titles.get(card.block_key, card.block_key),
                        text=text,
                        language=None,
                        author=card.author if text == card.text else None,
                        group=name,
                        at=None,
                        source=entry_id,
                    )
                )

    def rows(blocks: Iterable[board.RadarBlock]) -> list[AssessmentInfo]:
        return [
            AssessmentInfo(titles.get(b.key, b.key), b.mean, b.count, b.min, b.max) for b in blocks
        ]

    territories = [
        TerritoryRadar(code, country_name(language, code), rows(blocks))
        for code, blocks in room.territories.items()
    ]
    territories.sort(key=lambda t: t.territory)
    return Breakouts(groups, rows(room.blocks), cards, territories)
