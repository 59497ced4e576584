"""Who wrote a board's cards: the opaque author keys, the authors' names, and whether a
workshop that takes no names keeps them anonymous (read once per unit of work).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.accounts.models import User
from facilitator.breakouts.board_models import Card
from facilitator.breakouts.board_rules import ANONYMOUS, STAFF_KEY, held_row, unit
from facilitator.participation.models import Participant
from facilitator.qa.models import QaSettings

# --- authors and anonymity ------------------------------------------------------------------


def anonymous(db: Session, workshop_id: int) -> bool:
    """A workshop that takes no names (its Q&A setting) keeps board authors anonymous too.
    Read once per unit of work (a write's lookup query reads it beside the card)."""
    known = unit(db, ANONYMOUS)
    if workshop_id not in known:
        names = db.scalar(select(QaSettings.names).where(QaSettings.workshop_id == workshop_id))
        known[workshop_id] = names == "anonymous"
    return bool(known[workshop_id])


def names_setting(db: Session, workshop_id: int, names: str | None) -> None:
    """What a write's lookup read of the workshop's names setting, for its render."""
    unit(db, ANONYMOUS)[workshop_id] = names == "anonymous"


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
        held = [p for i in people if isinstance(p := held_row(db, Participant, i), Participant)]
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
