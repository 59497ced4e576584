"""Arrangements and checks for the handler matrix's cases of forming and running groups.

`formed`: a manual round in preview with two groups, the participant (Ana) in group A and
participant2 (Min-jun) in group B; `opened` the same, open. Ids are read after arranging;
with nothing arranged they fall back to 1 (a payload that is refused anyway).
"""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import func, select

from facilitator.breakouts import opening, placing, rounds, running
from facilitator.breakouts.models import BreakoutGroup, BreakoutRound, GroupMessage, HelpRequest
from facilitator.breakouts.rounds import Rule
from facilitator.database import utcnow
from facilitator.participation.models import Participant
from tests.realtime.support import World, as_organiser

__all__ = ["GroupMessage", "HelpRequest"]  # counted by the matrix


def _form(world: World, rule: Rule, place: bool = True, open_it: bool = False) -> None:
    s, _user, workshop = as_organiser(world)
    with s:
        round_, _ = opening.preview(
            s,
            workshop,
            rule,
            now=utcnow(),
            present=[world.participant2.id] if rule.mode == "random" else None,
            rng=random.Random(1),
        )
        a, b = rounds.groups_of(s, round_.id)[:2]
        if place:
            placing.move(s, round_, world.participant.id, a.id, utcnow())
            placing.move(s, round_, world.participant2.id, b.id, utcnow())
        if open_it:
            opening.open_round(s, round_, utcnow())
        s.commit()


def formed(world: World) -> None:
    _form(world, Rule("manual", groups=2))


def opened(world: World) -> None:
    _form(world, Rule("manual", groups=2), open_it=True)


def self_select(world: World) -> None:
    _form(world, Rule("self", groups=2, max_size=5), place=False, open_it=True)


def random_without_ana(world: World) -> None:
    """A random round, open, formed while only Min-jun was connected: Ana comes late."""
    _form(world, Rule("random", groups=2), place=False, open_it=True)


def _with_round(world: World, change: Any) -> None:
    s, _user, _workshop = as_organiser(world)
    with s:
        round_ = rounds.require_round(s, world.workshop_id, utcnow())
        change(s, round_)
        s.commit()


def help_waiting(world: World) -> None:
    opened(world)

    def call(s: Any, round_: BreakoutRound) -> None:
        me = s.get(Participant, world.participant2.id)
        running.call_help(s, round_, me, utcnow())

    _with_round(world, call)


def closed(world: World) -> None:
    opened(world)
    _with_round(world, lambda s, r: running.close(s, r, 0, utcnow()))


def timer_running(world: World) -> None:
    opened(world)
    _with_round(world, lambda s, r: running.set_timer(s, r, 600, None, utcnow()))


# --- ids and rows -------------------------------------------------------------------------


def _group(world: World, n: int) -> int:
    with world.session() as s:
        found = rounds.current_round(s, world.workshop_id)
        groups = [] if found is None else rounds.groups_of(s, found.id)
        return groups[n].id if len(groups) > n else 1


def group_a(world: World) -> int:
    return _group(world, 0)


def group_b(world: World) -> int:
    return _group(world, 1)


def ana(world: World) -> int:
    return world.participant.id


def request_id(world: World) -> int:
    with world.session() as s:
        return int(s.scalar(select(func.max(HelpRequest.id))) or 1)


def round_row(world: World) -> BreakoutRound | None:
    """The latest round, whether or not it ended."""
    with world.session() as s:
        return s.scalar(select(BreakoutRound).order_by(BreakoutRound.id.desc()).limit(1))


def state(world: World) -> str | None:
    found = round_row(world)
    return None if found is None else rounds.state_of(found, utcnow())


def group_row(world: World, group_id: int) -> BreakoutGroup | None:
    with world.session() as s:
        return s.get(BreakoutGroup, group_id)


def group_count(world: World) -> int:
    found = round_row(world)
    if found is None:
        return 0
    with world.session() as s:
        return len(rounds.groups_of(s, found.id))


def group_of(world: World, participant_id: int) -> int | None:
    found = round_row(world)
    if found is None:
        return None
    with world.session() as s:
        return rounds.group_of(s, found.id, participant_id)


def help_answered(world: World) -> bool:
    with world.session() as s:
        request = s.scalar(select(HelpRequest).order_by(HelpRequest.id.desc()).limit(1))
        return request is not None and request.answered_at is not None


def timer_left_s(world: World) -> float:
    found = round_row(world)
    if found is None or found.timer_ends_at is None:
        return 0.0
    return (found.timer_ends_at - utcnow()).total_seconds()
