"""Placing people and editing groups once a round is formed: the moderator's moves, a
participant's own choice (self-select) or late join (placed by the rule), groups renamed,
added or removed, and each group's rapporteur. Nothing moves after the close.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from facilitator.agenda.models import Workshop
from facilitator.breakouts import forming
from facilitator.breakouts.changes import GroupChanged, Moved, RoundChanged
from facilitator.breakouts.models import (
    CLOSED,
    MAX_GROUP_NAME,
    MAX_MEETING_URL,
    OPEN,
    PREVIEW,
    BreakoutGroup,
    BreakoutRound,
    GroupMember,
)
from facilitator.breakouts.opening import check_blocks, new_group
from facilitator.breakouts.rounds import (
    MAX_GROUPS,
    BreakoutRefused,
    as_person,
    group_in,
    group_of,
    groups_of,
    member_counts,
    members_of,
    membership,
    participant,
    state_of,
    unique,
)
from facilitator.participation.models import Participant


def _not_closed(round_: BreakoutRound, now: datetime) -> None:
    if state_of(round_, now) == CLOSED:
        raise BreakoutRefused("closed")


def _place(
    db: Session,
    round_: BreakoutRound,
    participant_id: int,
    group_id: int | None,
    now: datetime,
) -> list[object]:
    """Put a participant in a group (None: in none); the events of the change."""
    row = membership(db, round_.id, participant_id)
    before = None if row is None else row.group_id
    if before == group_id:
        return []
    if group_id is None:
        assert row is not None
        db.delete(row)
    elif row is None:
        db.add(
            GroupMember(
                round_id=round_.id, group_id=group_id, participant_id=participant_id, placed_at=now
            )
        )
    else:
        row.group_id = group_id
        row.placed_at = now
    left = None if before is None else db.get(BreakoutGroup, before)
    if left is not None and left.rapporteur_id == participant_id:
        left.rapporteur_id = None  # a rapporteur who leaves the group is its rapporteur no more
    db.flush()
    events: list[object] = [
        GroupChanged(round_.workshop_id, g) for g in (before, group_id) if g is not None
    ]
    if round_.state != PREVIEW:  # in preview nobody follows a group yet
        events.append(Moved(round_.workshop_id, participant_id, group_id))
    return [RoundChanged(round_.workshop_id, round_.id, members=True), *events]


def move(
    db: Session, round_: BreakoutRound, participant_id: int, group_id: int | None, now: datetime
) -> list[object]:
    """The moderator moves anyone, at any time but after the close (None: out of groups)."""
    _not_closed(round_, now)
    participant(db, round_.workshop_id, participant_id)
    if group_id is not None:
        group_in(db, round_, group_id)
    return _place(db, round_, participant_id, group_id, now)


def choose(
    db: Session, round_: BreakoutRound, me: Participant, group_id: int, now: datetime
) -> list[object]:
    """Self-select: a participant picks a group (or changes), within its size limit."""
    if round_.mode != forming.SELF:
        raise BreakoutRefused("not_self_select")
    if state_of(round_, now) != OPEN:
        raise BreakoutRefused("not_open")
    group = db.scalar(
        select(BreakoutGroup).where(BreakoutGroup.id == group_id).with_for_update()
    )  # one chooser at a time per group on PostgreSQL (SQLite writes one at a time anyway)
    if group is None or group.round_id != round_.id:
        raise BreakoutRefused("unknown_group")
    limit = round_.settings.get("max_size")
    joining = group_of(db, round_.id, me.id) != group.id
    if limit is not None and joining and member_counts(db, round_.id).get(group.id, 0) >= limit:
        raise BreakoutRefused("group_full")
    return _place(db, round_, me.id, group.id, now)


def _states(
    db: Session, round_: BreakoutRound, groups: Sequence[BreakoutGroup]
) -> list[forming.GroupState]:
    states = {g.id: forming.GroupState(g.id, g.position, 0, g.language, Counter()) for g in groups}
    rows = db.execute(
        select(GroupMember.group_id, Participant.stakeholder_type)
        .join(Participant, Participant.id == GroupMember.participant_id)
        .where(GroupMember.round_id == round_.id, Participant.removed_at.is_(None))
    )
    for group_id, kind in rows:
        if group_id in states:
            states[group_id].members += 1
            states[group_id].types[kind or forming.UNKNOWN] += 1
    return list(states.values())


def _place_by_rule(
    db: Session,
    round_: BreakoutRound,
    person: Participant,
    groups: list[BreakoutGroup],
    now: datetime,
) -> int | None:
    """Where the rule puts one more person; in mode language, a language without a group
    gets a new one."""
    target = forming.place_late(round_.mode, as_person(person), _states(db, round_, groups))
    if target is None and round_.mode == forming.LANGUAGE:
        blocks = list(dict.fromkeys(k for g in groups for k in g.block_keys))
        position = max((g.position for g in groups), default=0) + 1
        group = new_group(
            round_, position, forming.spread_blocks(blocks, position)[-1], person.language, now
        )
        db.add(group)
        db.flush()
        groups.append(group)
        target = group.id
    return target


def join(
    db: Session, round_: BreakoutRound, me: Participant, now: datetime
) -> tuple[int | None, list[object]]:
    """A late joiner (or one who was away at the preview) asks for a group: placed by the
    round's rule. Someone already placed keeps their group: they return to it."""
    if state_of(round_, now) != OPEN:
        raise BreakoutRefused("not_open")
    placed = group_of(db, round_.id, me.id)
    if placed is not None or round_.mode not in forming.AUTOMATIC:
        return placed, []
    target = _place_by_rule(db, round_, me, groups_of(db, round_.id), now)
    if target is None:
        return None, []
    events = _place(db, round_, me.id, target, now)
    return target, events


def edit_group(
    db: Session,
    round_: BreakoutRound,
    group_id: int,
    *,
    name: str | None = None,
    blocks: Sequence[str] | None = None,
    meeting_url: str | None = None,
    set_url: bool = False,
) -> list[object]:
    """Rename, change the blocks, set or clear (`set_url` with None) the meeting link."""
    group = group_in(db, round_, group_id)
    if name is not None:
        group.name = _clean_name(name)
    if blocks is not None:
        workshop = db.get(Workshop, round_.workshop_id)
        assert workshop is not None
        group.block_keys = check_blocks(db, workshop, blocks)
    if set_url:
        group.meeting_url = _meeting_url(meeting_url)
    db.flush()
    return [
        RoundChanged(round_.workshop_id, round_.id, members=True),
        GroupChanged(round_.workshop_id, group.id),
    ]


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if len(cleaned) > MAX_GROUP_NAME:
        raise BreakoutRefused("name_too_long")
    return cleaned


def _meeting_url(url: str | None) -> str | None:
    """Only a web link (a Zoom or Jitsi room): no script, no other scheme."""
    if url is None or not url.strip():
        return None
    url = url.strip()
    parts = urlsplit(url)
    if len(url) > MAX_MEETING_URL or parts.scheme not in ("http", "https") or not parts.netloc:
        raise BreakoutRefused("invalid_url")
    return url


def add_group(
    db: Session,
    round_: BreakoutRound,
    *,
    name: str | None,
    blocks: Sequence[str] | None,
    now: datetime,
) -> tuple[BreakoutGroup, list[object]]:
    _not_closed(round_, now)
    workshop = db.get(Workshop, round_.workshop_id)
    assert workshop is not None
    groups = groups_of(db, round_.id)
    if len(groups) >= MAX_GROUPS:
        raise BreakoutRefused("too_many_groups")
    keys = check_blocks(db, workshop, blocks or [])
    group = new_group(round_, max((g.position for g in groups), default=0) + 1, keys, None, now)
    group.name = _clean_name(name or "")
    db.add(group)
    db.flush()
    return group, [RoundChanged(round_.workshop_id, round_.id, members=True)]


def remove_group(db: Session, round_: BreakoutRound, group_id: int, now: datetime) -> list[object]:
    """Its members are placed again by the rule (or left unplaced: self, manual)."""
    _not_closed(round_, now)
    group = group_in(db, round_, group_id)
    remaining = [g for g in groups_of(db, round_.id) if g.id != group.id]
    if not remaining:
        raise BreakoutRefused("last_group")
    people = members_of(db, group.id)
    if round_.report_group_id == group.id:
        round_.report_group_id = None
        round_.report_cycle = False
    db.execute(delete(GroupMember).where(GroupMember.group_id == group.id))
    db.delete(group)
    db.flush()
    events: list[object] = [RoundChanged(round_.workshop_id, round_.id, members=True)]
    for person in people:
        target = None
        if round_.mode in forming.AUTOMATIC:
            target = _place_by_rule(db, round_, person, remaining, now)
        if target is not None:
            events += _place(db, round_, person.id, target, now)
        elif round_.state != PREVIEW:
            events.append(Moved(round_.workshop_id, person.id, None))
    return unique(events)


def set_rapporteur(
    db: Session,
    round_: BreakoutRound,
    group_id: int,
    participant_id: int | None,
    *,
    by_participant: int | None = None,
) -> list[object]:
    """The moderator names any member; a member names themself or another member of
    their own group (`by_participant`)."""
    group = group_in(db, round_, group_id)
    if by_participant is not None and group_of(db, round_.id, by_participant) != group.id:
        raise BreakoutRefused("not_member")
    if participant_id is not None and group_of(db, round_.id, participant_id) != group.id:
        raise BreakoutRefused("not_member")
    group.rapporteur_id = participant_id
    db.flush()
    return [
        GroupChanged(round_.workshop_id, group.id),
        RoundChanged(round_.workshop_id, round_.id, members=True),
    ]
