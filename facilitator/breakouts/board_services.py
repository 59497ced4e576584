"""The board of a breakout group: phases, dot votes, self-assessment, synthesis.

The cards are written in `board_cards`, the rules and checks live in `board_rules`, the wire's
shapes in `board_wire` and what the record reads in `board_outputs`; the rules below hold for
all the board's writes.

Services take a session and the one who acts (a `Viewer`: a moderator or a participant, as
the realtime principal is), check who may do what and the round's state, change rows,
flush, and return domain events. Nothing here knows of Flask.

- Who writes: the group's members and the workshop's moderators; a card's author, the
  group's rapporteur and the moderators edit or remove any card; the rapporteur and the
  moderators write the synthesis. Anyone else is refused `forbidden` (a member of another
  group included); a card or group of another workshop is unknown.
- When: while the round is open and its close time has not passed (`closed`), in any
  phase except that votes are cast and withdrawn in phase `vote` only (`wrong_phase`);
  a phase can be set again at any time, so nothing is locked for good.
- Edits never overwrite silently: an edit names the `version` it was made from; a stale
  one is refused `conflict` with the card (or synthesis) as it is now. The update is
  conditional on the version, so two writers racing on two connections cannot both win.
- A vote is a row (rule 6) in one of the participant's numbered slots of the group; the
  unique constraints keep one vote per card and at most `votes_per_member` per group,
  even when two votes race.
- Cards of a removed participant are shown nowhere; in a workshop whose Q&A takes no names
  (`names == "anonymous"`), card authors and the synthesis' writer are not named.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from facilitator.accounts.models import User
from facilitator.breakouts import hot, rounds
from facilitator.breakouts.board_authors import anonymous
from facilitator.breakouts.board_cards import hot_card, touch_scope
from facilitator.breakouts.board_models import MAX_BY, MAX_SYNTHESIS, Assessment, Synthesis
from facilitator.breakouts.board_rules import (
    MAX_DEADLINE_S,
    MAX_VOTES,
    AssessmentChanged,
    BoardRefused,
    Conflict,
    SynthesisChanged,
    Viewer,
    VotesChanged,
    block_of,
    check_open,
    find_group,
    is_moderator,
    is_rapporteur,
    round_of,
    touch,
)
from facilitator.breakouts.board_wire import Distribution, distribution, synthesis_view
from facilitator.breakouts.changes import GroupChanged, RoundChanged
from facilitator.breakouts.models import PHASES, BreakoutGroup, GroupMember
from facilitator.database import savepoint
from facilitator.participation.models import Participant

# --- phases ------------------------------------------------------------------------------------


def set_phase(
    db: Session,
    who: Viewer,
    phase: str,
    group_id: int | None,
    deadline_s: int | None,
    now: datetime,
    votes: int | None = None,
) -> tuple[list[BreakoutGroup], list[object]]:
    """Set the phase (and its optional deadline) of every group of the current round (a
    moderator, no group given), or of one group (a moderator, or that group's rapporteur).
    Any phase may follow any other: a phase can always be reopened. A moderator may also
    set `votes`, the dots each member has in their group (the round's `votes_per_member`);
    lowering it keeps the votes cast, and a member over it votes again once under it."""
    if phase not in PHASES:
        raise BoardRefused("unknown_phase")
    if deadline_s is not None and not 0 <= deadline_s <= MAX_DEADLINE_S:
        raise BoardRefused("deadline_out_of_range")
    if votes is not None and not is_moderator(who):
        raise BoardRefused("forbidden")
    if votes is not None and not 1 <= votes <= MAX_VOTES:
        raise BoardRefused("votes_out_of_range")
    if group_id is not None:
        group = find_group(db, who.workshop_id, group_id)
        if not (is_moderator(who) or is_rapporteur(db, group, who)):
            raise BoardRefused("forbidden")
        groups = [group]
        board_round = round_of(db, group)
    elif is_moderator(who):
        found = rounds.current_round(db, who.workshop_id)
        if found is None:
            raise BoardRefused("no_round")
        board_round = found
        groups = list(
            db.scalars(
                select(BreakoutGroup)
                .where(BreakoutGroup.round_id == board_round.id)
                .order_by(BreakoutGroup.position)
            )
        )
    else:
        group = _rapporteur_group(db, who)
        groups, board_round = [group], round_of(db, group)
    check_open(board_round, now)
    deadline = now + timedelta(seconds=deadline_s) if deadline_s else None
    for group in groups:
        group.phase = phase
        group.phase_deadline = deadline
        touch(group, now)
    events: list[object] = [GroupChanged(who.workshop_id, g.id) for g in groups]
    if votes is not None and votes != board_round.votes_per_member:
        board_round.votes_per_member = votes
        events.append(RoundChanged(who.workshop_id, board_round.id))
    db.flush()
    return groups, events


def my_group(db: Session, who: Viewer) -> BreakoutGroup | None:
    """The participant's group in the current round."""
    board_round = rounds.current_round(db, who.workshop_id)
    if board_round is None or who.participant_id is None:
        return None
    return db.scalar(
        select(BreakoutGroup)
        .join(GroupMember, GroupMember.group_id == BreakoutGroup.id)
        .where(
            GroupMember.round_id == board_round.id,
            GroupMember.participant_id == who.participant_id,
        )
    )


def _rapporteur_group(db: Session, who: Viewer) -> BreakoutGroup:
    group = my_group(db, who)
    if group is None or not is_rapporteur(db, group, who):
        raise BoardRefused("forbidden")
    return group


# --- votes -------------------------------------------------------------------------------------


def vote(
    db: Session, who: Viewer, card_id: int, voted: bool, now: datetime
) -> tuple[dict[str, Any], list[object]]:
    """Put a dot on a card (`voted`) or take it back, in phase `vote`. Twice changes nothing.
    At most the round's `votes_per_member` per member and group: refused `no_votes_left`."""
    card, scope = hot_card(db, who, card_id)
    if who.participant_id is None or not scope.member:
        raise BoardRefused("forbidden")
    check_open(scope, now)
    if scope.phase != "vote":
        raise BoardRefused("wrong_phase")
    me = who.participant_id
    limit = scope.votes_per_member
    if voted:
        used = _cast(db, scope.group_id, card.id, me, limit, now)
    else:
        mine = {voted_card for voted_card, _slot in hot.my_votes(db, scope.group_id, me)}
        if card.id in mine:
            hot.delete_vote(db, card.id, me)
        used = len(mine - {card.id})
    touch_scope(db, scope, now)
    return (
        {"card": card.id, "voted": voted, "votes_left": max(0, limit - used)},
        [VotesChanged(scope.workshop_id, scope.group_id, card.id, me)],
    )


def _cast(db: Session, group_id: int, card_id: int, me: int, limit: int, now: datetime) -> int:
    """Insert the vote in the first free slot; the member's votes in the group after it. A
    vote raced in on another connection makes the insert write nothing (its unique keys):
    read again and try the next slot (or find the vote already there, or no slot left)."""
    for _attempt in range(limit + 2):
        rows = hot.my_votes(db, group_id, me)
        if any(card == card_id for card, _slot in rows):
            return len(rows)  # already voted, on this device or another
        taken = {slot for _card, slot in rows}
        free = next((s for s in range(limit) if s not in taken), None)
        if free is None or len(rows) >= limit:  # the limit may have been lowered since
            raise BoardRefused("no_votes_left")
        vote = {
            "card_id": card_id,
            "group_id": group_id,
            "participant_id": me,
            "slot": free,
            "created_at": now,
        }
        if hot.insert_vote(db, vote):
            return len(rows) + 1
    raise BoardRefused("no_votes_left")


# --- self-assessment ------------------------------------------------------------------------------


def assess(
    db: Session, who: Viewer, block_key: str, value: int, now: datetime
) -> tuple[Distribution, list[object]]:
    """A member rates their own territory on the block's scale (once; again replaces it)."""
    group = my_group(db, who)
    if group is None or who.participant_id is None:
        raise BoardRefused("forbidden")
    board_round = round_of(db, group)
    check_open(board_round, now)
    block = block_of(db, group, block_key)
    scale = block.assessment
    if not scale:
        raise BoardRefused("no_assessment")
    if not scale["min"] <= value <= scale["max"]:
        raise BoardRefused("out_of_scale")
    where = and_(
        Assessment.round_id == board_round.id,
        Assessment.block_key == block.key,
        Assessment.participant_id == who.participant_id,
    )
    row = db.scalar(select(Assessment).where(where))
    if row is None:
        try:
            with savepoint(db):
                db.add(
                    Assessment(
                        round_id=board_round.id,
                        group_id=group.id,
                        block_key=block.key,
                        participant_id=who.participant_id,
                        value=value,
                        updated_at=now,
                    )
                )
        except IntegrityError:  # raced in on another device: that row takes this value
            row = db.scalar(select(Assessment).where(where))
    if row is not None:
        row.value, row.group_id, row.updated_at = value, group.id, now
    touch(group, now)
    db.flush()
    return distribution(db, group.id, block.key), [
        AssessmentChanged(group.workshop_id, group.id, block.key)
    ]


# --- the synthesis ------------------------------------------------------------------------------


def _writer_name(db: Session, who: Viewer) -> str | None:
    if anonymous(db, who.workshop_id):
        return None
    if is_moderator(who) and who.user_id is not None:
        user = db.get(User, who.user_id)
        return None if user is None else user.display_name[:MAX_BY]
    if who.participant_id is not None:
        me = db.get(Participant, who.participant_id)
        return None if me is None else ((me.display_name or "").strip() or None)
    return None


def write_synthesis(
    db: Session, who: Viewer, group_id: int, text: str, version: int, now: datetime
) -> tuple[dict[str, Any], list[object]]:
    """The group's synthesis (markdown), from `version` (0 before the first); refused
    `conflict` with both texts when someone saved in between. The rapporteur or a moderator."""
    group = find_group(db, who.workshop_id, group_id)
    if not (is_moderator(who) or is_rapporteur(db, group, who)):
        raise BoardRefused("forbidden")
    check_open(round_of(db, group), now)
    text = text.strip()
    if len(text) > MAX_SYNTHESIS:
        raise BoardRefused("synthesis_length")
    by = _writer_name(db, who)
    stored = False
    if version == 0:
        if db.scalar(select(Synthesis.id).where(Synthesis.group_id == group.id)) is None:
            try:
                with savepoint(db):
                    db.add(
                        Synthesis(
                            group_id=group.id, text=text, version=1, updated_at=now, updated_by=by
                        )
                    )
                stored = True
            except IntegrityError:
                stored = False  # the first version raced in on another connection
    else:
        changed = db.execute(
            update(Synthesis)
            .where(Synthesis.group_id == group.id, Synthesis.version == version)
            .values(text=text, version=version + 1, updated_at=now, updated_by=by)
            .execution_options(synchronize_session=False)
        )
        stored = changed.rowcount == 1  # type: ignore[attr-defined]
    if not stored:
        db.expire_all()
        raise Conflict(synthesis_view(db, group.id), {"text": text, "version": version})
    touch(group, now)
    db.flush()
    db.expire_all()
    return synthesis_view(db, group.id), [SynthesisChanged(group.workshop_id, group.id)]
