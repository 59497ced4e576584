"""How people are placed in groups: pure rules, no database, a random source given.

Each rule takes the people to place and the number of groups (or people per group) and
answers lists of ids, one per group. Late joiners are placed one by one by `place_late`,
by the same rule, among the groups as they are then.

- random: shuffled, then dealt in turn: sizes differ by one at most.
- language: one language per group (no group needs an interpreter); a language's people
  are split into as many groups as its share asks, balanced within the language.
- stakeholder: each type dealt in turn over the groups (the largest types first), so every
  group gets a spread of local governments, SSE organisations, academics…, and sizes
  still differ by one at most.
- self and manual: groups made empty; participants choose (self) or the moderator places.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

RANDOM, SELF, LANGUAGE, STAKEHOLDER, MANUAL = "random", "self", "language", "stakeholder", "manual"
AUTOMATIC = (RANDOM, LANGUAGE, STAKEHOLDER)  # the modes that place people themselves
UNKNOWN = ""  # a stakeholder type not given


@dataclass(frozen=True)
class Person:
    id: int
    language: str = ""
    stakeholder_type: str | None = None


@dataclass(frozen=True)
class Formed:
    """One group of a forming: its people, and its language (mode `language` only)."""

    members: list[int]
    language: str | None = None


@dataclass
class GroupState:
    """A group as it is now, for placing a late joiner."""

    id: int
    position: int
    members: int
    language: str | None = None
    types: Counter[str] = field(default_factory=Counter)


def group_count(people: int, groups: int | None, size: int | None) -> int:
    """N groups, or as many groups as N people per group needs (never more than N each)."""
    if groups is not None:
        return max(1, groups)
    if size is not None:
        return max(1, math.ceil(people / max(1, size)))
    raise ValueError("groups or size")


def _deal(ids: Sequence[int], count: int, start: int = 0) -> list[list[int]]:
    dealt: list[list[int]] = [[] for _ in range(count)]
    for n, person in enumerate(ids):
        dealt[(start + n) % count].append(person)
    return dealt


def random_balanced(people: Sequence[Person], count: int, rng: random.Random) -> list[Formed]:
    ids = [p.id for p in people]
    rng.shuffle(ids)
    return [Formed(members) for members in _deal(ids, count)]


def mixed_by_stakeholder(people: Sequence[Person], count: int, rng: random.Random) -> list[Formed]:
    """Dealt type by type, continuing the turn from one type to the next: each type's
    people differ by one at most between groups, and so do the sizes."""
    by_type: dict[str, list[int]] = {}
    for person in people:
        by_type.setdefault(person.stakeholder_type or UNKNOWN, []).append(person.id)
    # Largest types first; the people whose type is unknown last, to fill the gaps.
    order = sorted(by_type, key=lambda t: (t == UNKNOWN, -len(by_type[t]), t))
    ids: list[int] = []
    for kind in order:
        members = by_type[kind]
        rng.shuffle(members)
        ids.extend(members)
    return [Formed(members) for members in _deal(ids, count)]


def _shares(sizes: dict[str, int], total: int) -> dict[str, int]:
    """Split `total` groups between languages in proportion to their people, at least one
    each (so with more languages than groups, there are more groups than asked)."""
    shares = {lang: 1 for lang in sizes}
    for _ in range(max(0, total - len(sizes))):
        # The next group to the language whose groups are the largest now.
        lang = max(sorted(sizes), key=lambda k: (sizes[k] / shares[k], -shares[k]))
        if sizes[lang] <= shares[lang]:  # every group would hold one person at most
            break
        shares[lang] += 1
    return shares


def by_language(
    people: Sequence[Person], groups: int | None, size: int | None, rng: random.Random
) -> list[Formed]:
    by_lang: dict[str, list[Person]] = {}
    for person in people:
        by_lang.setdefault(person.language, []).append(person)
    langs = sorted(by_lang, key=lambda k: (-len(by_lang[k]), k))
    if size is not None:
        shares = {lang: group_count(len(by_lang[lang]), None, size) for lang in langs}
    else:
        shares = _shares({lang: len(by_lang[lang]) for lang in langs}, groups or 1)
    formed: list[Formed] = []
    for lang in langs:
        for made in random_balanced(by_lang[lang], shares[lang], rng):
            formed.append(Formed(made.members, lang))
    return formed


def form(
    mode: str,
    people: Sequence[Person],
    *,
    groups: int | None,
    size: int | None,
    rng: random.Random,
) -> list[Formed]:
    """The groups of a new round. Modes self and manual make empty groups."""
    if mode == LANGUAGE:
        formed = by_language(people, groups, size, rng)
        return formed or [Formed([])]
    count = group_count(len(people), groups, size)
    if mode == RANDOM:
        return random_balanced(people, count, rng)
    if mode == STAKEHOLDER:
        return mixed_by_stakeholder(people, count, rng)
    return [Formed([]) for _ in range(count)]


def place_late(
    mode: str, person: Person, groups: Sequence[GroupState], max_size: int | None = None
) -> int | None:
    """The group a late joiner goes to by the round's rule, or None: not placed (modes
    self and manual, no group, every group full, or no group of their language: the
    caller may make one)."""
    if mode not in AUTOMATIC:
        return None
    open_groups = [g for g in groups if max_size is None or g.members < max_size]
    if mode == LANGUAGE:
        open_groups = [g for g in open_groups if g.language == person.language]
    if not open_groups:
        return None
    if mode == STAKEHOLDER:
        kind = person.stakeholder_type or UNKNOWN
        best = min(open_groups, key=lambda g: (g.types[kind], g.members, g.position))
    else:
        best = min(open_groups, key=lambda g: (g.members, g.position))
    return best.id


def spread_blocks(blocks: Sequence[str], count: int) -> list[list[str]]:
    """The blocks over the groups in turn: with more blocks than groups a group gets
    several; with fewer, several groups share a block."""
    if not blocks or count <= 0:
        return [[] for _ in range(max(0, count))]
    if len(blocks) >= count:
        return [list(blocks[i::count]) for i in range(count)]
    return [[blocks[i % len(blocks)]] for i in range(count)]
