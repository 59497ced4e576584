"""Forming and running groups over Socket.IO: who hears what, group rooms, the snapshot."""

# ruff: noqa: F811  (the realtime fixtures, imported, are the tests' parameters)

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from facilitator.agenda.models import GuidelineBlock
from facilitator.breakouts import following, opening, rounds, wire
from facilitator.breakouts.models import BreakoutGroup
from facilitator.database import utcnow
from facilitator.extensions import db
from facilitator.live.models import LiveState
from facilitator.participation.services import Profile, join
from facilitator.realtime.connections import Principal
from facilitator.realtime.rooms import group
from tests.realtime.conftest import database_template, sock, template, world  # noqa: F401
from tests.realtime.support import Client, Member, World, flush_tallies, statements

Sock = Callable[..., Client]

_n = 0


def cid() -> str:
    global _n
    _n += 1
    return f"cid-{_n:08}"


QUERIES = ("live.sync", "breakouts.board")


def send(client: Client, event: str, **payload: Any) -> Any:
    ack = client.call(event, payload if event in QUERIES else {"cid": cid(), **payload})
    assert ack is not None
    return ack


def ok(client: Client, event: str, **payload: Any) -> Any:
    ack = send(client, event, **payload)
    assert ack["ok"], ack
    return ack["data"]


def newcomer(world: World, name: str, language: str = "en") -> Member:
    with world.session() as s:
        state = s.get(LiveState, world.workshop_id)
        assert state is not None
        joined, _ = join(
            s, state.join_code, Profile(language=language, display_name=name), utcnow()
        )
        s.commit()
        return Member(joined.participant.id, joined.token)


def phone(sock: Sock, member: Member) -> Client:
    return sock("participant", token=member.token)


def group_of(world: World, participant_id: int) -> int | None:
    with world.session() as s:
        found = rounds.current_round(s, world.workshop_id)
        assert found is not None
        return rounds.group_of(s, found.id, participant_id)


def last(client: Client, event: str) -> Any:
    """The data of the last `event` the socket got, without its stream and number."""
    got = client.events(event)
    assert got, f"no {event}"
    data = got[-1][1]
    return {k: v for k, v in data.items() if k not in ("stream", "seq")}


@pytest.fixture
def four(world: World, sock: Sock) -> tuple[Client, list[Client], list[Member]]:
    """A moderator and four connected phones, in two random groups, open."""
    members = [
        world.participant,
        world.participant2,
        newcomer(world, "Chloé"),
        newcomer(world, "Dan", "fr"),
    ]
    phones = [phone(sock, m) for m in members]
    moderator = sock("moderator")
    ok(moderator, "breakouts.preview", mode="random", groups=2)
    ok(moderator, "breakouts.open")
    return moderator, phones, members


def test_a_preview_shows_the_groups_to_the_moderators_only_in_full(
    world: World, sock: Sock
) -> None:
    moderator, display = sock("moderator"), sock("display")
    phones = [phone(sock, world.participant), phone(sock, world.participant2)]
    data = ok(moderator, "breakouts.preview", mode="random", groups=2)
    forming = last(moderator, "breakouts.forming")
    assert forming["round"] == data["round"]
    assert sorted(len(g["members"]) for g in forming["groups"]) == [1, 1]
    assert forming["unplaced"] == []
    changed = last(display, "breakouts.changed")["round"]
    assert changed["state"] == "preview" and [g["members"] for g in changed["groups"]] == [1, 1]
    # The rule as asked: the console forms again with it, not with its defaults.
    assert (changed["mode"], changed["rule"]) == ("random", {"groups": 2, "size": None})
    for p in phones:
        assert p.events("breakouts.forming") == []  # who is where: the moderators' alone
        assert p.events("breakouts.moved") == []  # in preview nobody follows a group yet


def test_opening_moves_every_phone_into_its_group_room(world: World, sock: Sock) -> None:
    ana, min_jun = phone(sock, world.participant), phone(sock, world.participant2)
    moderator = sock("moderator")
    ok(moderator, "breakouts.preview", mode="random", groups=2)
    ana.events()  # the preview's
    ok(moderator, "breakouts.open")
    mine = group_of(world, world.participant.id)
    # Two phones moved at once resync within a window, not in the same instant; each hears
    # it was moved before it hears the round opened (so it asks for no place of its own).
    heard = [(name, data) for name, data in ana.events() if name.startswith("breakouts.")]
    assert [name for name, _ in heard][:2] == ["breakouts.moved", "breakouts.changed"]
    assert heard[0][1] == {"group": mine, "sync_within_ms": 2 * opening.SPREAD_PER_PHONE_MS}
    snapshot = ok(ana, "live.sync")
    assert f"group:{mine}" in snapshot["streams"]
    part = snapshot["breakouts"]
    assert part["round"]["state"] == "open"
    assert part["group"]["id"] == mine
    assert [m["id"] for m in part["group"]["members"]] == [world.participant.id]
    # the moderator follows every group of the round after a sync
    streams = ok(moderator, "live.sync")["streams"]
    assert {s for s in streams if s.startswith("group:")} == {
        f"group:{group_of(world, world.participant.id)}",
        f"group:{group_of(world, world.participant2.id)}",
    }
    min_jun.events()


def test_a_socket_moved_from_a_to_b_hears_b_and_no_longer_a(
    world: World, sock: Sock, four: tuple[Client, list[Client], list[Member]]
) -> None:
    moderator, phones, members = four
    ana = phones[0]
    ok(ana, "live.sync")
    a = group_of(world, members[0].id)
    b = next(g for g in (group_of(world, m.id) for m in members) if g != a)
    ok(moderator, "breakouts.message", text="to A", group=a)
    assert [d["text"] for _, d in ana.events("breakouts.message")] == ["to A"]

    ok(moderator, "breakouts.move", participant=members[0].id, group=b)
    assert last(ana, "breakouts.moved") == {"group": b, "sync_within_ms": 0}  # at once
    ok(ana, "live.sync")  # the phone answers the move with a sync
    ok(moderator, "breakouts.message", text="to A again", group=a)
    ok(moderator, "breakouts.message", text="to B", group=b)
    assert [d["text"] for _, d in ana.events("breakouts.message")] == ["to B"]


def test_a_member_of_another_group_cannot_read_a_board_until_the_gallery_walk(
    world: World, sock: Sock, four: tuple[Client, list[Client], list[Member]]
) -> None:
    moderator, phones, members = four
    a = group_of(world, members[0].id)
    b = next(g for g in (group_of(world, m.id) for m in members) if g != a)
    own = ok(phones[0], "breakouts.board", group=a)
    assert own["group"]["id"] == a and own["board"]["group"] == a
    refused = phones[0].call("breakouts.board", {"group": b})
    assert refused["error"]["code"] == "forbidden"
    ok(moderator, "breakouts.gallery", open=True)
    seen = ok(phones[0], "breakouts.board", group=b)
    assert seen["board"]["writable"] is False  # read, not write
    assert ok(moderator, "breakouts.board", group=b)["group"]["id"] == b
    unknown = moderator.call("breakouts.board", {"group": 999_999})
    assert unknown["error"]["code"] == "unknown_group"


def test_a_late_joiner_asks_and_is_placed_by_the_rule(
    world: World, sock: Sock, four: tuple[Client, list[Client], list[Member]]
) -> None:
    moderator, _phones, _members = four
    late = newcomer(world, "Eve")
    eve = phone(sock, late)
    placed = ok(eve, "breakouts.join")["group"]
    assert placed is not None and group_of(world, late.id) == placed
    assert last(eve, "breakouts.moved") == {"group": placed, "sync_within_ms": 0}
    assert ok(eve, "breakouts.join")["group"] == placed  # again: the same group, no move
    assert eve.events("breakouts.moved") == []
    forming = last(moderator, "breakouts.forming")
    assert late.id in [m["id"] for g in forming["groups"] for m in g["members"]]


def test_one_who_left_comes_back_to_their_group(
    world: World, sock: Sock, four: tuple[Client, list[Client], list[Member]]
) -> None:
    _moderator, phones, members = four
    mine = group_of(world, members[2].id)
    phones[2].disconnect()
    back = phone(sock, members[2])
    snapshot = ok(back, "live.sync")
    assert snapshot["breakouts"]["group"]["id"] == mine
    assert f"group:{mine}" in snapshot["streams"]


def test_help_reaches_the_moderators_until_answered(
    world: World, sock: Sock, four: tuple[Client, list[Client], list[Member]]
) -> None:
    moderator, phones, members = four
    request = ok(phones[1], "breakouts.help")["request"]
    called = last(moderator, "breakouts.help")["request"]
    assert (called["id"], called["participant"], called["answered"]) == (
        request,
        members[1].id,
        False,
    )
    console = ok(moderator, "live.sync")["breakouts"]
    assert [h["id"] for h in console["help"]] == [request]
    connected = {m["id"]: m["connected"] for g in console["groups"] for m in g["members"]}
    assert connected == {m.id: True for m in members}  # who is here, per group
    assert sorted(len(g["members"]) for g in console["forming"]["groups"]) == [2, 2]
    assert phones[0].events("breakouts.help") == []
    ok(moderator, "breakouts.help.answer", request=request)
    assert last(moderator, "breakouts.help")["request"]["answered"] is True
    assert ok(moderator, "live.sync")["breakouts"]["help"] == []


def test_the_close_countdown_reaches_every_screen(
    world: World, sock: Sock, four: tuple[Client, list[Client], list[Member]]
) -> None:
    moderator, phones, _members = four
    display = sock("display")
    ok(moderator, "breakouts.close")  # 60 s by default
    for screen in (display, *phones):
        view = last(screen, "breakouts.changed")["round"]
        assert view["state"] == "open"
        assert 59_000 <= view["closes_at_ms"] - utcnow().timestamp() * 1000 <= 60_500
    ok(moderator, "breakouts.close", seconds=0)
    assert last(phones[0], "breakouts.changed")["round"]["state"] == "closed"
    refused = send(phones[0], "breakouts.help")
    assert refused["error"]["code"] == "not_open"
    ok(moderator, "breakouts.reopen")
    assert last(display, "breakouts.changed")["round"]["state"] == "open"


def test_report_back_reaches_the_projector_and_the_phones(
    world: World, sock: Sock, four: tuple[Client, list[Client], list[Member]]
) -> None:
    moderator, phones, members = four
    display = sock("display")
    a = group_of(world, members[0].id)
    ok(moderator, "breakouts.report", group=a)
    for screen in (display, phones[3]):
        report = last(screen, "breakouts.report")["report"]
        assert report["group"]["id"] == a and report["group"]["members"] == 2
        assert "radar" in report
    assert ok(display, "live.sync")["breakouts"]["report"]["group"]["id"] == a
    assert ok(display, "breakouts.board", group=a)["group"]["id"] == a  # the one presented
    b = next(g for g in (group_of(world, m.id) for m in members) if g != a)
    assert display.call("breakouts.board", {"group": b})["error"]["code"] == "forbidden"


def test_the_end_frees_every_phone(
    world: World, sock: Sock, four: tuple[Client, list[Client], list[Member]]
) -> None:
    moderator, phones, _members = four
    ok(moderator, "breakouts.end")
    for p in phones:
        assert last(p, "breakouts.moved") == {
            "group": None,
            "sync_within_ms": opening.SPREAD_PER_PHONE_MS * len(phones),
        }
        assert last(p, "breakouts.changed") == {"round": None}
        snapshot = ok(p, "live.sync")
        assert not [s for s in snapshot["streams"] if s.startswith("group:")]
        assert snapshot["breakouts"]["group"] is None


def test_the_overview_counts_members_and_who_is_connected(
    app: Flask, world: World, sock: Sock, four: tuple[Client, list[Client], list[Member]]
) -> None:
    moderator, phones, members = four
    phones[3].disconnect()
    moderator.events()
    flush_tallies(app)
    overview = last(moderator, "breakouts.overview")
    assert sum(g["members"] for g in overview["groups"]) == 4
    assert sum(g["connected"] for g in overview["groups"]) == 3
    gone = group_of(world, members[3].id)
    assert next(g for g in overview["groups"] if g["id"] == gone)["connected"] == 1
    assert phones[0].events("breakouts.overview") == []  # the moderators' alone


def test_a_rapporteur_named_by_a_member_reaches_the_group(
    world: World, sock: Sock, four: tuple[Client, list[Client], list[Member]]
) -> None:
    _moderator, phones, members = four
    a = group_of(world, members[0].id)
    ok(phones[0], "live.sync")
    ok(phones[0], "breakouts.rapporteur", group=a, participant=members[0].id)
    assert last(phones[0], "breakouts.group")["rapporteur"] == members[0].id
    other = next(i for i, m in enumerate(members) if group_of(world, m.id) != a)
    refused = send(phones[other], "breakouts.rapporteur", group=a, participant=members[other].id)
    assert refused["error"]["code"] == "not_member"


def test_the_preview_places_the_phones_connected_and_leaves_the_others_for_later(
    world: World, sock: Sock
) -> None:
    away = newcomer(world, "Away")  # joined this morning, phone closed now
    phones = [phone(sock, world.participant), phone(sock, world.participant2)]
    moderator = sock("moderator")
    ok(moderator, "breakouts.preview", mode="random", groups=2)
    forming = last(moderator, "breakouts.forming")
    placed = {m["id"] for g in forming["groups"] for m in g["members"]}
    assert placed == {world.participant.id, world.participant2.id}
    assert [m["id"] for m in forming["unplaced"]] == [away.id]
    ok(moderator, "breakouts.open")
    back = phone(sock, away)  # comes back: placed by the same rule when it asks
    assert ok(back, "breakouts.join")["group"] is not None
    assert all(p.is_connected() for p in phones)


def test_the_overview_counts_the_cards_of_each_column(
    app: Flask, world: World, sock: Sock, four: tuple[Client, list[Client], list[Member]]
) -> None:
    moderator, phones, members = four
    a = group_of(world, members[0].id)
    with world.session() as s:  # give group A a block with prompts
        s.add(
            GuidelineBlock(
                workshop_id=world.workshop_id,
                key="legal",
                position=1,
                title={"en": "Legal"},
                prompts=[{"en": "Now?"}, {"en": "Challenges?"}],
            )
        )
        row = s.get(BreakoutGroup, a)
        assert row is not None
        row.block_keys = ["legal"]
        s.commit()
    for text in ("One", "Two"):
        ok(phones[0], "breakouts.card.add", group=a, block="legal", column=1, text=text)
    flush_tallies(app)
    overview = last(moderator, "breakouts.overview")
    mine = next(g for g in overview["groups"] if g["id"] == a)
    assert mine["cards_by_column"] == {"legal": [0, 2]}
    assert mine["last_activity_ms"] is not None


def test_who_follows_which_group_costs_one_query_at_each_sync(
    app: Flask, world: World, four: tuple[Client, list[Client], list[Member]]
) -> None:
    """Asked at every connect and sync of a thousand phones: one statement, and the round's
    public view one more, however many groups."""
    _moderator, _phones, members = four
    phone_principal = Principal("participant", world.workshop_id, participant_id=members[0].id)
    staff = Principal("moderator", world.workshop_id, user_id=world.user_ids["moderator"])
    with app.app_context(), world.session() as s:
        with statements(db.engine) as sent:
            joined = following._joins(s, phone_principal)
        assert joined == [group(world.workshop_id, group_of(world, members[0].id) or 0)]
        assert len(sent) == 1
        with statements(db.engine) as sent:
            assert len(following._joins(s, staff)) == 2
        assert len(sent) == 1
        round_ = rounds.current_round(s, world.workshop_id)
        with statements(db.engine) as sent:
            view = wire.round_view(s, round_, utcnow())
        assert view is not None and sorted(g["members"] for g in view["groups"]) == [2, 2]
        assert len(sent) == 1


def test_without_a_round_a_phones_sync_costs_breakouts_two_queries(
    world: World, sock: Sock
) -> None:
    ana = phone(sock, world.participant)
    with statements(db.engine) as sent:
        snapshot = ok(ana, "live.sync")
    assert snapshot["breakouts"] == {"round": None, "report": None, "group": None, "board": None}
    ours = [s for s in sent if "breakout_" in s]
    assert len(ours) == 2, ours  # the group it follows, the current round


def test_in_a_round_a_phone_learns_its_group_once_per_sync(
    world: World, sock: Sock, four: tuple[Client, list[Client], list[Member]]
) -> None:
    _moderator, phones, members = four
    with statements(db.engine) as sent:
        snapshot = ok(phones[0], "live.sync")
    assert snapshot["breakouts"]["group"]["id"] == group_of(world, members[0].id)
    followed = [s for s in sent if "FROM breakout_member JOIN breakout_round" in s]
    assert len(followed) == 1, followed
