"""The pure placement rules: balance, languages, a spread of stakeholders, late joiners."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from facilitator.breakouts import forming
from facilitator.breakouts.forming import Formed, GroupState, Person


def people(n: int, **fields: object) -> list[Person]:
    return [Person(i + 1, **fields) for i in range(n)]  # type: ignore[arg-type]


def sizes(formed: list[Formed]) -> list[int]:
    return sorted(len(g.members) for g in formed)


def everyone_once(formed: list[Formed], n: int) -> bool:
    placed = [pid for g in formed for pid in g.members]
    return sorted(placed) == list(range(1, n + 1))


@pytest.mark.parametrize(("n", "groups", "expected"), [(23, 5, [4, 4, 5, 5, 5]), (6, 6, [1] * 6)])
def test_random_n_groups_are_balanced_to_one(n: int, groups: int, expected: list[int]) -> None:
    formed = forming.form("random", people(n), groups=groups, size=None, rng=random.Random(1))
    assert sizes(formed) == expected
    assert everyone_once(formed, n)


def test_random_n_per_group_never_exceeds_n() -> None:
    formed = forming.form("random", people(22), groups=None, size=6, rng=random.Random(2))
    assert len(formed) == 4  # 22 people, at most 6 each
    assert sizes(formed) == [5, 5, 6, 6]
    assert everyone_once(formed, 22)


def test_random_is_random_yet_repeatable_with_one_seed() -> None:
    a = forming.form("random", people(30), groups=3, size=None, rng=random.Random(7))
    b = forming.form("random", people(30), groups=3, size=None, rng=random.Random(7))
    c = forming.form("random", people(30), groups=3, size=None, rng=random.Random(8))
    assert a == b
    assert a != c


def test_more_groups_than_people_leaves_some_empty() -> None:
    formed = forming.form("random", people(2), groups=4, size=None, rng=random.Random(1))
    assert sizes(formed) == [0, 0, 1, 1]


def test_by_language_no_group_mixes_languages() -> None:
    crowd = [Person(i, "en") for i in range(1, 13)] + [Person(i, "fr") for i in range(13, 19)]
    crowd += [Person(19, "ko"), Person(20, "ko")]
    formed = forming.form("language", crowd, groups=4, size=None, rng=random.Random(3))
    language = {p.id: p.language for p in crowd}
    for group in formed:
        assert {language[pid] for pid in group.members} == {group.language}
    # 4 groups share by weight: en 12 -> 2 groups, fr 6 -> 1, ko 2 -> 1
    assert Counter(g.language for g in formed) == {"en": 2, "fr": 1, "ko": 1}
    assert sorted(len(g.members) for g in formed if g.language == "en") == [6, 6]
    assert everyone_once(formed, 20)


def test_by_language_with_more_languages_than_groups_gives_each_its_own() -> None:
    crowd = [Person(1, "en"), Person(2, "fr"), Person(3, "ko")]
    formed = forming.form("language", crowd, groups=2, size=None, rng=random.Random(1))
    assert sorted(g.language or "" for g in formed) == ["en", "fr", "ko"]


def test_by_language_n_per_group_splits_each_language() -> None:
    crowd = [Person(i, "en") for i in range(1, 8)] + [Person(i, "fr") for i in range(8, 11)]
    formed = forming.form("language", crowd, groups=None, size=4, rng=random.Random(1))
    assert sorted((g.language or "", len(g.members)) for g in formed) == [
        ("en", 3),
        ("en", 4),
        ("fr", 3),
    ]


def test_mixed_by_stakeholder_spreads_every_type_over_the_groups() -> None:
    kinds = ["local-government"] * 8 + ["sse-organisation"] * 6 + ["academia"] * 4 + [None] * 2
    crowd = [Person(i + 1, "en", kind) for i, kind in enumerate(kinds)]
    formed = forming.form("stakeholder", crowd, groups=4, size=None, rng=random.Random(5))
    assert sizes(formed) == [5, 5, 5, 5]
    kind_of = {p.id: p.stakeholder_type for p in crowd}
    for kind, total in Counter(kinds).items():
        per_group = [sum(1 for pid in g.members if kind_of[pid] == kind) for g in formed]
        assert max(per_group) - min(per_group) <= 1, (kind, per_group)
        assert sum(per_group) == total
    # every group has local government, SSE organisations and academics
    for group in formed:
        assert {"local-government", "sse-organisation", "academia"} <= {
            kind_of[pid] for pid in group.members
        }


@pytest.mark.parametrize("mode", ["self", "manual"])
def test_self_select_and_manual_make_empty_groups(mode: str) -> None:
    formed = forming.form(mode, people(10), groups=None, size=4, rng=random.Random(1))
    assert sizes(formed) == [0, 0, 0]


def test_a_late_joiner_goes_to_the_smallest_group() -> None:
    groups = [GroupState(10, 1, 4), GroupState(11, 2, 3), GroupState(12, 3, 3)]
    assert forming.place_late("random", Person(99, "en"), groups) == 11  # first of the smallest


def test_a_late_joiner_goes_to_a_group_of_their_language() -> None:
    groups = [GroupState(10, 1, 2, "en"), GroupState(11, 2, 5, "fr"), GroupState(12, 3, 4, "fr")]
    assert forming.place_late("language", Person(99, "fr"), groups) == 12
    assert forming.place_late("language", Person(99, "ko"), groups) is None  # no ko group


def test_a_late_joiner_goes_where_their_type_is_scarcest() -> None:
    groups = [
        GroupState(10, 1, 3, types=Counter({"academia": 1, "local-government": 2})),
        GroupState(11, 2, 2, types=Counter({"academia": 2})),
        GroupState(12, 3, 4, types=Counter({"local-government": 1, "academia": 3})),
    ]
    assert forming.place_late("stakeholder", Person(99, "en", "local-government"), groups) == 11
    assert forming.place_late("stakeholder", Person(98, "en", "academia"), groups) == 10


@pytest.mark.parametrize("mode", ["self", "manual"])
def test_no_rule_places_a_late_joiner_in_self_select_or_manual(mode: str) -> None:
    assert forming.place_late(mode, Person(1, "en"), [GroupState(10, 1, 0)]) is None


def test_a_full_group_takes_no_late_joiner() -> None:
    groups = [GroupState(10, 1, 3), GroupState(11, 2, 3)]
    assert forming.place_late("random", Person(1), groups, max_size=3) is None


@pytest.mark.parametrize(
    ("blocks", "count", "expected"),
    [
        (["a", "b", "c"], 3, [["a"], ["b"], ["c"]]),
        (["a", "b"], 5, [["a"], ["b"], ["a"], ["b"], ["a"]]),
        (["a", "b", "c", "d", "e"], 2, [["a", "c", "e"], ["b", "d"]]),
        ([], 2, [[], []]),
    ],
)
def test_blocks_are_spread_over_the_groups_in_turn(
    blocks: list[str], count: int, expected: list[list[str]]
) -> None:
    assert forming.spread_blocks(blocks, count) == expected
