"""The cards of a breakout group's board: add, edit, remove, move, merge and unmerge, each
checked (who, the round open, the version an edit was made from) and returning domain events.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, false, select, update
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from facilitator.breakouts import hot
from facilitator.breakouts.board_authors import names_setting
from facilitator.breakouts.board_models import MAX_CARD, Card, CardVote
from facilitator.breakouts.board_rules import (
    ANONYMOUS,
    TOUCH_EVERY,
    BoardRefused,
    CardChanged,
    Conflict,
    Viewer,
    block_of,
    check_column,
    check_open,
    clean,
    find_card,
    held_row,
    is_moderator,
    keep,
    next_position,
    touch,
    unit,
)
from facilitator.breakouts.board_wire import cards_view
from facilitator.breakouts.models import BreakoutGroup, BreakoutRound, GroupMember
from facilitator.qa.models import QaSettings

# --- cards ---------------------------------------------------------------------------------------


def _member_clause(who: Viewer) -> Any:
    """The sender's membership row of the group, outer-joined (none for a moderator)."""
    if who.participant_id is None:
        return and_(GroupMember.group_id == BreakoutGroup.id, false())
    return and_(
        GroupMember.group_id == BreakoutGroup.id, GroupMember.participant_id == who.participant_id
    )


def _card_scope(
    db: Session, who: Viewer, card_id: int
) -> tuple[Card, BreakoutGroup, BreakoutRound, bool]:
    """A card, its group, the group's round and whether the sender is a member: the hot
    path's lookups (a card written or voted on) in one query."""
    row = db.execute(
        select(Card, BreakoutGroup, BreakoutRound, GroupMember.id, QaSettings.names)
        .join(BreakoutGroup, BreakoutGroup.id == Card.group_id)
        .join(BreakoutRound, BreakoutRound.id == BreakoutGroup.round_id)
        .outerjoin(GroupMember, _member_clause(who))
        .outerjoin(QaSettings, QaSettings.workshop_id == Card.workshop_id)
        .where(Card.id == card_id)
    ).first()
    if row is None or row[0].workshop_id != who.workshop_id or row[0].removed:
        raise BoardRefused("unknown_card")
    card, group, board_round, membership, names = row
    if group.workshop_id != who.workshop_id:
        raise BoardRefused("unknown_group")
    names_setting(db, card.workshop_id, names)
    keep(db, card, group, board_round)
    return card, group, board_round, membership is not None


def add_card(
    db: Session,
    who: Viewer,
    group_id: int,
    block_key: str,
    column: int,
    text: str,
    now: datetime,
) -> tuple[Card, list[object]]:
    # The group, its round, the sender's membership and the block in one read.
    found = hot.group_scope(db, group_id, block_key, who.participant_id)
    if found is None or found[0].workshop_id != who.workshop_id:
        raise BoardRefused("unknown_group")
    scope, block_keys, block_exists, prompts = found
    if not (is_moderator(who) or scope.member):
        raise BoardRefused("forbidden")
    check_open(scope, now)
    if block_key not in block_keys or not block_exists:
        raise BoardRefused("unknown_block")
    if not 0 <= column < max(1, len(prompts or [])):
        raise BoardRefused("unknown_column")
    values: dict[str, Any] = {
        "workshop_id": scope.workshop_id,
        "group_id": scope.group_id,
        "block_key": block_key,
        "column": column,
        "position": hot.next_position(db, scope.group_id, block_key, column),
        "text": clean(text, MAX_CARD, "card_length"),
        "author_participant_id": None if is_moderator(who) else who.participant_id,
        "author_user_id": who.user_id if is_moderator(who) else None,
        "version": 1,
        "cluster_id": None,
        "removed": False,
        "created_at": now,
        "updated_at": now,
    }
    # Inserted by Core, not flushed by the ORM; then the session holds the row as if it had
    # read it back (the render and any later write of this unit of work use it, unread).
    card = _as_read(db, Card(id=hot.insert_card(db, values), **values))
    keep(db, card)
    unit(db, ANONYMOUS)[scope.workshop_id] = scope.anonymous
    touch_scope(db, scope, now)
    return card, [CardChanged(scope.workshop_id, scope.group_id, (card.id,), new=True)]


def _check_editor(group: BreakoutGroup | hot.Scope, card: Card, who: Viewer) -> None:
    """The card's author, the group's rapporteur, or a moderator; after `check_writer`,
    which found the participant a member of the group."""
    if is_moderator(who):
        return
    me = who.participant_id
    if me is None or me not in (card.author_participant_id, group.rapporteur_id):
        raise BoardRefused("forbidden")


def hot_card(db: Session, who: Viewer, card_id: int) -> tuple[Card, hot.Scope]:
    """A card written or voted on, with its group's and round's columns, in one read."""
    found = hot.card_scope(db, card_id, who.participant_id)
    if found is None or found[0]["workshop_id"] != who.workshop_id or found[0]["removed"]:
        raise BoardRefused("unknown_card")
    columns, scope = found
    if scope.workshop_id != who.workshop_id:
        raise BoardRefused("unknown_group")
    unit(db, ANONYMOUS)[scope.workshop_id] = scope.anonymous
    held = held_row(db, Card, card_id)  # this unit of work's copy, if it has one, is the one
    card = held if isinstance(held, Card) else _as_read(db, Card(**columns))
    keep(db, card)
    return card, scope


def _as_read(db: Session, card: Card) -> Card:
    """A card built from columns a Core statement read or wrote, held by the session as if
    the ORM had read it (no second read; its later changes flush as usual)."""
    make_transient_to_detached(card)
    db.add(card)
    return card


def touch_scope(db: Session, scope: hot.Scope, now: datetime) -> None:
    """As `touch`, for a group read as columns."""
    last = scope.last_activity_at
    if last is None or now - last >= TOUCH_EVERY or now < last:
        hot.touch(db, scope.group_id, now)


def _card_for_write(
    db: Session, who: Viewer, card_id: int, now: datetime
) -> tuple[Card, BreakoutGroup]:
    """The card and its group, for a member of the group or a moderator while the round
    takes writes (as `check_writer`, in one query)."""
    card, group, board_round, member = _card_scope(db, who, card_id)
    if not (is_moderator(who) or member):
        raise BoardRefused("forbidden")
    check_open(board_round, now)
    return card, group


def edit_card(
    db: Session, who: Viewer, card_id: int, text: str, version: int, now: datetime
) -> tuple[Card, list[object]]:
    """Set the card's text, from `version`; refused `conflict` (with both texts) when the
    card has changed since."""
    card, group = hot_card(db, who, card_id)
    if not (is_moderator(who) or group.member):
        raise BoardRefused("forbidden")
    check_open(group, now)
    _check_editor(group, card, who)
    text = clean(text, MAX_CARD, "card_length")
    if not hot.edit_card(db, card.id, version, text, now):
        db.refresh(card)
        if card.removed:
            raise BoardRefused("unknown_card")
        raise Conflict(
            cards_view(db, group.workshop_id, [card.id])[0], {"text": text, "version": version}
        )
    # The row is what the UPDATE wrote: no SELECT to read it back.
    for name, value in (("text", text), ("version", version + 1), ("updated_at", now)):
        set_committed_value(card, name, value)
    touch_scope(db, group, now)
    return card, [CardChanged(group.workshop_id, group.group_id, (card.id,))]


def remove_card(db: Session, who: Viewer, card_id: int, now: datetime) -> list[object]:
    """Take the card off the board (kept for the record); its votes go back to the voters
    and the cards merged into it stand alone again."""
    card, group = _card_for_write(db, who, card_id, now)
    _check_editor(group, card, who)
    card.removed = True
    card.cluster_id = None
    card.version += 1
    card.updated_at = now
    released = list(db.scalars(select(Card.id).where(Card.cluster_id == card.id)))
    if released:
        db.execute(
            update(Card)
            .where(Card.cluster_id == card.id)
            .values(cluster_id=None, updated_at=now)
            .execution_options(synchronize_session="fetch")
        )
    db.execute(delete(CardVote).where(CardVote.card_id == card.id))
    touch(group, now)
    db.flush()
    return [CardChanged(group.workshop_id, group.id, (card.id, *released))]


def move_card(
    db: Session, who: Viewer, card_id: int, column: int, block_key: str | None, now: datetime
) -> list[object]:
    """Move a card to another column (of the same block, or another block of the group), at
    its end. A card merged into another leaves its cluster; a cluster's cards follow it."""
    card, group = _card_for_write(db, who, card_id, now)
    block = block_of(db, group, block_key or card.block_key)
    check_column(block, column)
    moved = [card.id]
    position = next_position(db, group.id, block.key, column)  # before the card is there
    card.cluster_id = None
    card.block_key = block.key
    card.column = column
    card.position = position
    card.updated_at = now
    for child in db.scalars(select(Card).where(Card.cluster_id == card.id)):
        child.block_key, child.column, child.updated_at = block.key, column, now
        moved.append(child.id)
    touch(group, now)
    db.flush()
    return [CardChanged(group.workshop_id, group.id, tuple(moved))]


def merge_cards(
    db: Session, who: Viewer, card_id: int, into_id: int, now: datetime
) -> list[object]:
    """Merge a card into another's cluster (tap one, tap the other). The cluster keeps the
    card merged into at its head; what was merged into the moved card joins too."""
    card, group = _card_for_write(db, who, card_id, now)
    into = find_card(db, who.workshop_id, into_id)
    if into.group_id != group.id:
        raise BoardRefused("unknown_card")
    head = into if into.cluster_id is None else find_card(db, who.workshop_id, into.cluster_id)
    if head.id == card.id:
        raise BoardRefused("cannot_merge")  # into a card already in this one's cluster
    changed = [card.id]
    for member in [card, *db.scalars(select(Card).where(Card.cluster_id == card.id))]:
        member.cluster_id = head.id
        member.block_key, member.column, member.updated_at = head.block_key, head.column, now
        if member.id != card.id:
            changed.append(member.id)
    touch(group, now)
    db.flush()
    return [CardChanged(group.workshop_id, group.id, tuple(changed))]


def unmerge_card(db: Session, who: Viewer, card_id: int, now: datetime) -> list[object]:
    """Undo a merge: the card stands alone again, in its cluster's column. Unmerging the
    head of a cluster dissolves the whole cluster."""
    card, group = _card_for_write(db, who, card_id, now)
    changed = [card.id]
    if card.cluster_id is not None:
        card.cluster_id = None
        card.position = next_position(db, group.id, card.block_key, card.column)
        card.updated_at = now
    else:
        children = list(db.scalars(select(Card).where(Card.cluster_id == card.id)))
        if not children:
            raise BoardRefused("not_merged")
        for child in children:
            child.cluster_id = None
            child.updated_at = now
            changed.append(child.id)
    touch(group, now)
    db.flush()
    return [CardChanged(group.workshop_id, group.id, tuple(changed))]
