"""Forming and running breakout groups: rounds, placement, moves, help, messages, timers,
the close countdown, gallery walk, report-back and the end of the phase.

A round goes `preview` -> `open` -> `closed` (at once, or when its countdown `closes_at`
passes) and may be reopened; `end` closes it and leaves the breakout phase (its groups are
kept for the record). The current round is the workshop's latest one that has not ended.
Every function takes a session and explicit actors, flushes, and returns domain events.
"""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from facilitator.agenda.models import GuidelineBlock, ProgramItem, Workshop
from facilitator.breakouts import forming
from facilitator.breakouts.changes import (
    GroupChanged,
    HelpChanged,
    MessageSent,
    Moved,
    ReportChanged,
    RoundChanged,
)
from facilitator.breakouts.models import (
    CLOSED,
    MAX_GROUP_NAME,
    MAX_MEETING_URL,
    MAX_MESSAGE,
    MODES,
    OPEN,
    PREVIEW,
    BreakoutGroup,
    BreakoutRound,
    GroupMember,
    GroupMessage,
    HelpRequest,
)
from facilitator.domain import DomainError
from facilitator.live.models import LiveState
from facilitator.participation.models import Participant

MAX_GROUPS = 200
MAX_TIMER_S = 4 * 3600
DEFAULT_CLOSE_S = 60
# A phone's resync after a mass move costs the server 5-10 ms of CPU (its whole snapshot),
# more on a shared machine: a thousand phones spread theirs over 12 s (at most 15 s), so
# that the staff screens' events and pings still get through (a backlog near the 20 s
# ping timeout dropped the projector; docs/performance.md, the breakout phase).
SPREAD_PER_PHONE_MS = 12
SPREAD_MAX_MS = 15_000


class BreakoutRefused(DomainError):
    """A breakout move that the round's state, the rule or the sender does not allow."""


@dataclass(frozen=True)
class Rule:
    """How a round forms its groups: a mode, and N groups or N people per group."""

    mode: str
    groups: int | None = None
    size: int | None = None
    max_size: int | None = None  # self-select: at most this many per group


def unique(events: Iterable[object]) -> list[object]:
    """Each domain event once, in order: moving twenty people sends one view, not twenty."""
    return list(dict.fromkeys(events))


# --- finding --------------------------------------------------------------------------


def current_round(db: Session, workshop_id: int) -> BreakoutRound | None:
    """The workshop's latest round that has not ended (in any state)."""
    return db.scalar(
        select(BreakoutRound)
        .where(BreakoutRound.workshop_id == workshop_id, BreakoutRound.ended_at.is_(None))
        .order_by(BreakoutRound.id.desc())
        .limit(1)
    )


def state_of(round_: BreakoutRound, now: datetime) -> str:
    """`closed` once the countdown has passed, whether or not anyone wrote it down."""
    return round_state(round_.state, round_.closes_at, now)


def round_state(state: str, closes_at: datetime | None, now: datetime) -> str:
    """`state_of` from the round's columns (a hot write reads them without the row)."""
    if state == OPEN and closes_at is not None and closes_at <= now:
        return CLOSED
    return state


def is_writable(round_: BreakoutRound, now: datetime) -> bool:
    """Boards take writes while the round is open and its countdown has not run out."""
    return state_of(round_, now) == OPEN


def settle(round_: BreakoutRound, now: datetime) -> None:
    """Write down a close whose countdown has passed."""
    if state_of(round_, now) == CLOSED and round_.state != CLOSED:
        round_.state = CLOSED
        round_.closed_at = round_.closes_at


def require_round(db: Session, workshop_id: int, now: datetime) -> BreakoutRound:
    round_ = current_round(db, workshop_id)
    if round_ is None:
        raise BreakoutRefused("no_round")
    settle(round_, now)
    return round_


def groups_of(db: Session, round_id: int) -> list[BreakoutGroup]:
    return list(
        db.scalars(
            select(BreakoutGroup)
            .where(BreakoutGroup.round_id == round_id)
            .order_by(BreakoutGroup.position, BreakoutGroup.id)
        )
    )


def group_in(db: Session, round_: BreakoutRound, group_id: int) -> BreakoutGroup:
    group = db.get(BreakoutGroup, group_id)
    if group is None or group.round_id != round_.id:
        raise BreakoutRefused("unknown_group")
    return group


def membership(db: Session, round_id: int, participant_id: int) -> GroupMember | None:
    return db.scalar(
        select(GroupMember).where(
            GroupMember.round_id == round_id, GroupMember.participant_id == participant_id
        )
    )


def group_of(db: Session, round_id: int, participant_id: int) -> int | None:
    return db.scalar(
        select(GroupMember.group_id).where(
            GroupMember.round_id == round_id, GroupMember.participant_id == participant_id
        )
    )


def followed_group(db: Session, workshop_id: int, participant_id: int) -> int | None:
    """The group a participant's screens follow: theirs in the current round, once it is
    open (in preview only the moderators see the groups)."""
    return db.scalar(
        select(GroupMember.group_id)
        .join(BreakoutRound, BreakoutRound.id == GroupMember.round_id)
        .where(
            GroupMember.participant_id == participant_id,
            BreakoutRound.id == _current_id(workshop_id),
            BreakoutRound.state != PREVIEW,
        )
    )


def _current_id(workshop_id: int) -> object:
    return (
        select(func.max(BreakoutRound.id))
        .where(BreakoutRound.workshop_id == workshop_id, BreakoutRound.ended_at.is_(None))
        .scalar_subquery()
    )


def current_group_ids(db: Session, workshop_id: int) -> list[int]:
    return list(
        db.scalars(
            select(BreakoutGroup.id)
            .where(BreakoutGroup.round_id == _current_id(workshop_id))
            .order_by(BreakoutGroup.position, BreakoutGroup.id)
        )
    )


def members_of(db: Session, group_id: int) -> list[Participant]:
    """The group's participants (those removed from the workshop left it), by name."""
    return list(
        db.scalars(
            select(Participant)
            .join(GroupMember, GroupMember.participant_id == Participant.id)
            .where(GroupMember.group_id == group_id, Participant.removed_at.is_(None))
            .order_by(GroupMember.placed_at, Participant.id)
        )
    )


def member_counts(db: Session, round_id: int) -> dict[int, int]:
    rows = db.execute(
        select(GroupMember.group_id, func.count())
        .join(Participant, Participant.id == GroupMember.participant_id)
        .where(GroupMember.round_id == round_id, Participant.removed_at.is_(None))
        .group_by(GroupMember.group_id)
    ).all()
    return {group_id: n for group_id, n in rows}


def _participant(db: Session, workshop_id: int, participant_id: int) -> Participant:
    person = db.get(Participant, participant_id)
    if person is None or person.workshop_id != workshop_id or person.removed_at is not None:
        raise BreakoutRefused("unknown_participant")
    return person


def _person(p: Participant) -> forming.Person:
    return forming.Person(p.id, p.language, p.stakeholder_type)


# --- forming ----------------------------------------------------------------------------


def _block_keys(db: Session, workshop: Workshop, keys: Iterable[str]) -> list[str]:
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
    keys = _block_keys(
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
        [_person(p) for p in people],
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
        _new_group(round_, position, block_keys, made.language, now)
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


def _new_group(
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
    _participant(db, round_.workshop_id, participant_id)
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
    target = forming.place_late(round_.mode, _person(person), _states(db, round_, groups))
    if target is None and round_.mode == forming.LANGUAGE:
        blocks = list(dict.fromkeys(k for g in groups for k in g.block_keys))
        position = max((g.position for g in groups), default=0) + 1
        group = _new_group(
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
        group.block_keys = _block_keys(db, workshop, blocks)
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
    keys = _block_keys(db, workshop, blocks or [])
    group = _new_group(round_, max((g.position for g in groups), default=0) + 1, keys, None, now)
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


# --- running -----------------------------------------------------------------------------


def call_help(
    db: Session, round_: BreakoutRound, me: Participant, now: datetime
) -> tuple[HelpRequest, list[object]]:
    """A member calls the moderator; a call not yet answered is not doubled."""
    if state_of(round_, now) != OPEN:
        raise BreakoutRefused("not_open")
    group_id = group_of(db, round_.id, me.id)
    if group_id is None:
        raise BreakoutRefused("not_member")
    waiting = db.scalar(
        select(HelpRequest).where(
            HelpRequest.group_id == group_id,
            HelpRequest.participant_id == me.id,
            HelpRequest.answered_at.is_(None),
        )
    )
    if waiting is not None:
        return waiting, []
    request = HelpRequest(group_id=group_id, participant_id=me.id, created_at=now)
    db.add(request)
    db.flush()
    return request, [HelpChanged(round_.workshop_id, request.id)]


def answer_help(db: Session, workshop_id: int, request_id: int, now: datetime) -> list[object]:
    request = db.get(HelpRequest, request_id)
    group = None if request is None else db.get(BreakoutGroup, request.group_id)
    if request is None or group is None or group.workshop_id != workshop_id:
        raise BreakoutRefused("unknown_request")
    if request.answered_at is not None:
        return []
    request.answered_at = now
    db.flush()
    return [HelpChanged(workshop_id, request.id)]


def open_help(db: Session, round_id: int) -> list[HelpRequest]:
    return list(
        db.scalars(
            select(HelpRequest)
            .join(BreakoutGroup, BreakoutGroup.id == HelpRequest.group_id)
            .where(BreakoutGroup.round_id == round_id, HelpRequest.answered_at.is_(None))
            .order_by(HelpRequest.id)
        )
    )


def send_message(
    db: Session, round_: BreakoutRound, text: str, group_id: int | None, now: datetime
) -> tuple[GroupMessage, list[object]]:
    """A message to every group, or to one."""
    cleaned = text.strip()
    if not cleaned or len(cleaned) > MAX_MESSAGE:
        raise BreakoutRefused("message_length")
    if state_of(round_, now) == PREVIEW:
        raise BreakoutRefused("not_open")
    if group_id is not None:
        group_in(db, round_, group_id)
    message = GroupMessage(round_id=round_.id, group_id=group_id, text=cleaned, created_at=now)
    db.add(message)
    db.flush()
    return message, [MessageSent(round_.workshop_id, message.id)]


def _timer_target(
    db: Session, round_: BreakoutRound, group_id: int | None
) -> BreakoutRound | BreakoutGroup:
    return round_ if group_id is None else group_in(db, round_, group_id)


def _timer_changed(round_: BreakoutRound, target: BreakoutRound | BreakoutGroup) -> list[object]:
    if isinstance(target, BreakoutGroup):
        return [
            GroupChanged(round_.workshop_id, target.id),
            RoundChanged(round_.workshop_id, round_.id),
        ]
    return [RoundChanged(round_.workshop_id, round_.id)]


def set_timer(
    db: Session, round_: BreakoutRound, seconds: int, group_id: int | None, now: datetime
) -> list[object]:
    """The shared timer, or one group's own (it overrides the shared one); 0 clears."""
    if state_of(round_, now) != OPEN:
        raise BreakoutRefused("not_open")
    if not 0 <= seconds <= MAX_TIMER_S:
        raise BreakoutRefused("out_of_range")
    target = _timer_target(db, round_, group_id)
    target.timer_ends_at = None if seconds == 0 else now + timedelta(seconds=seconds)
    db.flush()
    return _timer_changed(round_, target)


def add_time(
    db: Session, round_: BreakoutRound, seconds: int, group_id: int | None, now: datetime
) -> list[object]:
    if state_of(round_, now) != OPEN:
        raise BreakoutRefused("not_open")
    target = _timer_target(db, round_, group_id)
    if target.timer_ends_at is None:
        raise BreakoutRefused("no_timer")
    ends = max(target.timer_ends_at, now) + timedelta(seconds=seconds)
    if ends > now + timedelta(seconds=MAX_TIMER_S):
        raise BreakoutRefused("out_of_range")
    target.timer_ends_at = max(ends, now)
    db.flush()
    return _timer_changed(round_, target)


def close(db: Session, round_: BreakoutRound, seconds: int, now: datetime) -> list[object]:
    """Close with a countdown every screen shows (0: now); the boards are read-only after."""
    if state_of(round_, now) != OPEN:
        raise BreakoutRefused("not_open")
    if not 0 <= seconds <= 3600:
        raise BreakoutRefused("out_of_range")
    round_.closes_at = now + timedelta(seconds=seconds)
    if seconds == 0:
        round_.state = CLOSED
        round_.closed_at = now
    db.flush()
    return [RoundChanged(round_.workshop_id, round_.id)]


def reopen(db: Session, round_: BreakoutRound, now: datetime) -> list[object]:
    """Nothing is locked for good: a closed (or closing) round opens again."""
    if round_.state == PREVIEW or (round_.state == OPEN and round_.closes_at is None):
        raise BreakoutRefused("not_closed")
    round_.state = OPEN
    round_.closes_at = None
    round_.closed_at = None
    db.flush()
    return [RoundChanged(round_.workshop_id, round_.id)]


def set_gallery(db: Session, round_: BreakoutRound, opened: bool) -> list[object]:
    """A gallery walk: every participant may read (not write) every board."""
    if round_.state == PREVIEW:
        raise BreakoutRefused("not_open")
    round_.gallery = opened
    db.flush()
    return [RoundChanged(round_.workshop_id, round_.id)]


def report(db: Session, round_: BreakoutRound, group_id: int | None, cycle: bool) -> list[object]:
    """Present one group on the projector and the phones (None: stop presenting)."""
    if round_.state == PREVIEW:
        raise BreakoutRefused("not_open")
    if group_id is not None:
        group_in(db, round_, group_id)
    round_.report_group_id = group_id
    round_.report_cycle = cycle and group_id is not None
    db.flush()
    return [
        RoundChanged(round_.workshop_id, round_.id),
        ReportChanged(round_.workshop_id, round_.id),
    ]


def end(db: Session, round_: BreakoutRound, now: datetime) -> list[object]:
    """Leave the breakout phase: the round closes (if open) and is kept for the record."""
    was_followed = round_.state != PREVIEW
    if round_.state != CLOSED:
        round_.state = CLOSED
        round_.closed_at = now
        if round_.closes_at is None or round_.closes_at > now:
            round_.closes_at = now
    round_.ended_at = now
    round_.gallery = False
    round_.report_group_id = None
    round_.report_cycle = False
    db.flush()
    events: list[object] = [RoundChanged(round_.workshop_id, round_.id, members=True)]
    if was_followed:
        events += spread(
            [
                Moved(round_.workshop_id, pid, None)
                for pid in db.scalars(
                    select(GroupMember.participant_id)
                    .where(GroupMember.round_id == round_.id)
                    .order_by(GroupMember.id)
                )
            ]
        )
    return events


def unplaced(db: Session, round_: BreakoutRound) -> list[Participant]:
    """The workshop's participants in no group of the round."""
    placed = select(GroupMember.participant_id).where(GroupMember.round_id == round_.id)
    return list(
        db.scalars(
            select(Participant)
            .where(
                Participant.workshop_id == round_.workshop_id,
                Participant.removed_at.is_(None),
                Participant.id.not_in(placed),
            )
            .order_by(Participant.id)
        )
    )
