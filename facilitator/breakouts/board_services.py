"""The board of a breakout group: cards, clusters, phases, dot votes, self-assessment, synthesis.

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

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import and_, delete, false, func, inspect, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from facilitator.accounts.models import User
from facilitator.agenda.models import GuidelineBlock, Workshop
from facilitator.breakouts import hot, services
from facilitator.breakouts.board_models import (
    MAX_BY,
    MAX_CARD,
    MAX_SYNTHESIS,
    Assessment,
    Card,
    CardVote,
    Synthesis,
)
from facilitator.breakouts.changes import GroupChanged, RoundChanged
from facilitator.breakouts.models import (
    OPEN,
    PHASES,
    PREVIEW,
    BreakoutGroup,
    BreakoutRound,
    GroupMember,
)
from facilitator.database import savepoint, utcnow
from facilitator.domain import DomainError
from facilitator.participation.models import Participant
from facilitator.qa.models import QaSettings

TOP_CARDS = 5
MAX_DEADLINE_S = 14_400
MAX_VOTES = 20  # dots per member and group
STAFF_KEY = "staff"  # the author key of a card a moderator wrote
# A group's last activity is shown in minutes: rewriting its row on every card and dot of a
# busy board would cost an UPDATE a write for nothing anyone sees.
TOUCH_EVERY = timedelta(seconds=15)
KEPT = "breakouts.kept"  # db.info: rows a write loaded, kept alive for its render
UNIT = "breakouts.unit"  # db.info: (transaction, what this transaction's writes read) below
ANONYMOUS = "anonymous"  # workshop id -> its board authors go unnamed


class BoardRefused(DomainError):
    """A board write or read that is not allowed; `code` says why."""


class Conflict(BoardRefused):
    """An edit made from a version that is no longer the current one.

    `current` is the card (or synthesis) as it is now, on the wire's shape; `yours` is the
    text the second writer sent, so that both texts reach them.
    """

    def __init__(self, current: dict[str, Any], yours: dict[str, Any]) -> None:
        super().__init__("conflict")
        self.current = current
        self.yours = yours


class Viewer(Protocol):
    """Who reads or writes a board: the realtime `Principal` has this shape."""

    @property
    def kind(self) -> str: ...
    @property
    def workshop_id(self) -> int: ...
    @property
    def user_id(self) -> int | None: ...
    @property
    def participant_id(self) -> int | None: ...
    @property
    def language(self) -> str | None: ...


# --- domain events ------------------------------------------------------------------------


@dataclass(frozen=True)
class CardChanged:
    workshop_id: int
    group_id: int
    card_ids: tuple[int, ...]
    new: bool = False  # cards added in this unit of work: nobody has voted on them yet


@dataclass(frozen=True)
class VotesChanged:
    workshop_id: int
    group_id: int
    card_id: int
    participant_id: int


@dataclass(frozen=True)
class AssessmentChanged:
    workshop_id: int
    group_id: int
    block_key: str


@dataclass(frozen=True)
class SynthesisChanged:
    workshop_id: int
    group_id: int


# --- lookups and checks ---------------------------------------------------------------------


def _is_moderator(who: Viewer) -> bool:
    return who.kind == "moderator"


def find_group(db: Session, workshop_id: int, group_id: int) -> BreakoutGroup:
    group = db.get(BreakoutGroup, group_id)
    if group is None or group.workshop_id != workshop_id:
        raise BoardRefused("unknown_group")
    return group


def find_card(db: Session, workshop_id: int, card_id: int) -> Card:
    card = db.get(Card, card_id)
    if card is None or card.workshop_id != workshop_id or card.removed:
        raise BoardRefused("unknown_card")
    return card


def round_of(db: Session, group: BreakoutGroup) -> BreakoutRound:
    found = db.get(BreakoutRound, group.round_id)
    assert found is not None  # a group's round is deleted with it (FK cascade)
    return found


def is_member(db: Session, group_id: int, participant_id: int | None) -> bool:
    if participant_id is None:
        return False
    return (
        db.scalar(
            select(GroupMember.id).where(
                GroupMember.group_id == group_id, GroupMember.participant_id == participant_id
            )
        )
        is not None
    )


def is_open(board_round: BreakoutRound, now: datetime) -> bool:
    """Boards take writes while the round is open and its close time has not come."""
    return services.is_writable(board_round, now)


def _check_open(board_round: BreakoutRound | hot.Scope, now: datetime) -> None:
    state = services.round_state(board_round.state, board_round.closes_at, now)
    if state == PREVIEW:
        raise BoardRefused("not_open")  # the groups are not open yet
    if state != OPEN:
        raise BoardRefused("closed")


def _check_writer(db: Session, group: BreakoutGroup, who: Viewer, now: datetime) -> BreakoutRound:
    """A member of the group or a moderator, while the round takes writes."""
    if not (_is_moderator(who) or is_member(db, group.id, who.participant_id)):
        raise BoardRefused("forbidden")
    board_round = round_of(db, group)
    _check_open(board_round, now)
    return board_round


def _member_clause(who: Viewer) -> Any:
    """The sender's membership row of the group, outer-joined (none for a moderator)."""
    if who.participant_id is None:
        return and_(GroupMember.group_id == BreakoutGroup.id, false())
    return and_(
        GroupMember.group_id == BreakoutGroup.id, GroupMember.participant_id == who.participant_id
    )


def _unit(db: Session, name: str) -> dict[int, Any]:
    """What the writes of the current transaction read, for their renders: it goes with the
    transaction (a session that commits and goes on reads afresh)."""
    transaction = db.get_transaction()
    found: tuple[object, dict[str, dict[int, Any]]] | None = db.info.get(UNIT)
    if found is None or found[0] is not transaction:
        found = db.info[UNIT] = (transaction, {})
    return found[1].setdefault(name, {})


def _keep(db: Session, *rows: object) -> None:
    """Keep what a write loaded alive until its render (the identity map holds rows weakly):
    the render of `breakouts.card` then reads the card and its author without a query."""
    db.info.setdefault(KEPT, []).extend(rows)


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
    _names_setting(db, card.workshop_id, names)
    _keep(db, card, group, board_round)
    return card, group, board_round, membership is not None


def _is_rapporteur(db: Session, group: BreakoutGroup, who: Viewer) -> bool:
    return (
        who.participant_id is not None
        and group.rapporteur_id == who.participant_id
        and is_member(db, group.id, who.participant_id)
    )


def _touch(group: BreakoutGroup, now: datetime) -> None:
    last = group.last_activity_at
    if last is None or now - last >= TOUCH_EVERY or now < last:
        group.last_activity_at = now


def _blocks(db: Session, workshop_id: int, keys: Iterable[str]) -> dict[str, GuidelineBlock]:
    wanted = list(keys)
    if not wanted:
        return {}
    rows = db.scalars(
        select(GuidelineBlock).where(
            GuidelineBlock.workshop_id == workshop_id, GuidelineBlock.key.in_(wanted)
        )
    )
    return {b.key: b for b in rows}


def _block_of(db: Session, group: BreakoutGroup, key: str) -> GuidelineBlock:
    if key not in group.block_keys:
        raise BoardRefused("unknown_block")
    block = _blocks(db, group.workshop_id, [key]).get(key)
    if block is None:
        raise BoardRefused("unknown_block")
    return block


def columns_of(block: GuidelineBlock) -> int:
    """One column per prompt of the block; a block without prompts has one column."""
    return max(1, len(block.prompts or []))


def _check_column(block: GuidelineBlock, column: int) -> None:
    if not 0 <= column < columns_of(block):
        raise BoardRefused("unknown_column")


def _clean(text: str, limit: int, code: str) -> str:
    text = text.strip()
    if not text or len(text) > limit:
        raise BoardRefused(code)
    return text


def _next_position(db: Session, group_id: int, block_key: str, column: int) -> int:
    last = db.scalar(
        select(func.max(Card.position)).where(
            Card.group_id == group_id, Card.block_key == block_key, Card.column == column
        )
    )
    return 1 if last is None else last + 1


# --- authors and anonymity ------------------------------------------------------------------


def anonymous(db: Session, workshop_id: int) -> bool:
    """A workshop that takes no names (its Q&A setting) keeps board authors anonymous too.
    Read once per unit of work (a write's lookup query reads it beside the card)."""
    known = _unit(db, ANONYMOUS)
    if workshop_id not in known:
        names = db.scalar(select(QaSettings.names).where(QaSettings.workshop_id == workshop_id))
        known[workshop_id] = names == "anonymous"
    return bool(known[workshop_id])


def _names_setting(db: Session, workshop_id: int, names: str | None) -> None:
    """What a write's lookup read of the workshop's names setting, for its render."""
    _unit(db, ANONYMOUS)[workshop_id] = names == "anonymous"


def author_key(participant: Participant) -> str:
    """An opaque key per participant: a screen knows its own cards by it, nobody can tell
    whose another key is (it derives from the secret token's hash, not the id)."""
    return hashlib.sha256(b"breakouts-author:" + participant.token_hash.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Authors:
    """Names and keys of the authors of some cards, read in one query."""

    anonymous: bool
    names: dict[int, str | None] = field(default_factory=dict)  # participant id -> name
    keys: dict[int, str] = field(default_factory=dict)
    removed: frozenset[int] = frozenset()
    staff: dict[int, str] = field(default_factory=dict)  # user id -> name

    def name(self, card: Card) -> str | None:
        if self.anonymous:
            return None
        if card.author_participant_id is not None:
            return self.names.get(card.author_participant_id)
        if card.author_user_id is not None:
            return self.staff.get(card.author_user_id)
        return None

    def key(self, card: Card) -> str | None:
        if card.author_participant_id is not None:
            return self.keys.get(card.author_participant_id)
        return STAFF_KEY if card.author_user_id is not None else None

    def hidden(self, card: Card) -> bool:
        return card.removed or card.author_participant_id in self.removed


def authors(db: Session, workshop_id: int, cards: Iterable[Card]) -> Authors:
    cards = list(cards)
    people = {c.author_participant_id for c in cards if c.author_participant_id is not None}
    users = {c.author_user_id for c in cards if c.author_user_id is not None}
    names: dict[int, str | None] = {}
    keys: dict[int, str] = {}
    removed: set[int] = set()
    staff: dict[int, str] = {}
    if people:
        held = [p for i in people if isinstance(p := _held(db, Participant, i), Participant)]
        rest = people - {p.id for p in held}
        found: Iterable[Participant] = (
            db.scalars(select(Participant).where(Participant.id.in_(rest))) if rest else []
        )
        for p in [*held, *found]:
            names[p.id] = (p.display_name or "").strip() or None
            keys[p.id] = author_key(p)
            if p.removed_at is not None:
                removed.add(p.id)
    if users:
        for u in db.scalars(select(User).where(User.id.in_(users))):
            staff[u.id] = u.display_name
    return Authors(anonymous(db, workshop_id), names, keys, frozenset(removed), staff)


# --- the wire's shapes ----------------------------------------------------------------------


def ms(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


def card_view(card: Card, votes: int, who: Authors) -> dict[str, Any]:
    """A card as screens get it. A removed (or hidden) card says only that it is gone."""
    if who.hidden(card):
        return {
            "id": card.id,
            "block": card.block_key,
            "column": card.column,
            "position": card.position,
            "text": "",
            "author": None,
            "author_key": None,
            "version": card.version,
            "cluster": None,
            "votes": 0,
            "removed": True,
        }
    return {
        "id": card.id,
        "block": card.block_key,
        "column": card.column,
        "position": card.position,
        "text": card.text,
        "author": who.name(card),
        "author_key": who.key(card),
        "version": card.version,
        "cluster": card.cluster_id,
        "votes": votes,
        "removed": False,
    }


def card_votes(db: Session, card_id: int) -> int:
    """Votes on one card (for `breakouts.votes`): counted, removed participants' left out."""
    return hot.card_votes(db, card_id)


def vote_counts(
    db: Session, group_id: int, card_ids: Iterable[int] | None = None
) -> dict[int, int]:
    """Votes per card of a group: COUNTs of rows, removed participants' left out."""
    query = (
        select(CardVote.card_id, func.count(CardVote.id))
        .join(Participant, Participant.id == CardVote.participant_id)
        .where(CardVote.group_id == group_id, Participant.removed_at.is_(None))
        .group_by(CardVote.card_id)
    )
    if card_ids is not None:
        query = query.where(CardVote.card_id.in_(list(card_ids)))
    return {card: n for card, n in db.execute(query)}


def cards_view(
    db: Session, workshop_id: int, card_ids: Iterable[int], *, new: bool = False
) -> list[dict[str, Any]]:
    """The given cards on the wire's shape, in id order (for `breakouts.card`). Rows the
    unit of work already holds (the card just written, its author) are not read again;
    `new`: the cards were added in it, so they have no votes to count."""
    wanted = sorted(set(card_ids))
    held = {i: c for i in wanted if isinstance(c := _held(db, Card, i), Card)}
    missing = [i for i in wanted if i not in held]
    if missing:
        held.update((c.id, c) for c in db.scalars(select(Card).where(Card.id.in_(missing))))
    cards = [held[i] for i in wanted if i in held]
    if not cards:
        return []
    who = authors(db, workshop_id, cards)
    if new:
        votes: dict[int, int] = {}
    elif len(cards) == 1:
        votes = {cards[0].id: hot.card_votes(db, cards[0].id)}
    else:
        votes = vote_counts(db, cards[0].group_id, [c.id for c in cards])
    return [card_view(c, votes.get(c.id, 0), who) for c in cards]


def _held(db: Session, model: type, ident: int) -> object | None:
    """The row if the session holds it already (with its attributes loaded), else None."""
    found: object | None = db.identity_map.get(db.identity_key(model, ident))
    if found is None or inspect(found).expired_attributes:
        return None
    return found


def _visible_cards(db: Session, group_id: int) -> list[Card]:
    return list(
        db.scalars(
            select(Card)
            .outerjoin(Participant, Participant.id == Card.author_participant_id)
            .where(
                Card.group_id == group_id,
                Card.removed.is_(False),
                or_(Card.author_participant_id.is_(None), Participant.removed_at.is_(None)),
            )
            .order_by(Card.block_key, Card.column, Card.position, Card.id)
        )
    )


def pick(text: Mapping[str, str] | None, language: str | None, default: str) -> str:
    """The agenda's text in the viewer's language when it has it, else the default."""
    if not text:
        return ""
    for candidate in (language, default):
        if candidate and candidate in text:
            return text[candidate]
    if language:
        for key, value in text.items():
            if key.split("-")[0] == language.split("-")[0]:
                return value
    return next(iter(text.values()), "")


def block_view(block: GuidelineBlock, language: str | None, default: str) -> dict[str, Any]:
    """A block's title, its prompts (the board's columns) and its assessment scale, in the
    viewer's language where the agenda has them."""
    scale = block.assessment
    return {
        "key": block.key,
        "title": pick(block.title, language, default),
        "prompts": [pick(p, language, default) for p in (block.prompts or [])]
        or [pick(block.title, language, default)],
        "assessment": None
        if not scale
        else {
            "min": scale["min"],
            "max": scale["max"],
            "min_label": pick(scale.get("min_label"), language, default) or None,
            "max_label": pick(scale.get("max_label"), language, default) or None,
        },
    }


def synthesis_view(db: Session, group_id: int) -> dict[str, Any]:
    row = db.scalar(select(Synthesis).where(Synthesis.group_id == group_id))
    if row is None:
        return {"group": group_id, "text": "", "version": 0, "by": None}
    return {"group": group_id, "text": row.text, "version": row.version, "by": row.updated_by}


@dataclass(frozen=True)
class Distribution:
    """A block's self-assessments in one group (or the room): value -> count, and the mean."""

    block_key: str
    counts: dict[int, int]
    count: int
    mean: float | None

    def wire(self, group_id: int) -> dict[str, Any]:
        return {
            "group": group_id,
            "block": self.block_key,
            "distribution": {str(v): n for v, n in sorted(self.counts.items())},
            "count": self.count,
            "mean": self.mean,
        }


def _distribution(block_key: str, values: Iterable[int]) -> Distribution:
    counts = Counter(values)
    n = sum(counts.values())
    mean = round(sum(v * c for v, c in counts.items()) / n, 2) if n else None
    return Distribution(block_key, dict(counts), n, mean)


def distribution(db: Session, group_id: int, block_key: str) -> Distribution:
    values = db.scalars(
        select(Assessment.value)
        .join(Participant, Participant.id == Assessment.participant_id)
        .where(
            Assessment.group_id == group_id,
            Assessment.block_key == block_key,
            Participant.removed_at.is_(None),
        )
    )
    return _distribution(block_key, values)


# --- reading a board ----------------------------------------------------------------------------


def may_read(db: Session, group: BreakoutGroup, viewer: Viewer) -> bool:
    """Members and moderators; every participant while the gallery walk is open; a display
    the group presented in report-back."""
    if group.workshop_id != viewer.workshop_id:
        return False
    if _is_moderator(viewer):
        return True
    board_round = round_of(db, group)
    if viewer.kind == "display":
        return board_round.report_group_id == group.id
    if viewer.kind != "participant":
        return False
    return is_member(db, group.id, viewer.participant_id) or board_round.gallery


def board_view(
    db: Session, group: BreakoutGroup, viewer: Viewer, now: datetime | None = None
) -> dict[str, Any]:
    """The whole board of one group as `viewer` may see it (refused `forbidden` otherwise):
    its blocks and their prompts (the columns) in the viewer's language, the cards (removed
    ones and removed participants' left out), votes, the viewer's own votes and votes left,
    the self-assessments (the viewer's own and the group's distribution), the synthesis,
    and whether the viewer may write now."""
    board_round = round_of(db, group)
    # A member is asked once (may_read asks it of a participant too).
    member = viewer.kind == "participant" and is_member(db, group.id, viewer.participant_id)
    if group.workshop_id != viewer.workshop_id or not (member or may_read(db, group, viewer)):
        raise BoardRefused("forbidden")
    workshop = db.get(Workshop, group.workshop_id)
    assert workshop is not None
    default = workshop.default_language
    language = viewer.language or default
    blocks = _blocks(db, group.workshop_id, group.block_keys)
    cards = _visible_cards(db, group.id)
    # A board just opened has no cards: no authors, votes or dots to read (a thousand
    # phones resync at once then).
    who = authors(db, group.workshop_id, cards) if cards else Authors(anonymous=False)
    votes = vote_counts(db, group.id) if cards else {}
    me: Participant | None = (
        db.get(Participant, viewer.participant_id) if viewer.participant_id else None
    )
    my_votes: list[int] = []
    mine: dict[str, int] = {}
    if member and me is not None:
        my_votes = (
            list(
                db.scalars(
                    select(CardVote.card_id)
                    .where(CardVote.group_id == group.id, CardVote.participant_id == me.id)
                    .order_by(CardVote.card_id)
                )
            )
            if cards
            else []
        )
        mine = dict(
            db.execute(
                select(Assessment.block_key, Assessment.value).where(
                    Assessment.round_id == board_round.id, Assessment.participant_id == me.id
                )
            ).all()
        )
    assessments = {}
    for key in group.block_keys:
        block = blocks.get(key)
        if block is not None and block.assessment:
            d = distribution(db, group.id, key).wire(group.id)
            d["mine"] = mine.get(key)
            assessments[key] = d
    writable = (_is_moderator(viewer) or member) and is_open(board_round, now or utcnow())
    return {
        "group": group.id,
        "phase": group.phase,
        "phase_deadline_ms": ms(group.phase_deadline),
        "blocks": [
            block_view(blocks[k], language, default) for k in group.block_keys if k in blocks
        ],
        "cards": [card_view(c, votes.get(c.id, 0), who) for c in cards],
        "me": author_key(me) if member and me is not None else None,
        "my_votes": my_votes,
        "votes_per_member": board_round.votes_per_member,
        "votes_left": max(0, board_round.votes_per_member - len(my_votes)) if member else None,
        "assessment": assessments,
        "synthesis": synthesis_view(db, group.id),
        "writable": writable,
    }


# --- cards ---------------------------------------------------------------------------------------


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
    if not (_is_moderator(who) or scope.member):
        raise BoardRefused("forbidden")
    _check_open(scope, now)
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
        "text": _clean(text, MAX_CARD, "card_length"),
        "author_participant_id": None if _is_moderator(who) else who.participant_id,
        "author_user_id": who.user_id if _is_moderator(who) else None,
        "version": 1,
        "cluster_id": None,
        "removed": False,
        "created_at": now,
        "updated_at": now,
    }
    # Inserted by Core, not flushed by the ORM; then the session holds the row as if it had
    # read it back (the render and any later write of this unit of work use it, unread).
    card = _as_read(db, Card(id=hot.insert_card(db, values), **values))
    _keep(db, card)
    _unit(db, ANONYMOUS)[scope.workshop_id] = scope.anonymous
    _touch_scope(db, scope, now)
    return card, [CardChanged(scope.workshop_id, scope.group_id, (card.id,), new=True)]


def _check_editor(group: BreakoutGroup | hot.Scope, card: Card, who: Viewer) -> None:
    """The card's author, the group's rapporteur, or a moderator; after `_check_writer`,
    which found the participant a member of the group."""
    if _is_moderator(who):
        return
    me = who.participant_id
    if me is None or me not in (card.author_participant_id, group.rapporteur_id):
        raise BoardRefused("forbidden")


def _hot_card(db: Session, who: Viewer, card_id: int) -> tuple[Card, hot.Scope]:
    """A card written or voted on, with its group's and round's columns, in one read."""
    found = hot.card_scope(db, card_id, who.participant_id)
    if found is None or found[0]["workshop_id"] != who.workshop_id or found[0]["removed"]:
        raise BoardRefused("unknown_card")
    columns, scope = found
    if scope.workshop_id != who.workshop_id:
        raise BoardRefused("unknown_group")
    _unit(db, ANONYMOUS)[scope.workshop_id] = scope.anonymous
    held = _held(db, Card, card_id)  # this unit of work's copy, if it has one, is the one
    card = held if isinstance(held, Card) else _as_read(db, Card(**columns))
    _keep(db, card)
    return card, scope


def _as_read(db: Session, card: Card) -> Card:
    """A card built from columns a Core statement read or wrote, held by the session as if
    the ORM had read it (no second read; its later changes flush as usual)."""
    make_transient_to_detached(card)
    db.add(card)
    return card


def _touch_scope(db: Session, scope: hot.Scope, now: datetime) -> None:
    """As `_touch`, for a group read as columns."""
    last = scope.last_activity_at
    if last is None or now - last >= TOUCH_EVERY or now < last:
        hot.touch(db, scope.group_id, now)


def _card_for_write(
    db: Session, who: Viewer, card_id: int, now: datetime
) -> tuple[Card, BreakoutGroup]:
    """The card and its group, for a member of the group or a moderator while the round
    takes writes (as `_check_writer`, in one query)."""
    card, group, board_round, member = _card_scope(db, who, card_id)
    if not (_is_moderator(who) or member):
        raise BoardRefused("forbidden")
    _check_open(board_round, now)
    return card, group


def edit_card(
    db: Session, who: Viewer, card_id: int, text: str, version: int, now: datetime
) -> tuple[Card, list[object]]:
    """Set the card's text, from `version`; refused `conflict` (with both texts) when the
    card has changed since."""
    card, group = _hot_card(db, who, card_id)
    if not (_is_moderator(who) or group.member):
        raise BoardRefused("forbidden")
    _check_open(group, now)
    _check_editor(group, card, who)
    text = _clean(text, MAX_CARD, "card_length")
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
    _touch_scope(db, group, now)
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
    _touch(group, now)
    db.flush()
    return [CardChanged(group.workshop_id, group.id, (card.id, *released))]


def move_card(
    db: Session, who: Viewer, card_id: int, column: int, block_key: str | None, now: datetime
) -> list[object]:
    """Move a card to another column (of the same block, or another block of the group), at
    its end. A card merged into another leaves its cluster; a cluster's cards follow it."""
    card, group = _card_for_write(db, who, card_id, now)
    block = _block_of(db, group, block_key or card.block_key)
    _check_column(block, column)
    moved = [card.id]
    position = _next_position(db, group.id, block.key, column)  # before the card is there
    card.cluster_id = None
    card.block_key = block.key
    card.column = column
    card.position = position
    card.updated_at = now
    for child in db.scalars(select(Card).where(Card.cluster_id == card.id)):
        child.block_key, child.column, child.updated_at = block.key, column, now
        moved.append(child.id)
    _touch(group, now)
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
    _touch(group, now)
    db.flush()
    return [CardChanged(group.workshop_id, group.id, tuple(changed))]


def unmerge_card(db: Session, who: Viewer, card_id: int, now: datetime) -> list[object]:
    """Undo a merge: the card stands alone again, in its cluster's column. Unmerging the
    head of a cluster dissolves the whole cluster."""
    card, group = _card_for_write(db, who, card_id, now)
    changed = [card.id]
    if card.cluster_id is not None:
        card.cluster_id = None
        card.position = _next_position(db, group.id, card.block_key, card.column)
        card.updated_at = now
    else:
        children = list(db.scalars(select(Card).where(Card.cluster_id == card.id)))
        if not children:
            raise BoardRefused("not_merged")
        for child in children:
            child.cluster_id = None
            child.updated_at = now
            changed.append(child.id)
    _touch(group, now)
    db.flush()
    return [CardChanged(group.workshop_id, group.id, tuple(changed))]


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
    if votes is not None and not _is_moderator(who):
        raise BoardRefused("forbidden")
    if votes is not None and not 1 <= votes <= MAX_VOTES:
        raise BoardRefused("votes_out_of_range")
    if group_id is not None:
        group = find_group(db, who.workshop_id, group_id)
        if not (_is_moderator(who) or _is_rapporteur(db, group, who)):
            raise BoardRefused("forbidden")
        groups = [group]
        board_round = round_of(db, group)
    elif _is_moderator(who):
        found = services.current_round(db, who.workshop_id)
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
    _check_open(board_round, now)
    deadline = now + timedelta(seconds=deadline_s) if deadline_s else None
    for group in groups:
        group.phase = phase
        group.phase_deadline = deadline
        _touch(group, now)
    events: list[object] = [GroupChanged(who.workshop_id, g.id) for g in groups]
    if votes is not None and votes != board_round.votes_per_member:
        board_round.votes_per_member = votes
        events.append(RoundChanged(who.workshop_id, board_round.id))
    db.flush()
    return groups, events


def my_group(db: Session, who: Viewer) -> BreakoutGroup | None:
    """The participant's group in the current round."""
    board_round = services.current_round(db, who.workshop_id)
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
    if group is None or not _is_rapporteur(db, group, who):
        raise BoardRefused("forbidden")
    return group


# --- votes -------------------------------------------------------------------------------------


def vote(
    db: Session, who: Viewer, card_id: int, voted: bool, now: datetime
) -> tuple[dict[str, Any], list[object]]:
    """Put a dot on a card (`voted`) or take it back, in phase `vote`. Twice changes nothing.
    At most the round's `votes_per_member` per member and group: refused `no_votes_left`."""
    card, scope = _hot_card(db, who, card_id)
    if who.participant_id is None or not scope.member:
        raise BoardRefused("forbidden")
    _check_open(scope, now)
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
    _touch_scope(db, scope, now)
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
    _check_open(board_round, now)
    block = _block_of(db, group, block_key)
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
    _touch(group, now)
    db.flush()
    return distribution(db, group.id, block.key), [
        AssessmentChanged(group.workshop_id, group.id, block.key)
    ]


# --- the synthesis ------------------------------------------------------------------------------


def _writer_name(db: Session, who: Viewer) -> str | None:
    if anonymous(db, who.workshop_id):
        return None
    if _is_moderator(who) and who.user_id is not None:
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
    if not (_is_moderator(who) or _is_rapporteur(db, group, who)):
        raise BoardRefused("forbidden")
    _check_open(round_of(db, group), now)
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
    _touch(group, now)
    db.flush()
    db.expire_all()
    return synthesis_view(db, group.id), [SynthesisChanged(group.workshop_id, group.id)]


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
    cards = _visible_cards(db, group.id)
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
    blocks = _blocks(db, group.workshop_id, group.block_keys)
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
        d = _distribution(b.key, got)
        scale = b.assessment or {}
        return RadarBlock(b.key, b.title, d.mean, d.count, scale.get("min", 0), scale.get("max", 0))

    return Radar(
        blocks=tuple(row(b, values.get(b.key, [])) for b in blocks),
        territories={
            t: tuple(row(b, got.get(b.key, [])) for b in blocks if b.key in got)
            for t, got in sorted(by_territory.items())
        },
    )
