"""What screens receive of forming and running groups: data and codes, never sentences.

A group's `name` is "" until the moderator names it: screens show "Group {position}" in
their own language. Participants' stakeholder type and country reach moderators only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Integer, Table, and_, bindparam, func, select
from sqlalchemy.orm import Session

from facilitator.agenda.models import Workshop
from facilitator.breakouts import board_outputs, rounds, running
from facilitator.breakouts.board_models import Card, CardVote, Synthesis
from facilitator.breakouts.models import (
    BreakoutGroup,
    BreakoutRound,
    GroupMember,
    GroupMessage,
    HelpRequest,
)
from facilitator.participation.models import Participant

_GROUP = cast(Table, BreakoutGroup.__table__).c
_MEMBER = cast(Table, GroupMember.__table__).c
_PERSON = cast(Table, Participant.__table__).c
ROUND_GROUPS = (
    select(
        _GROUP.id,
        _GROUP.position,
        _GROUP.name,
        _GROUP.block_keys,
        _GROUP.language,
        _GROUP.phase,
        _GROUP.timer_ends_at,
        func.count(_PERSON.id).label("members"),
    )
    .select_from(BreakoutGroup.__table__)
    .outerjoin(GroupMember.__table__, _MEMBER.group_id == _GROUP.id)
    .outerjoin(
        Participant.__table__,
        and_(_PERSON.id == _MEMBER.participant_id, _PERSON.removed_at.is_(None)),
    )
    .where(_GROUP.round_id == bindparam("round", type_=Integer))
    .group_by(_GROUP.id)
    .order_by(_GROUP.position, _GROUP.id)
)


def ms(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


def round_view(db: Session, round_: BreakoutRound | None, now: datetime) -> dict[str, Any] | None:
    """The round as everyone may see it: state, countdown, timer, groups and their sizes."""
    if round_ is None:
        return None
    # The groups and their sizes in one Core read: every phone's snapshot has it (a thousand
    # of them when a round opens), so no ORM rows are built for it.
    groups = db.connection().execute(ROUND_GROUPS, {"round": round_.id}).all()
    return {
        "id": round_.id,
        "item": round_.item_key,
        "state": rounds.state_of(round_, now),
        "mode": round_.mode,
        "max_size": round_.settings.get("max_size"),
        # As it was formed (number of groups, or people per group): the console's form
        # starts from it, so "Form again" is not random in four.
        "rule": {"groups": round_.settings.get("groups"), "size": round_.settings.get("size")},
        "closes_at_ms": ms(round_.closes_at),
        "gallery": round_.gallery,
        "report_group": round_.report_group_id,
        "report_cycle": round_.report_cycle,
        "timer_ends_at_ms": ms(round_.timer_ends_at),
        "votes_per_member": round_.votes_per_member,
        "groups": [
            {
                "id": g.id,
                "position": g.position,
                "name": g.name,
                "blocks": list(g.block_keys or []),
                "language": g.language,
                "phase": g.phase,
                "timer_ends_at_ms": ms(g.timer_ends_at),
                "members": g.members,
            }
            for g in groups
        ],
    }


def member_view(p: Participant) -> dict[str, Any]:
    return {"id": p.id, "name": p.display_name, "language": p.language}


def staff_member_view(p: Participant) -> dict[str, Any]:
    return {**member_view(p), "stakeholder_type": p.stakeholder_type, "country": p.country}


def group_view(
    group: BreakoutGroup, members: Iterable[Participant], online: set[int] | None = None
) -> dict[str, Any]:
    """One group's detail, for its members and the moderators (the meeting link is theirs
    only); `online`: who is connected, where the sender knows it."""
    people = []
    for p in members:
        view = member_view(p)
        if online is not None:
            view["connected"] = p.id in online
        people.append(view)
    return {
        "id": group.id,
        "round": group.round_id,
        "position": group.position,
        "name": group.name,
        "blocks": group.block_keys,
        "language": group.language,
        "meeting_url": group.meeting_url,
        "rapporteur": group.rapporteur_id,
        "phase": group.phase,
        "phase_deadline_ms": ms(group.phase_deadline),
        "timer_ends_at_ms": ms(group.timer_ends_at),
        "members": people,
    }


def group_detail(
    db: Session, group: BreakoutGroup, online: set[int] | None = None
) -> dict[str, Any]:
    return group_view(group, rounds.members_of(db, group.id), online)


def group_details(
    db: Session, round_: BreakoutRound, online: set[int] | None = None
) -> list[dict[str, Any]]:
    """Every group's detail in two queries, whatever the number of groups."""
    people: dict[int, list[Participant]] = {}
    rows = db.execute(
        select(GroupMember.group_id, Participant)
        .join(Participant, Participant.id == GroupMember.participant_id)
        .where(GroupMember.round_id == round_.id, Participant.removed_at.is_(None))
        .order_by(GroupMember.placed_at, Participant.id)
    )
    for group_id, participant in rows:
        people.setdefault(group_id, []).append(participant)
    return [group_view(g, people.get(g.id, []), online) for g in rounds.groups_of(db, round_.id)]


def forming_view(db: Session, round_: BreakoutRound | None) -> dict[str, Any]:
    """The moderators' view of the forming: every group with its members, and who is in
    none (the preview they adjust; moves by tap or drag)."""
    if round_ is None:
        return {"round": None, "groups": [], "unplaced": []}
    people: dict[int, list[dict[str, Any]]] = {}
    rows = db.execute(
        select(GroupMember.group_id, Participant)
        .join(Participant, Participant.id == GroupMember.participant_id)
        .where(GroupMember.round_id == round_.id, Participant.removed_at.is_(None))
        .order_by(GroupMember.placed_at, Participant.id)
    )
    for group_id, participant in rows:
        people.setdefault(group_id, []).append(staff_member_view(participant))
    return {
        "round": round_.id,
        "groups": [
            {
                "id": g.id,
                "position": g.position,
                "name": g.name,
                "blocks": g.block_keys,
                "language": g.language,
                "rapporteur": g.rapporteur_id,
                "members": people.get(g.id, []),
            }
            for g in rounds.groups_of(db, round_.id)
        ],
        "unplaced": [staff_member_view(p) for p in running.unplaced(db, round_)],
    }


def help_view(db: Session, request: HelpRequest) -> dict[str, Any]:
    who = db.get(Participant, request.participant_id)
    return {
        "id": request.id,
        "group": request.group_id,
        "participant": request.participant_id,
        "name": None if who is None else who.display_name,
        "at_ms": ms(request.created_at),
        "answered": request.answered_at is not None,
    }


def message_view(message: GroupMessage) -> dict[str, Any]:
    return {
        "id": message.id,
        "text": message.text,
        "group": message.group_id,
        "at_ms": ms(message.created_at),
    }


def report_view(db: Session, round_: BreakoutRound | None) -> dict[str, Any] | None:
    """The group presented in report-back (its synthesis and top-voted cards) and the
    room's radar of the blocks; titles as the agenda's text maps (each screen picks)."""
    if round_ is None or round_.report_group_id is None:
        return None
    group = db.get(BreakoutGroup, round_.report_group_id)
    workshop = db.get(Workshop, round_.workshop_id)
    if group is None or workshop is None:
        return None
    output = board_outputs.group_output(db, group)
    radar = board_outputs.radar(db, workshop, round_.id)
    return {
        "group": {
            "id": group.id,
            "position": group.position,
            "name": group.name,
            "blocks": group.block_keys,
            "members": output.members,
            "synthesis": output.synthesis,
            "synthesis_by": output.synthesis_by,
            "top_cards": [{"text": c.text, "votes": c.votes} for c in output.top_cards],
        },
        "cycle": round_.report_cycle,
        "radar": {
            "blocks": [_radar_block(b) for b in radar.blocks],
            # Where participants gave their country: a line per territory beside the room's.
            "territories": {
                code: [_radar_block(b) for b in blocks]
                for code, blocks in radar.territories.items()
            },
        },
    }


def _radar_block(b: board_outputs.RadarBlock) -> dict[str, Any]:
    return {
        "key": b.key,
        "title": b.title,
        "mean": b.mean,
        "count": b.count,
        "min": b.min,
        "max": b.max,
    }


def overview(db: Session, round_: BreakoutRound, online: set[int]) -> dict[str, Any]:
    """Every group at a glance, counted (rule 6): members and who is connected, cards per
    column, votes, phase, last activity, the synthesis' length, help requests waiting."""
    groups = rounds.groups_of(db, round_.id)
    ids = [g.id for g in groups]
    members: dict[int, list[int]] = {}
    for group_id, pid in db.execute(
        select(GroupMember.group_id, GroupMember.participant_id)
        .join(Participant, Participant.id == GroupMember.participant_id)
        .where(GroupMember.round_id == round_.id, Participant.removed_at.is_(None))
    ):
        members.setdefault(group_id, []).append(pid)
    columns: dict[int, dict[str, dict[int, int]]] = {}
    last: dict[int, datetime] = {}
    for group_id, block, column, n, newest in db.execute(
        select(Card.group_id, Card.block_key, Card.column, func.count(), func.max(Card.updated_at))
        .where(Card.group_id.in_(ids), Card.removed.is_(False))
        .group_by(Card.group_id, Card.block_key, Card.column)
    ):
        columns.setdefault(group_id, {}).setdefault(block, {})[column] = n
        if newest is not None and (group_id not in last or newest > last[group_id]):
            last[group_id] = newest
    votes = dict(
        db.execute(
            select(CardVote.group_id, func.count())
            .where(CardVote.group_id.in_(ids))
            .group_by(CardVote.group_id)
        ).all()
    )
    synthesis: dict[int, int] = dict(
        db.execute(
            select(Synthesis.group_id, func.length(Synthesis.text)).where(
                Synthesis.group_id.in_(ids)
            )
        ).all()
    )
    waiting = dict(
        db.execute(
            select(HelpRequest.group_id, func.count())
            .where(HelpRequest.group_id.in_(ids), HelpRequest.answered_at.is_(None))
            .group_by(HelpRequest.group_id)
        ).all()
    )

    def latest(g: BreakoutGroup) -> int | None:
        moments = [m for m in (g.last_activity_at, last.get(g.id)) if m is not None]
        return ms(max(moments)) if moments else None

    return {
        "round": round_.id,
        "groups": [
            {
                "id": g.id,
                "members": len(members.get(g.id, [])),
                "connected": sum(1 for pid in members.get(g.id, []) if pid in online),
                "cards_by_column": {
                    block: [by_column.get(c, 0) for c in range(max(by_column) + 1)]
                    for block, by_column in columns.get(g.id, {}).items()
                },
                "votes": votes.get(g.id, 0),
                "phase": g.phase,
                "last_activity_ms": latest(g),
                "synthesis_chars": synthesis.get(g.id, 0) or 0,
                "help_open": waiting.get(g.id, 0),
            }
            for g in groups
        ],
    }
