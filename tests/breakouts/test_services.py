"""Forming and running groups through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from facilitator.agenda.models import GuidelineBlock, ItemBlock, ProgramItem, Workshop
from facilitator.breakouts import opening, placing, rounds, running
from facilitator.breakouts.changes import GroupChanged, HelpChanged, Moved, RoundChanged
from facilitator.breakouts.models import BreakoutGroup, BreakoutRound, GroupMember
from facilitator.breakouts.rounds import BreakoutRefused, Rule
from facilitator.live.models import LiveState, Phase
from facilitator.participation.models import Participant
from tests.conftest import minimal_workshop

NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
BLOCKS = ("legal", "co-construction", "strategic-planning", "support")
KINDS = ("local-government", "sse-organisation", "academia", "international")


def make_workshop(db: Session) -> Workshop:
    workshop = minimal_workshop("breakouts", "Breakouts")
    workshop.languages = ["en", "fr", "ko"]
    for n, key in enumerate(BLOCKS, start=1):
        workshop.guideline_blocks.append(
            GuidelineBlock(key=key, position=n, title={"en": key}, prompts=[{"en": "Now?"}])
        )
    db.add(workshop)
    db.flush()
    item = ProgramItem(
        key="groups",
        position=2,
        day=workshop.days[0],
        start=time(9, 30),
        end=time(10),
        title={"en": "Groups"},
        kind="breakout",
    )
    workshop.program.append(item)
    db.flush()
    for n, block in enumerate(workshop.guideline_blocks[:3]):
        item.block_links.append(ItemBlock(block_id=block.id, position=n))
    db.flush()
    return workshop


def add_people(
    db: Session, workshop: Workshop, n: int, language: str = "en", kinds: tuple[str, ...] = KINDS
) -> list[Participant]:
    made = []
    start = db.scalar(select(func.count()).select_from(Participant)) or 0
    for i in range(n):
        p = Participant(
            workshop_id=workshop.id,
            token_hash=f"{start + i:064x}",
            display_name=f"P{start + i}",
            language=language,
            stakeholder_type=kinds[i % len(kinds)] if kinds else None,
            joined_at=NOW,
        )
        db.add(p)
        made.append(p)
    db.flush()
    return made


@pytest.fixture
def db(service_session: Session) -> Session:
    return service_session


@pytest.fixture
def workshop(db: Session) -> Workshop:
    return make_workshop(db)


def preview(db: Session, workshop: Workshop, rule: Rule, **kw: object) -> BreakoutRound:
    round_, events = opening.preview(db, workshop, rule, now=NOW, rng=random.Random(4), **kw)  # type: ignore[arg-type]
    assert RoundChanged(workshop.id, round_.id, members=True) in events
    return round_


def sizes(db: Session, round_: BreakoutRound) -> list[int]:
    counts = rounds.member_counts(db, round_.id)
    return sorted(counts.get(g.id, 0) for g in rounds.groups_of(db, round_.id))


def opened(db: Session, workshop: Workshop, rule: Rule, **kw: object) -> BreakoutRound:
    round_ = preview(db, workshop, rule, **kw)
    opening.open_round(db, round_, NOW)
    return round_


# --- forming ---------------------------------------------------------------------------


def test_random_groups_are_balanced_and_take_the_items_blocks(
    db: Session, workshop: Workshop
) -> None:
    add_people(db, workshop, 23)
    round_ = preview(db, workshop, Rule("random", groups=5), item="groups")
    assert round_.state == "preview" and round_.item_key == "groups"
    assert sizes(db, round_) == [4, 4, 5, 5, 5]
    # the item's three blocks, in turn over five groups
    assert [g.block_keys for g in rounds.groups_of(db, round_.id)] == [
        ["legal"],
        ["co-construction"],
        ["strategic-planning"],
        ["legal"],
        ["co-construction"],
    ]


def test_without_an_item_the_current_breakout_item_gives_its_blocks(
    db: Session, workshop: Workshop
) -> None:
    add_people(db, workshop, 4)
    item = next(i for i in workshop.program if i.key == "groups")
    db.add(
        LiveState(
            workshop_id=workshop.id,
            join_code="ABCDEFGH",
            display_token="t" * 32,
            phase=Phase.RUNNING,
            current_item_id=item.id,
        )
    )
    db.flush()
    round_ = preview(db, workshop, Rule("random", groups=3))
    assert round_.item_key == "groups"
    assert [g.block_keys for g in rounds.groups_of(db, round_.id)] == [
        ["legal"],
        ["co-construction"],
        ["strategic-planning"],
    ]
    item.kind = "discussion"  # not a breakout: no item, no blocks
    db.flush()
    round_ = preview(db, workshop, Rule("random", groups=2))
    assert round_.item_key is None
    assert [g.block_keys for g in rounds.groups_of(db, round_.id)] == [[], []]


def test_n_per_group(db: Session, workshop: Workshop) -> None:
    add_people(db, workshop, 20)
    round_ = preview(db, workshop, Rule("random", size=6))
    assert sizes(db, round_) == [5, 5, 5, 5]


def test_only_the_people_connected_are_placed_at_the_preview(
    db: Session, workshop: Workshop
) -> None:
    crowd = add_people(db, workshop, 10)
    here = [p.id for p in crowd[:6]]
    round_ = preview(db, workshop, Rule("random", groups=2), present=here)
    placed = set(db.scalars(select(GroupMember.participant_id)))
    assert placed == set(here)
    assert {p.id for p in running.unplaced(db, round_)} == {p.id for p in crowd[6:]}


def test_by_language_each_group_speaks_one_language(db: Session, workshop: Workshop) -> None:
    add_people(db, workshop, 8, "en")
    add_people(db, workshop, 4, "fr")
    round_ = preview(db, workshop, Rule("language", groups=3))
    for group in rounds.groups_of(db, round_.id):
        languages = {p.language for p in rounds.members_of(db, group.id)}
        assert languages == {group.language}
    assert Counter(g.language for g in rounds.groups_of(db, round_.id)) == {"en": 2, "fr": 1}


def test_mixed_by_stakeholder_each_group_gets_every_type(db: Session, workshop: Workshop) -> None:
    add_people(db, workshop, 16)  # four of each type
    round_ = preview(db, workshop, Rule("stakeholder", groups=4))
    for group in rounds.groups_of(db, round_.id):
        kinds = Counter(p.stakeholder_type for p in rounds.members_of(db, group.id))
        assert kinds == {k: 1 for k in KINDS}


def test_a_second_preview_rebuilds_the_round(db: Session, workshop: Workshop) -> None:
    add_people(db, workshop, 12)
    preview(db, workshop, Rule("random", groups=2))
    second = preview(db, workshop, Rule("random", groups=3))
    assert db.scalar(select(func.count()).select_from(BreakoutRound)) == 1
    assert rounds.current_round(db, workshop.id) is second
    assert len(rounds.groups_of(db, second.id)) == 3
    assert sizes(db, second) == [4, 4, 4]
    assert db.scalar(select(func.count()).select_from(GroupMember)) == 12


@pytest.mark.parametrize(
    ("rule", "kw", "code"),
    [
        (Rule("random"), {}, "groups_or_size"),
        (Rule("random", groups=2, size=3), {}, "groups_or_size"),
        (Rule("shuffled", groups=2), {}, "unknown_mode"),
        (Rule("random", groups=0), {}, "out_of_range"),
        (Rule("random", groups=2), {"item": "no-such-item"}, "unknown_item"),
        (Rule("random", groups=2), {"blocks": ["housing"]}, "unknown_block"),
    ],
)
def test_a_rule_that_does_not_hold_is_refused(
    db: Session, workshop: Workshop, rule: Rule, kw: dict[str, object], code: str
) -> None:
    with pytest.raises(BreakoutRefused) as refused:
        opening.preview(db, workshop, rule, now=NOW, **kw)  # type: ignore[arg-type]
    assert refused.value.code == code
    assert rounds.current_round(db, workshop.id) is None


def test_no_preview_while_a_round_is_open(db: Session, workshop: Workshop) -> None:
    add_people(db, workshop, 4)
    opened(db, workshop, Rule("random", groups=2))
    with pytest.raises(BreakoutRefused, match="round_open"):
        opening.preview(db, workshop, Rule("random", groups=3), now=NOW)


def test_opening_moves_every_member_to_their_group(db: Session, workshop: Workshop) -> None:
    crowd = add_people(db, workshop, 4)
    round_ = preview(db, workshop, Rule("random", groups=2))
    assert rounds.followed_group(db, workshop.id, crowd[0].id) is None  # preview: nobody yet
    events = opening.open_round(db, round_, NOW)
    moved = [e for e in events if isinstance(e, Moved)]
    assert {e.participant_id for e in moved} == {p.id for p in crowd}
    for p in crowd:
        assert rounds.followed_group(db, workshop.id, p.id) == rounds.group_of(db, round_.id, p.id)
    with pytest.raises(BreakoutRefused, match="not_preview"):
        opening.open_round(db, round_, NOW)


# --- late joiners, moves, coming back ---------------------------------------------------


def test_a_late_joiner_is_placed_in_the_smallest_group(db: Session, workshop: Workshop) -> None:
    add_people(db, workshop, 5)
    round_ = opened(db, workshop, Rule("random", groups=2))
    late = add_people(db, workshop, 1)[0]
    group_id, events = placing.join(db, round_, late, NOW)
    assert group_id is not None
    assert rounds.member_counts(db, round_.id)[group_id] == 3
    assert sizes(db, round_) == [3, 3]
    assert Moved(workshop.id, late.id, group_id) in events
    assert GroupChanged(workshop.id, group_id) in events


def test_a_late_joiner_goes_to_a_group_of_their_language_or_a_new_one(
    db: Session, workshop: Workshop
) -> None:
    add_people(db, workshop, 6, "en")
    add_people(db, workshop, 3, "fr")
    round_ = opened(db, workshop, Rule("language", size=3))
    fr = add_people(db, workshop, 1, "fr")[0]
    group_id, _ = placing.join(db, round_, fr, NOW)
    group = db.get(BreakoutGroup, group_id)
    assert group is not None and group.language == "fr"
    ko = add_people(db, workshop, 1, "ko")[0]
    group_id, _ = placing.join(db, round_, ko, NOW)
    new = db.get(BreakoutGroup, group_id)
    assert new is not None and new.language == "ko" and new.position == 4
    assert [p.id for p in rounds.members_of(db, new.id)] == [ko.id]


def test_a_late_joiner_evens_out_the_stakeholder_types(db: Session, workshop: Workshop) -> None:
    add_people(db, workshop, 4, kinds=("academia",))
    add_people(db, workshop, 2, kinds=("local-government",))
    round_ = opened(db, workshop, Rule("stakeholder", groups=2))
    late = add_people(db, workshop, 2, kinds=("local-government",))
    for person in late:
        placing.join(db, round_, person, NOW)
    for group in rounds.groups_of(db, round_.id):
        kinds = Counter(p.stakeholder_type for p in rounds.members_of(db, group.id))
        assert kinds == {"academia": 2, "local-government": 2}


@pytest.mark.parametrize("mode", ["self", "manual"])
def test_no_rule_places_a_late_joiner_in_self_select_or_manual(
    db: Session, workshop: Workshop, mode: str
) -> None:
    round_ = opened(db, workshop, Rule(mode, groups=2))
    late = add_people(db, workshop, 1)[0]
    assert placing.join(db, round_, late, NOW) == (None, [])
    assert rounds.group_of(db, round_.id, late.id) is None


def test_one_who_left_and_comes_back_returns_to_their_group(
    db: Session, workshop: Workshop
) -> None:
    crowd = add_people(db, workshop, 6)
    round_ = opened(db, workshop, Rule("random", groups=3))
    mine = rounds.group_of(db, round_.id, crowd[0].id)
    add_people(db, workshop, 3)  # others came meanwhile; groups are uneven now
    again, events = placing.join(db, round_, crowd[0], NOW)
    assert again == mine
    assert events == []  # nothing changed, nothing sent


def test_the_moderator_moves_anyone_and_the_phone_follows(db: Session, workshop: Workshop) -> None:
    crowd = add_people(db, workshop, 4)
    round_ = opened(db, workshop, Rule("random", groups=2))
    a, b = [g.id for g in rounds.groups_of(db, round_.id)]
    person = next(p for p in crowd if rounds.group_of(db, round_.id, p.id) == a)
    events = placing.move(db, round_, person.id, b, NOW)
    assert Moved(workshop.id, person.id, b) in events
    assert {GroupChanged(workshop.id, a), GroupChanged(workshop.id, b)} <= set(events)
    assert rounds.followed_group(db, workshop.id, person.id) == b
    assert placing.move(db, round_, person.id, b, NOW) == []  # already there
    events = placing.move(db, round_, person.id, None, NOW)
    assert Moved(workshop.id, person.id, None) in events
    assert person in running.unplaced(db, round_)


def test_moves_in_preview_tell_no_phone(db: Session, workshop: Workshop) -> None:
    crowd = add_people(db, workshop, 2)
    round_ = preview(db, workshop, Rule("manual", groups=2))
    group = rounds.groups_of(db, round_.id)[0]
    events = placing.move(db, round_, crowd[0].id, group.id, NOW)
    assert not [e for e in events if isinstance(e, Moved)]
    assert rounds.group_of(db, round_.id, crowd[0].id) == group.id


def test_a_move_of_someone_of_another_workshop_or_to_another_round_is_refused(
    db: Session, workshop: Workshop
) -> None:
    add_people(db, workshop, 2)
    round_ = opened(db, workshop, Rule("random", groups=2))
    other = minimal_workshop("other", "Other")
    db.add(other)
    db.flush()
    stranger = add_people(db, other, 1)[0]
    with pytest.raises(BreakoutRefused, match="unknown_participant"):
        placing.move(db, round_, stranger.id, None, NOW)
    mine = add_people(db, workshop, 1)[0]
    with pytest.raises(BreakoutRefused, match="unknown_group"):
        placing.move(db, round_, mine.id, 999_999, NOW)


def test_self_select_respects_the_size_limit(db: Session, workshop: Workshop) -> None:
    crowd = add_people(db, workshop, 4)
    round_ = opened(db, workshop, Rule("self", groups=2, max_size=2))
    a, b = [g.id for g in rounds.groups_of(db, round_.id)]
    placing.choose(db, round_, crowd[0], a, NOW)
    placing.choose(db, round_, crowd[1], a, NOW)
    with pytest.raises(BreakoutRefused, match="group_full"):
        placing.choose(db, round_, crowd[2], a, NOW)
    placing.choose(db, round_, crowd[2], b, NOW)
    placing.choose(db, round_, crowd[0], a, NOW)  # staying where one is: not "full"
    placing.choose(db, round_, crowd[0], b, NOW)  # changing one's mind
    assert sizes(db, round_) == [1, 2]


def test_self_select_n_per_group_takes_n_at_most_in_each(db: Session, workshop: Workshop) -> None:
    crowd = add_people(db, workshop, 4)
    round_ = opened(db, workshop, Rule("self", size=2))
    assert len(rounds.groups_of(db, round_.id)) == 2
    a = rounds.groups_of(db, round_.id)[0].id
    placing.choose(db, round_, crowd[0], a, NOW)
    placing.choose(db, round_, crowd[1], a, NOW)
    with pytest.raises(BreakoutRefused, match="group_full"):
        placing.choose(db, round_, crowd[2], a, NOW)


def test_choosing_is_for_self_select_rounds_only(db: Session, workshop: Workshop) -> None:
    crowd = add_people(db, workshop, 2)
    round_ = opened(db, workshop, Rule("random", groups=2))
    with pytest.raises(BreakoutRefused, match="not_self_select"):
        placing.choose(db, round_, crowd[0], rounds.groups_of(db, round_.id)[0].id, NOW)


def test_removing_a_group_places_its_members_again(db: Session, workshop: Workshop) -> None:
    add_people(db, workshop, 9)
    round_ = opened(db, workshop, Rule("random", groups=3))
    gone = rounds.groups_of(db, round_.id)[0]
    members = [p.id for p in rounds.members_of(db, gone.id)]
    events = placing.remove_group(db, round_, gone.id, NOW)
    assert sizes(db, round_) == [4, 5]
    moved = {e.participant_id for e in events if isinstance(e, Moved)}
    assert moved == set(members)
    assert len(events) == len(set(events))  # each view sent once, however many moved
    last = rounds.groups_of(db, round_.id)[0]
    running.report(db, round_, last.id, False)
    placing.remove_group(db, round_, last.id, NOW)
    assert round_.report_group_id is None  # no longer presenting a group that is gone
    with pytest.raises(BreakoutRefused, match="last_group"):
        placing.remove_group(db, round_, rounds.groups_of(db, round_.id)[0].id, NOW)


def test_a_group_added_then_edited(db: Session, workshop: Workshop) -> None:
    round_ = preview(db, workshop, Rule("manual", groups=1))
    group, _ = placing.add_group(db, round_, name="  Seoul  team ", blocks=["support"], now=NOW)
    assert (group.position, group.name, group.block_keys) == (2, "Seoul team", ["support"])
    placing.edit_group(db, round_, group.id, meeting_url="https://meet.jit.si/seoul", set_url=True)
    assert group.meeting_url == "https://meet.jit.si/seoul"
    for bad in ("javascript:alert(1)", "meet.jit.si/seoul", "ftp://x.org/a"):
        with pytest.raises(BreakoutRefused, match="invalid_url"):
            placing.edit_group(db, round_, group.id, meeting_url=bad, set_url=True)
    placing.edit_group(db, round_, group.id, meeting_url=None, set_url=True)
    assert group.meeting_url is None


def test_the_rapporteur_is_a_member_named_by_the_group_or_the_moderator(
    db: Session, workshop: Workshop
) -> None:
    add_people(db, workshop, 4)
    round_ = opened(db, workshop, Rule("random", groups=2))
    a, b = rounds.groups_of(db, round_.id)
    in_a = [p.id for p in rounds.members_of(db, a.id)]
    in_b = [p.id for p in rounds.members_of(db, b.id)]
    placing.set_rapporteur(db, round_, a.id, in_a[1], by_participant=in_a[0])
    assert a.rapporteur_id == in_a[1]
    with pytest.raises(BreakoutRefused, match="not_member"):  # a member of another group
        placing.set_rapporteur(db, round_, a.id, in_b[0], by_participant=in_b[0])
    with pytest.raises(BreakoutRefused, match="not_member"):  # naming a non-member
        placing.set_rapporteur(db, round_, a.id, in_b[0])
    placing.set_rapporteur(db, round_, a.id, None)
    assert a.rapporteur_id is None


def test_a_rapporteur_moved_out_is_the_groups_rapporteur_no_more(
    db: Session, workshop: Workshop
) -> None:
    add_people(db, workshop, 4)
    round_ = opened(db, workshop, Rule("random", groups=2))
    a, b = rounds.groups_of(db, round_.id)
    chosen = rounds.members_of(db, a.id)[0].id
    placing.set_rapporteur(db, round_, a.id, chosen)
    placing.move(db, round_, chosen, b.id, NOW)
    assert a.rapporteur_id is None


# --- running ---------------------------------------------------------------------------


def test_a_help_request_is_shown_once_until_answered(db: Session, workshop: Workshop) -> None:
    crowd = add_people(db, workshop, 2)
    round_ = opened(db, workshop, Rule("random", groups=1))
    request, events = running.call_help(db, round_, crowd[0], NOW)
    assert events == [HelpChanged(workshop.id, request.id)]
    again, events = running.call_help(db, round_, crowd[0], NOW)
    assert again.id == request.id and events == []
    assert running.open_help(db, round_.id) == [request]
    running.answer_help(db, workshop.id, request.id, NOW)
    assert running.open_help(db, round_.id) == []
    with pytest.raises(BreakoutRefused, match="unknown_request"):
        running.answer_help(db, workshop.id + 1, request.id, NOW)


def test_someone_in_no_group_cannot_call_for_help(db: Session, workshop: Workshop) -> None:
    round_ = opened(db, workshop, Rule("manual", groups=1))
    loner = add_people(db, workshop, 1)[0]
    with pytest.raises(BreakoutRefused, match="not_member"):
        running.call_help(db, round_, loner, NOW)


def test_messages_to_every_group_or_one(db: Session, workshop: Workshop) -> None:
    round_ = opened(db, workshop, Rule("manual", groups=2))
    message, _ = running.send_message(db, round_, "  Ten minutes left ", None, NOW)
    assert (message.text, message.group_id) == ("Ten minutes left", None)
    one = rounds.groups_of(db, round_.id)[1]
    message, _ = running.send_message(db, round_, "Need a rapporteur", one.id, NOW)
    assert message.group_id == one.id
    with pytest.raises(BreakoutRefused, match="message_length"):
        running.send_message(db, round_, "   ", None, NOW)


def test_the_shared_timer_a_groups_own_and_added_time(db: Session, workshop: Workshop) -> None:
    round_ = opened(db, workshop, Rule("manual", groups=2))
    group = rounds.groups_of(db, round_.id)[0]
    with pytest.raises(BreakoutRefused, match="no_timer"):
        running.add_time(db, round_, 60, None, NOW)
    running.set_timer(db, round_, 900, None, NOW)
    assert round_.timer_ends_at == NOW + timedelta(minutes=15)
    running.add_time(db, round_, 300, None, NOW + timedelta(minutes=1))
    assert round_.timer_ends_at == NOW + timedelta(minutes=20)
    events = running.set_timer(db, round_, 120, group.id, NOW)
    assert GroupChanged(workshop.id, group.id) in events
    assert group.timer_ends_at == NOW + timedelta(minutes=2)
    running.set_timer(db, round_, 0, None, NOW)
    assert round_.timer_ends_at is None


def test_the_close_countdown_then_read_only_then_reopened(db: Session, workshop: Workshop) -> None:
    round_ = opened(db, workshop, Rule("manual", groups=2))
    running.close(db, round_, 60, NOW)
    assert round_.closes_at == NOW + timedelta(seconds=60)
    assert rounds.is_writable(round_, NOW + timedelta(seconds=59))
    assert not rounds.is_writable(round_, NOW + timedelta(seconds=60))
    later = NOW + timedelta(seconds=61)
    assert rounds.require_round(db, workshop.id, later).state == "closed"  # written down
    with pytest.raises(BreakoutRefused, match="closed"):
        placing.move(db, round_, add_people(db, workshop, 1)[0].id, None, later)
    running.reopen(db, round_, later)
    assert round_.state == "open" and round_.closes_at is None
    assert rounds.is_writable(round_, later)
    running.close(db, round_, 0, later)
    assert round_.state == "closed"


def test_a_round_that_is_not_closing_cannot_be_reopened(db: Session, workshop: Workshop) -> None:
    round_ = opened(db, workshop, Rule("manual", groups=1))
    with pytest.raises(BreakoutRefused, match="not_closed"):
        running.reopen(db, round_, NOW)


def test_gallery_and_report_back(db: Session, workshop: Workshop) -> None:
    round_ = preview(db, workshop, Rule("manual", groups=2))
    with pytest.raises(BreakoutRefused, match="not_open"):
        running.set_gallery(db, round_, True)
    opening.open_round(db, round_, NOW)
    running.set_gallery(db, round_, True)
    assert round_.gallery
    group = rounds.groups_of(db, round_.id)[1]
    running.report(db, round_, group.id, True)
    assert (round_.report_group_id, round_.report_cycle) == (group.id, True)
    running.report(db, round_, None, True)
    assert (round_.report_group_id, round_.report_cycle) == (None, False)


def test_the_end_keeps_the_groups_and_frees_the_phones(db: Session, workshop: Workshop) -> None:
    crowd = add_people(db, workshop, 4)
    round_ = opened(db, workshop, Rule("random", groups=2))
    events = running.end(db, round_, NOW)
    assert {e.participant_id for e in events if isinstance(e, Moved)} == {p.id for p in crowd}
    assert rounds.current_round(db, workshop.id) is None
    assert rounds.followed_group(db, workshop.id, crowd[0].id) is None
    assert db.scalar(select(func.count()).select_from(GroupMember)) == 4  # for the record
    # a new round may be formed after
    assert preview(db, workshop, Rule("random", groups=1)).id != round_.id


def test_a_removed_participant_leaves_the_counts(db: Session, workshop: Workshop) -> None:
    crowd = add_people(db, workshop, 4)
    round_ = opened(db, workshop, Rule("random", groups=1))
    crowd[0].removed_at = NOW
    db.flush()
    assert sizes(db, round_) == [3]


def test_a_mass_move_spreads_the_resyncs_over_a_window_that_grows_then_stops() -> None:
    one = [Moved(1, 1, 2)]
    assert opening.spread(one) == one  # a single phone moved resyncs at once
    some = opening.spread([Moved(1, p, 2) for p in range(200)])
    assert {m.spread_ms for m in some} == {200 * opening.SPREAD_PER_PHONE_MS}
    many = opening.spread([Moved(1, p, 2) for p in range(5000)])
    assert {m.spread_ms for m in many} == {opening.SPREAD_MAX_MS}
