"""Running an open round: help calls and their answers, messages to the groups, the shared
and per-group timers, the close countdown and reopening, the gallery walk, the report-back on
the projector, the end of the breakout phase (its groups are kept for the record) and who is
left unplaced.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

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
    MAX_MESSAGE,
    OPEN,
    PREVIEW,
    BreakoutGroup,
    BreakoutRound,
    GroupMember,
    GroupMessage,
    HelpRequest,
)
from facilitator.breakouts.opening import spread
from facilitator.breakouts.rounds import BreakoutRefused, group_in, group_of, state_of
from facilitator.participation.models import Participant

MAX_TIMER_S = 4 * 3600
DEFAULT_CLOSE_S = 60


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
