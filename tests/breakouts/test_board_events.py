"""The boards over Socket.IO: each change reaches its group's members and the moderators,
never another group; conflicts answer the second writer with both texts; votes, the
self-assessment and the synthesis; budgets; the board query, the snapshot and the close."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from facilitator.breakouts.board_models import Card
from facilitator.breakouts.models import BreakoutGroup, BreakoutRound, GroupMember
from facilitator.database import utcnow
from facilitator.extensions import db
from facilitator.live.models import LiveState
from facilitator.participation.models import Participant
from facilitator.participation.services import Profile, join
from facilitator.realtime.batches import Ticket
from facilitator.realtime.connections import Principal
from facilitator.realtime.runtime import current
from tests.realtime import board_support as bs
from tests.realtime import conftest as realtime
from tests.realtime.support import Client, Member, World, statements

# The realtime tests' fixtures: a loaded world (copied per test) and its sockets.
database_template, template = realtime.database_template, realtime.template
sock, world = realtime.sock, realtime.world

Sock = Callable[..., Client]
_n = 0


def cid() -> str:
    global _n
    _n += 1
    return f"cid-b{_n:07}"


def send(client: Client, event: str, **payload: Any) -> Any:
    ack = client.call(event, {"cid": cid(), **payload})
    assert ack is not None
    return ack


def ok(client: Client, event: str, **payload: Any) -> Any:
    ack = send(client, event, **payload)
    assert ack["ok"], ack
    return ack["data"]


def heard(client: Client, prefix: str = "breakouts.") -> list[tuple[str, Any]]:
    return [(name, data) for name, data in client.events() if name.startswith(prefix)]


def member_of_a(world: World, name: str = "Chloé", language: str = "fr") -> Member:
    """Another phone, placed in group A."""
    bs.arrange(world)
    with world.session() as s:
        state = s.get(LiveState, world.workshop_id)
        assert state is not None
        joined, _ = join(
            s, state.join_code, Profile(language=language, display_name=name), utcnow()
        )
        group = s.get(BreakoutGroup, bs.group_a(world))
        assert group is not None
        s.add(
            GroupMember(
                round_id=group.round_id, group_id=group.id, participant_id=joined.participant.id
            )
        )
        s.commit()
        return Member(joined.participant.id, joined.token)


def set_round(world: World, **values: Any) -> None:
    with world.session() as s:
        found = s.get(BreakoutRound, s.get(BreakoutGroup, bs.group_a(world)).round_id)  # type: ignore[union-attr]
        assert found is not None
        for name, value in values.items():
            setattr(found, name, value)
        s.commit()


@pytest.fixture
def room(world: World, sock: Sock) -> dict[str, Client]:
    """Ana and Chloé in group A, Min-jun in group B, a moderator and a projector."""
    chloe = member_of_a(world)
    clients = {
        "ana": sock("participant"),
        "chloe": sock("participant", token=chloe.token),
        "minjun": sock("participant2"),
        "moderator": sock("moderator"),
        "display": sock("display"),
    }
    for client in clients.values():
        client.events()  # what connecting sent
    return clients


def test_a_card_reaches_its_group_and_the_moderators_never_another_group(
    world: World, room: dict[str, Client]
) -> None:
    data = ok(
        room["ana"],
        "breakouts.card.add",
        group=bs.group_a(world),
        block="legal",
        column=1,
        text="Laws",
    )
    stream = f"group:{bs.group_a(world)}"
    for who in ("chloe", "ana", "moderator"):
        [(name, message)] = heard(room[who])
        assert name == "breakouts.card" and message["stream"] == stream
        card = message["card"]
        assert (card["id"], card["text"], card["column"], card["author"], card["votes"]) == (
            data["card"],
            "Laws",
            1,
            "Ana",
            0,
        )
    assert heard(room["minjun"]) == [] and heard(room["display"]) == []


def test_an_edit_on_a_stale_version_answers_with_both_texts_and_overwrites_nothing(
    world: World, room: dict[str, Client]
) -> None:
    card = bs.card_id(world)  # Ana's, at version 1
    ok(room["moderator"], "breakouts.card.edit", card=card, text="The moderator's text", version=1)
    ack = send(room["ana"], "breakouts.card.edit", card=card, text="Ana's text", version=1)
    assert ack["ok"] is False and ack["error"]["code"] == "conflict"
    details = ack["error"]["details"]
    assert (details["card"]["text"], details["card"]["version"]) == ("The moderator's text", 2)
    assert details["yours"] == {"text": "Ana's text", "version": 1}
    assert bs.card(world).text == "The moderator's text"
    # Ana keeps both: she saves on the version she was shown.
    assert (
        ok(room["ana"], "breakouts.card.edit", card=card, text="Both texts", version=2)["version"]
        == 3
    )


def test_dot_votes_reach_the_group_and_stop_at_the_limit(
    world: World, room: dict[str, Client]
) -> None:
    group = bs.group_a(world)
    cards = [bs.card_id(world), bs.card2_id(world)]
    cards.append(
        ok(room["ana"], "breakouts.card.add", group=group, block="legal", column=0, text="Third")[
            "card"
        ]
    )
    cards.append(
        ok(room["ana"], "breakouts.card.add", group=group, block="legal", column=0, text="Fourth")[
            "card"
        ]
    )
    heard(room["chloe"])
    lefts = [
        ok(room["chloe"], "breakouts.vote", card=c, voted=True)["votes_left"] for c in cards[:3]
    ]
    assert lefts == [2, 1, 0]
    assert (
        send(room["chloe"], "breakouts.vote", card=cards[3], voted=True)["error"]["code"]
        == "no_votes_left"
    )
    got = [(m["card"], m["votes"]) for name, m in heard(room["ana"]) if name == "breakouts.votes"]
    assert got == [(cards[0], 1), (cards[1], 1), (cards[2], 1)]
    assert heard(room["minjun"]) == []
    assert ok(room["chloe"], "breakouts.vote", card=cards[0], voted=False)["votes_left"] == 1


def test_assessment_synthesis_and_phase_go_to_the_group(
    world: World, room: dict[str, Client]
) -> None:
    group = bs.group_a(world)
    ok(room["chloe"], "breakouts.assess", block="legal", value=2)
    ok(room["ana"], "breakouts.assess", block="legal", value=5)
    [*_, (name, spread)] = heard(room["moderator"])
    assert name == "breakouts.assessment"
    assert (spread["distribution"], spread["count"], spread["mean"]) == ({"2": 1, "5": 1}, 2, 3.5)
    ok(room["ana"], "breakouts.synthesis", group=group, text="## We found", version=0)
    [(name, synthesis)] = heard(room["chloe"], "breakouts.synthesis")
    assert (synthesis["text"], synthesis["version"], synthesis["by"]) == ("## We found", 1, "Ana")
    refused = send(room["chloe"], "breakouts.synthesis", group=group, text="Mine", version=1)
    assert refused["error"]["code"] == "forbidden"  # not the rapporteur
    stale = send(room["moderator"], "breakouts.synthesis", group=group, text="Staff's", version=0)
    assert stale["error"]["code"] == "conflict"
    assert stale["error"]["details"]["synthesis"]["text"] == "## We found"
    ok(room["ana"], "breakouts.phase", phase="synthesise", deadline_s=600)
    [*_, (name, detail)] = heard(room["chloe"])
    assert name == "breakouts.group" and detail["phase"] == "synthesise"
    assert detail["phase_deadline_ms"] > utcnow().timestamp() * 1000 + 590_000
    assert [n for n, _ in heard(room["minjun"])] == []


@pytest.mark.app_config(BOARD_CARD_RATE="2/minute", BOARD_VOTE_RATE="1/minute")
def test_card_writes_and_votes_have_budgets_per_participant(
    world: World, room: dict[str, Client]
) -> None:
    group = bs.group_a(world)
    for text in ("One", "Two"):
        ok(room["ana"], "breakouts.card.add", group=group, block="legal", column=0, text=text)
    third = send(
        room["ana"], "breakouts.card.add", group=group, block="legal", column=0, text="Three"
    )
    assert third["error"]["code"] == "cards_rate_limited"
    ok(room["chloe"], "breakouts.card.add", group=group, block="legal", column=0, text="Chloé's")
    ok(room["ana"], "breakouts.vote", card=bs.card_id(world), voted=True)  # votes apart
    assert send(room["ana"], "breakouts.vote", card=bs.card2_id(world), voted=True)["error"][
        "code"
    ] == ("votes_rate_limited")
    for n in range(3):  # moderators have no budget
        ok(
            room["moderator"],
            "breakouts.card.add",
            group=group,
            block="legal",
            column=0,
            text=f"M{n}",
        )


def test_the_board_query_and_the_snapshot_give_the_board_to_those_who_may_read_it(
    world: World, room: dict[str, Client]
) -> None:
    a, b = bs.group_a(world), bs.group_b(world)
    snapshot = room["chloe"].call("live.sync", {})["data"]["breakouts"]
    board = snapshot["board"]
    assert [c["text"] for c in board["cards"]] == ["First card", "Second card"]
    assert board["blocks"][0]["prompts"][0] == "Quelle est la situation ?"  # Chloé reads French
    assert (board["votes_left"], board["writable"]) == (3, True) and isinstance(board["me"], str)
    assert all(c["author_key"] != board["me"] for c in board["cards"])  # Ana's, not hers
    mine = room["ana"].call("live.sync", {})["data"]["breakouts"]["board"]["me"]
    assert {c["author_key"] for c in board["cards"]} == {mine}

    assert room["minjun"].call("breakouts.board", {"group": a})["error"]["code"] == "forbidden"
    set_round(world, gallery=True)
    walk = room["minjun"].call("breakouts.board", {"group": a})
    assert walk["ok"] and walk["data"]["board"]["writable"] is False
    assert (
        send(room["minjun"], "breakouts.card.add", group=a, block="legal", column=0, text="x")[
            "error"
        ]["code"]
        == "forbidden"
    )
    assert room["moderator"].call("breakouts.board", {"group": b})["data"]["board"]["writable"]


def test_after_the_close_time_boards_are_read_only_and_still_readable(
    world: World, room: dict[str, Client]
) -> None:
    set_round(world, closes_at=utcnow() - timedelta(seconds=1))
    for who in ("ana", "moderator"):
        ack = send(
            room[who],
            "breakouts.card.add",
            group=bs.group_a(world),
            block="legal",
            column=0,
            text="Late",
        )
        assert ack["error"]["code"] == "closed"
    board = room["ana"].call("breakouts.board", {"group": bs.group_a(world)})["data"]["board"]
    assert board["writable"] is False and len(board["cards"]) == 2


def test_a_removed_participants_cards_leave_every_board(
    world: World, room: dict[str, Client]
) -> None:
    chloe_card = ok(
        room["chloe"],
        "breakouts.card.add",
        group=bs.group_a(world),
        block="legal",
        column=0,
        text="Spam",
    )
    with world.session() as s:
        chloe = s.get(Participant, s.get(GroupMember, _last_member(world)).participant_id)  # type: ignore[union-attr]
        assert chloe is not None
        chloe.removed_at = utcnow()
        s.commit()
    board = room["moderator"].call("breakouts.board", {"group": bs.group_a(world)})["data"]["board"]
    assert chloe_card["card"] not in [c["id"] for c in board["cards"]]


def _last_member(world: World) -> int:
    with world.session() as s:
        return int(s.scalar(select(func.max(GroupMember.id))) or 0)


def test_a_card_write_costs_a_bounded_number_of_queries_however_full_the_board(
    world: World, room: dict[str, Client]
) -> None:
    """The hot path of a breakout phase (the bench: a card written every 5 s per phone)."""
    group = bs.group_a(world)
    add = {"group": group, "block": "legal", "column": 0}

    def cost(client: Client, event: str, **payload: Any) -> int:
        with statements(db.engine) as sent:
            ok(client, event, **payload)
        return len(sent)

    # The first write of a while also notes the group's last activity (one UPDATE more).
    first = cost(room["chloe"], "breakouts.card.add", **add, text="Card 0")
    for n in range(1, 20):
        ok(room["moderator"], "breakouts.card.add", **add, text=f"Card {n}")
    # The mechanism's 4 for a batched write, even alone (the cids, the senders, the applied
    # rows, the streams' numbers: no savepoint, as these writes check before they write),
    # and the board's: one lookup (card or group, round, membership, block, names
    # setting), then the position and the insert; an edit's update and its votes; a dot's
    # slots, its insert and its count.
    assert cost(room["chloe"], "breakouts.card.add", **add, text="Card 20") <= 7 <= first <= 8
    assert (
        cost(room["ana"], "breakouts.card.edit", card=bs.card_id(world), text="E", version=1) <= 7
    )
    assert cost(room["chloe"], "breakouts.vote", card=bs.card_id(world), voted=True) <= 8


def test_a_refused_write_in_a_batch_writes_nothing_and_the_others_apply(
    app: Any, world: World, room: dict[str, Client]
) -> None:
    """Card edits and dots check before they write: their batches take no savepoints, and
    a refusal among them still leaves its row as it was."""
    first, second = bs.card_id(world), bs.card2_id(world)
    ana = Principal("participant", world.workshop_id, participant_id=world.participant.id)
    moderator = Principal("moderator", world.workshop_id, user_id=world.user_ids["moderator"])
    with app.app_context():
        realtime = current()
        assert realtime.batches is not None
        edit = realtime.registry.mutations["breakouts.card.edit"]

        def ticket(who: Principal, **payload: Any) -> Ticket:
            return Ticket(edit, who, edit.payload.model_validate({"cid": cid(), **payload}))

        stale = ticket(ana, card=first, text="Ana's", version=7)  # the card is at version 1
        fresh = ticket(moderator, card=second, text="The moderator's", version=1)
        blank = ticket(moderator, card=first, text="   ", version=1)  # empty once trimmed
        with statements(db.engine) as sent:
            realtime.batches._run([stale, fresh, blank])
    assert stale.answer is not None and stale.answer["error"]["code"] == "conflict"
    assert blank.answer is not None and blank.answer["error"]["code"] == "card_length"
    assert fresh.answer is not None and fresh.answer["ok"], fresh.answer
    assert not [q for q in sent if "SAVEPOINT" in q.upper()]
    with world.session() as s:
        rows = s.execute(
            select(Card.id, Card.text, Card.version).where(Card.id.in_([first, second]))
        )
        cards = {card: (text, version) for card, text, version in rows}
    assert cards == {first: ("First card", 1), second: ("The moderator's", 2)}
    # The members heard the one change, not the refused ones.
    changed = [m["card"]["id"] for name, m in heard(room["chloe"]) if name == "breakouts.card"]
    assert changed == [second]
