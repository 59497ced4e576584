"""Forming a round: the preview builds (or rebuilds) its groups and members by the rule, and
opening it sends every member's screens to their group, spread over a window so a thousand
phones do not resync in the same instant. A round goes `preview` -> `open` -> `closed`.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from facilitator.agenda.models import GuidelineBlock, ProgramItem, Workshop
from facilitator.breakouts import forming
from facilitator.breakouts.changes import Moved, RoundChanged
from facilitator.breakouts.models import (
    MODES,
    OPEN,
    PREVIEW,
    BreakoutGroup,
    BreakoutRound,
    GroupMember,
)
from facilitator.breakouts.rounds import (
    MAX_GROUPS,
    BreakoutRefused,
    Rule,
    as_person,
    current_round,
    settle,
)
from facilitator.live.models import LiveState
from facilitator.participation.models import Participant

# A phone's resync after a mass move costs the server 5-10 ms of CPU (its whole snapshot),
# more on a shared machine: a thousand phones spread theirs over 12 s (at most 15 s), so
# that the staff screens' events and pings still get through (a backlog near the 20 s
# ping timeout dropped the projector; docs/performance.md, the breakout phase).
SPREAD_PER_PHONE_MS = 12
SPREAD_MAX_MS = 15_000


def check_blocks(db: Session, workshop: Workshop, keys: Iterable[str]) -> list[str]:
    known = set(
        db.scalars(select(GuidelineBlock.key).where(GuidelineBlock.workshop_id == workshop.id))
    )
    wanted = list(dict.fromkeys(keys))
    if any(key not in known for key in wanted):
        raise BreakoutRefused("unknown_block")
    return wanted


def _item(db: Session, workshop: Workshop, key: str | None) -> ProgramItem | None:
    if key is not None:
        item = db.scalar(
            select(ProgramItem).where(
                ProgramItem.workshop_id == workshop.id, ProgramItem.key == key
            )
        )
        if item is None:
            raise BreakoutRefused("unknown_item")
        return item
    state = db.get(LiveState, workshop.id)  # none given: the current item, if a breakout
    current = None if state is None else state.current_item
    return current if current is not None and current.kind == "breakout" else None


def _check_rule(rule: Rule) -> None:
    if rule.mode not in MODES:
        raise BreakoutRefused("unknown_mode")
    if (rule.groups is None) == (rule.size is None):
        raise BreakoutRefused("groups_or_size")  # N groups, or N per group: one of them
    for number in (rule.groups, rule.size, rule.max_size):
        if number is not None and not 1 <= number <= 1000:
            raise BreakoutRefused("out_of_range")
    if rule.groups is not None and rule.groups > MAX_GROUPS:
        raise BreakoutRefused("out_of_range")


def preview(
    db: Session,
    workshop: Workshop,
    rule: Rule,
    *,
    now: datetime,
    item: str | None = None,
    blocks: Sequence[str] | None = None,
    present: Iterable[int] | None = None,
    rng: random.Random | None = None,
) -> tuple[BreakoutRound, list[object]]:
    """Build (or rebuild) the round in preview, its groups and members by the rule.

    `present`: the participants to place (those connected now); None or empty: every
    participant of the workshop. The others are placed when they come back (`join`).
    """
    _check_rule(rule)
    program_item = _item(db, workshop, item)
    keys = check_blocks(
        db,
        workshop,
        blocks
        if blocks is not None
        else [b.key for b in (program_item.blocks if program_item else [])],
    )
    existing = current_round(db, workshop.id)
    if existing is not None:
        settle(existing, now)
        if existing.state == OPEN:
            raise BreakoutRefused("round_open")
        if existing.state == PREVIEW:
            db.delete(existing)
            db.flush()
        else:  # a closed round gives way to the new one: kept for the record
            existing.ended_at = now
    people = list(
        db.scalars(
            select(Participant)
            .where(Participant.workshop_id == workshop.id, Participant.removed_at.is_(None))
            .order_by(Participant.id)
        )
    )
    wanted = set(present or ())
    if wanted & {p.id for p in people}:
        people = [p for p in people if p.id in wanted]
    formed = forming.form(
        rule.mode,
        [as_person(p) for p in people],
        groups=rule.groups,
        size=rule.size,
        rng=rng or random.Random(),
    )
    round_ = BreakoutRound(
        workshop_id=workshop.id,
        item_key=None if program_item is None else program_item.key,
        mode=rule.mode,
        settings={"groups": rule.groups, "size": rule.size, "max_size": _max_size(rule)},
        state=PREVIEW,
        gallery=False,
        report_cycle=False,
        votes_per_member=3,
        created_at=now,
    )
    db.add(round_)
    db.flush()
    blocks_by_group = forming.spread_blocks(keys, len(formed))
    groups = [
        new_group(round_, position, block_keys, made.language, now)
        for position, (made, block_keys) in enumerate(
            zip(formed, blocks_by_group, strict=True), start=1
        )
    ]
    db.add_all(groups)
    db.flush()
    rows = [
        {"round_id": round_.id, "group_id": group.id, "participant_id": pid, "placed_at": now}
        for group, made in zip(groups, formed, strict=True)
        for pid in made.members
    ]
    if rows:  # one statement for every member, not one flush per row
        db.execute(insert(GroupMember), rows)
    return round_, [RoundChanged(workshop.id, round_.id, members=True)]


def _max_size(rule: Rule) -> int | None:
    """Self-select "N per group" means at most N in each, unless a limit is given."""
    if rule.max_size is None and rule.mode == forming.SELF:
        return rule.size
    return rule.max_size


def new_group(
    round_: BreakoutRound, position: int, blocks: list[str], language: str | None, now: datetime
) -> BreakoutGroup:
    return BreakoutGroup(
        round_id=round_.id,
        workshop_id=round_.workshop_id,
        position=position,
        name="",
        block_keys=blocks,
        language=language,
        phase="write",
        last_activity_at=now,
    )


def open_round(db: Session, round_: BreakoutRound, now: datetime) -> list[object]:
    """Preview -> open: every member's screens now follow their group."""
    if round_.state != PREVIEW:
        raise BreakoutRefused("not_preview")
    round_.state = OPEN
    round_.opened_at = now
    db.flush()
    moved = spread(
        [
            Moved(round_.workshop_id, pid, gid)
            for pid, gid in db.execute(
                select(GroupMember.participant_id, GroupMember.group_id)
                .where(GroupMember.round_id == round_.id)
                .order_by(GroupMember.id)
            )
        ]
    )
    # Each phone hears it was moved before it hears the round opened: a phone that knows a
    # placement is on its way does not ask for one (`breakouts.join`).
    return [*moved, RoundChanged(round_.workshop_id, round_.id, members=True)]


def spread(moved: list[Moved]) -> list[Moved]:
    """Many phones moved at once (a round opened or ended) resync over a window that grows
    with their number, not all in the same instant: a thousand snapshots at once would hold
    the server for seconds and drop the staff screens behind them. One phone moved resyncs
    at once."""
    if len(moved) < 2:
        return moved
    window = min(SPREAD_MAX_MS, len(moved) * SPREAD_PER_PHONE_MS)
    return [dataclasses.replace(m, spread_ms=window) for m in moved]
