"""The board of a breakout group: columns from the block's prompts, cards and who may write
them, versioned edits and their conflicts, moves and clusters, phases, the close, the
gallery walk, removed participants and anonymity, the synthesis and the record's outputs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from facilitator.agenda.models import Workshop
from facilitator.breakouts import (
    board_cards,
    board_outputs,
    board_rules,
    board_services,
    board_wire,
)
from facilitator.breakouts.board_models import Card, Synthesis
from facilitator.breakouts.board_rules import BoardRefused, Conflict
from facilitator.breakouts.changes import GroupChanged
from facilitator.breakouts.models import CLOSED, PREVIEW
from facilitator.database import make_session_factory, utcnow
from facilitator.participation.models import Participant
from tests.breakouts.boards import Board, build, race


@pytest.fixture
def b(service_session: Session) -> Board:
    return build(service_session)


def add(
    b: Board,
    who: int | None,
    text: str,
    column: int = 0,
    block: str = "legal",
    group: int | None = None,
) -> Card:
    actor = b.moderator if who is None else b.phone(who)
    card, events = board_cards.add_card(b.db, actor, group or b.a, block, column, text, utcnow())
    assert events == [board_rules.CardChanged(b.workshop_id, group or b.a, (card.id,), new=True)]
    b.db.commit()
    return card


def view(b: Board, who: int | None = None, group: int | None = None, language: str = "en") -> dict:  # type: ignore[type-arg]
    viewer = b.moderator if who is None else b.phone(who, language)
    return board_wire.board_view(b.db, b.group(group or b.a), viewer)


def refused(code: str) -> pytest.RaisesContext[BoardRefused]:
    return pytest.raises(BoardRefused, match=f"^{code}$")


# --- columns and cards ------------------------------------------------------------------------


def test_the_columns_are_the_blocks_prompts_in_each_members_language(b: Board) -> None:
    fr = view(b, b.ben, language="fr")
    assert [block["key"] for block in fr["blocks"]] == ["legal", "funding"]
    assert fr["blocks"][0]["title"] == "Cadres juridiques"
    assert fr["blocks"][0]["prompts"] == [
        "Quelle est la situation ?",
        "Quels sont les défis ?",
        "Quelles actions et quels acteurs ?",
    ]
    assert fr["blocks"][0]["assessment"] == {
        "min": 1,
        "max": 5,
        "min_label": "Absent",
        "max_label": None,
    }
    assert fr["blocks"][1]["prompts"] == ["Quelle est la situation ?", "Quels sont les défis ?"]
    assert fr["blocks"][1]["title"] == "Funding"  # no French title in the agenda
    ko = view(b, b.chloe, language="ko")  # the agenda has no Korean: the workshop's default
    assert ko["blocks"][0]["prompts"][0] == "What is the situation?"
    assert ko["blocks"][1]["assessment"] is None


def test_members_and_moderators_add_cards_to_a_column(b: Board) -> None:
    first = add(b, b.ana, "  Laws ignore cooperatives  ", column=1)
    second = add(b, b.ben, "No registry", column=1)
    staff = add(b, None, "From the moderator", column=2)
    assert (first.text, first.version, first.position, second.position) == (
        "Laws ignore cooperatives",
        1,
        1,
        2,
    )
    cards = {c["id"]: c for c in view(b, b.chloe)["cards"]}
    assert cards[first.id]["author"] == "Ana" and cards[first.id]["column"] == 1
    assert cards[staff.id]["author"] == "Mo Derator" and cards[staff.id]["author_key"] == "staff"
    mine = view(b, b.ana)
    assert cards[first.id]["author_key"] == mine["me"] != view(b, b.ben)["me"]
    assert mine["writable"] is True


@pytest.mark.parametrize(
    ("block", "column", "text", "code"),
    [
        ("legal", 3, "x", "unknown_column"),  # three prompts: columns 0..2
        ("funding", 2, "x", "unknown_column"),
        ("support", 0, "x", "unknown_block"),  # not a block of the group
        ("legal", 0, "   ", "card_length"),
        ("legal", 0, "x" * 281, "card_length"),
    ],
)
def test_a_card_that_does_not_fit_is_refused(
    b: Board, block: str, column: int, text: str, code: str
) -> None:
    with refused(code):
        board_cards.add_card(b.db, b.phone(b.ana), b.a, block, column, text, utcnow())
    b.db.rollback()
    assert view(b)["cards"] == []


def test_a_member_of_another_group_can_neither_read_nor_write_the_board(b: Board) -> None:
    card = add(b, b.ana, "Ours")
    dan = b.phone(b.dan)
    with refused("forbidden"):
        board_cards.add_card(b.db, dan, b.a, "legal", 0, "Theirs", utcnow())
    with refused("forbidden"):
        board_cards.edit_card(b.db, dan, card.id, "Changed", 1, utcnow())
    for write in (
        lambda: board_cards.remove_card(b.db, dan, card.id, utcnow()),
        lambda: board_cards.move_card(b.db, dan, card.id, 1, None, utcnow()),
        lambda: board_cards.unmerge_card(b.db, dan, card.id, utcnow()),
        lambda: board_services.write_synthesis(b.db, dan, b.a, "Ours now", 0, utcnow()),
        lambda: board_services.set_phase(b.db, dan, "vote", b.a, None, utcnow()),
    ):
        with refused("forbidden"):
            write()
    with refused("forbidden"):
        view(b, b.dan)
    with refused("forbidden"):
        board_wire.board_view(b.db, b.group(b.a), b.display)
    b.db.rollback()
    assert [c["text"] for c in view(b)["cards"]] == ["Ours"]


def test_only_the_author_the_rapporteur_or_a_moderator_edit_or_remove_a_card(b: Board) -> None:
    bens = add(b, b.ben, "Ben's idea")
    with refused("forbidden"):
        board_cards.edit_card(b.db, b.phone(b.chloe), bens.id, "Chloé's now", 1, utcnow())
    with refused("forbidden"):
        board_cards.remove_card(b.db, b.phone(b.chloe), bens.id, utcnow())
    board_cards.edit_card(b.db, b.phone(b.ben), bens.id, "Ben's idea, better", 1, utcnow())
    board_cards.edit_card(
        b.db, b.phone(b.ana), bens.id, "Ben's idea, tidied", 2, utcnow()
    )  # rapporteur
    card, _ = board_cards.edit_card(b.db, b.moderator, bens.id, "Ben's idea, final", 3, utcnow())
    assert (card.text, card.version) == ("Ben's idea, final", 4)
    board_cards.remove_card(b.db, b.phone(b.ana), bens.id, utcnow())
    b.db.commit()
    assert view(b)["cards"] == []  # shown nowhere, kept for the record
    assert b.db.get(Card, bens.id).removed  # type: ignore[union-attr]
    with refused("unknown_card"):
        board_cards.edit_card(b.db, b.phone(b.ben), bens.id, "Back?", 5, utcnow())


# --- conflicts ------------------------------------------------------------------------------


def test_two_members_editing_one_card_lose_nothing_and_the_later_sees_both_texts(b: Board) -> None:
    card = add(b, b.ben, "Shared card")
    # Ana (the rapporteur) and Ben both opened the card at version 1.
    board_cards.edit_card(b.db, b.phone(b.ana), card.id, "Ana's version", 1, utcnow())
    b.db.commit()
    with pytest.raises(Conflict) as caught:
        board_cards.edit_card(b.db, b.phone(b.ben), card.id, "Ben's version", 1, utcnow())
    b.db.rollback()
    assert caught.value.code == "conflict"
    assert caught.value.current["text"] == "Ana's version" and caught.value.current["version"] == 2
    assert caught.value.yours == {"text": "Ben's version", "version": 1}
    assert [c["text"] for c in view(b)["cards"]] == ["Ana's version"]  # not overwritten
    # Ben merges both texts from what he was shown, at the version he was shown.
    merged, _ = board_cards.edit_card(
        b.db, b.phone(b.ben), card.id, "Ana's version + Ben's", 2, utcnow()
    )
    assert (merged.text, merged.version) == ("Ana's version + Ben's", 3)


def test_two_edits_raced_on_two_connections_one_wins_the_other_conflicts(
    b: Board, engine: Engine
) -> None:
    card_id = add(b, b.ben, "Before").id
    ana, ben = b.phone(b.ana), b.phone(b.ben)

    def edit(who: object, text: str) -> object:
        return lambda s: board_cards.edit_card(s, who, card_id, text, 1, utcnow())  # type: ignore[arg-type]

    raised = race(engine, edit(ana, "Ana raced"), edit(ben, "Ben raced"))  # type: ignore[arg-type]
    assert len(raised) == 1 and isinstance(raised[0], Conflict), raised
    loser = raised[0]
    with make_session_factory(engine)() as s:
        final = s.get(Card, card_id)
        assert final is not None and final.version == 2
    assert {final.text, loser.yours["text"]} == {"Ana raced", "Ben raced"}
    assert loser.current["text"] == final.text


# --- moves and clusters ---------------------------------------------------------------------


def test_cards_move_between_columns_and_merge_into_clusters_and_back(b: Board) -> None:
    one, two, three = (add(b, b.ana, t) for t in ("One", "Two", "Three"))
    board_cards.move_card(b.db, b.phone(b.ben), two.id, 2, None, utcnow())
    assert (two.column, two.position) == (2, 1)
    board_cards.move_card(b.db, b.moderator, three.id, 1, "funding", utcnow())
    assert (three.block_key, three.column) == ("funding", 1)
    with refused("unknown_column"):
        board_cards.move_card(b.db, b.phone(b.ben), one.id, 2, "funding", utcnow())

    board_cards.merge_cards(b.db, b.phone(b.chloe), one.id, two.id, utcnow())  # tap one, tap two
    assert (one.cluster_id, one.column) == (two.id, 2)
    board_cards.merge_cards(b.db, b.phone(b.chloe), three.id, one.id, utcnow())  # into the cluster
    assert (three.cluster_id, three.block_key, three.column) == (two.id, "legal", 2)
    with refused("cannot_merge"):
        board_cards.merge_cards(
            b.db, b.phone(b.ben), two.id, one.id, utcnow()
        )  # into its own cluster

    board_cards.move_card(
        b.db, b.phone(b.ben), two.id, 0, None, utcnow()
    )  # the cluster follows its head
    assert [c.column for c in (one, two, three)] == [0, 0, 0]
    assert {one.cluster_id, three.cluster_id} == {two.id}

    board_cards.unmerge_card(b.db, b.phone(b.ana), three.id, utcnow())  # undo one merge
    assert three.cluster_id is None and one.cluster_id == two.id
    board_cards.unmerge_card(
        b.db, b.phone(b.ana), two.id, utcnow()
    )  # the head: the cluster dissolves
    assert one.cluster_id is None
    with refused("not_merged"):
        board_cards.unmerge_card(b.db, b.phone(b.ana), two.id, utcnow())
    b.db.commit()
    assert all(c["cluster"] is None for c in view(b)["cards"])


def test_removing_a_cluster_head_frees_its_cards(b: Board) -> None:
    head, child = add(b, b.ana, "Head"), add(b, b.ana, "Child")
    board_cards.merge_cards(b.db, b.phone(b.ana), child.id, head.id, utcnow())
    events = board_cards.remove_card(b.db, b.phone(b.ana), head.id, utcnow())
    assert events == [board_rules.CardChanged(b.workshop_id, b.a, (head.id, child.id))]
    b.db.commit()
    assert [(c["text"], c["cluster"]) for c in view(b)["cards"]] == [("Child", None)]


# --- phases ---------------------------------------------------------------------------------


def test_phases_set_by_a_moderator_for_all_or_one_and_by_the_rapporteur_for_theirs(
    b: Board,
) -> None:
    now = utcnow()
    groups, events = board_services.set_phase(b.db, b.moderator, "cluster", None, 300, now)
    assert [g.id for g in groups] == [b.a, b.b]
    assert events == [GroupChanged(b.workshop_id, b.a), GroupChanged(b.workshop_id, b.b)]
    assert b.group(b.a).phase == b.group(b.b).phase == "cluster"
    assert b.group(b.b).phase_deadline == now + timedelta(seconds=300)

    board_services.set_phase(
        b.db, b.phone(b.ana), "vote", None, None, now
    )  # the rapporteur, own group
    assert (b.group(b.a).phase, b.group(b.a).phase_deadline) == ("vote", None)
    assert b.group(b.b).phase == "cluster"
    with refused("forbidden"):
        board_services.set_phase(
            b.db, b.phone(b.ben), "synthesise", None, None, now
        )  # not rapporteur
    with refused("forbidden"):
        board_services.set_phase(
            b.db, b.phone(b.ana), "synthesise", b.b, None, now
        )  # not her group
    board_services.set_phase(b.db, b.moderator, "synthesise", b.b, 60, now)
    assert b.group(b.b).phase == "synthesise"
    # Nothing is locked for good: back to writing, then to voting again.
    board_services.set_phase(b.db, b.phone(b.ana), "write", b.a, None, now)
    board_services.set_phase(b.db, b.phone(b.ana), "vote", b.a, None, now)
    assert b.group(b.a).phase == "vote"
    with refused("unknown_phase"):
        board_services.set_phase(b.db, b.moderator, "dance", None, None, now)


def test_cards_are_written_in_every_phase_and_votes_only_in_vote(b: Board) -> None:
    card = add(b, b.ana, "Written")
    for phase in ("cluster", "vote", "synthesise"):
        b.phase(phase)
        board_cards.edit_card(
            b.db, b.phone(b.ana), card.id, f"Edited in {phase}", card.version, utcnow()
        )
        b.db.commit()
        if phase != "vote":
            with refused("wrong_phase"):
                board_services.vote(b.db, b.phone(b.ben), card.id, True, utcnow())
    assert card.version == 4


# --- the round's state --------------------------------------------------------------------


def test_after_the_close_time_the_board_is_read_only(b: Board) -> None:
    card = add(b, b.ana, "Before the close")
    b.set(closes_at=utcnow() + timedelta(seconds=60))  # the countdown runs: still open
    board_cards.edit_card(b.db, b.phone(b.ana), card.id, "During the countdown", 1, utcnow())
    b.db.commit()
    b.set(closes_at=utcnow() - timedelta(seconds=1))
    for who in (b.phone(b.ana), b.moderator):
        with refused("closed"):
            board_cards.add_card(b.db, who, b.a, "legal", 0, "Too late", utcnow())
        with refused("closed"):
            board_cards.edit_card(b.db, who, card.id, "Too late", 2, utcnow())
        with refused("closed"):
            board_services.write_synthesis(b.db, who, b.a, "Too late", 0, utcnow())
        with refused("closed"):
            board_services.set_phase(b.db, who, "vote", b.a, None, utcnow())
    b.phase("vote")
    with refused("closed"):
        board_services.vote(b.db, b.phone(b.ana), card.id, True, utcnow())
    read = view(b, b.ana)
    assert read["writable"] is False and [c["text"] for c in read["cards"]] == [
        "During the countdown"
    ]
    b.set(state=CLOSED)
    with refused("closed"):
        board_cards.move_card(b.db, b.phone(b.ana), card.id, 1, None, utcnow())
    b.set(state="open", closes_at=None)  # reopened by the moderator
    board_cards.move_card(b.db, b.phone(b.ana), card.id, 1, None, utcnow())


def test_a_previewed_round_takes_no_cards(b: Board) -> None:
    b.set(state=PREVIEW)
    with refused("not_open"):
        board_cards.add_card(b.db, b.phone(b.ana), b.a, "legal", 0, "Early", utcnow())


def test_the_gallery_walk_lets_every_participant_read_but_not_write(b: Board) -> None:
    add(b, b.ana, "Group A's card")
    with refused("forbidden"):
        view(b, b.dan)
    b.set(gallery=True)
    seen = view(b, b.dan)
    assert [c["text"] for c in seen["cards"]] == ["Group A's card"]
    assert seen["writable"] is False and seen["votes_left"] is None and seen["me"] is None
    with refused("forbidden"):
        board_cards.add_card(b.db, b.phone(b.dan), b.a, "legal", 0, "Visitor", utcnow())
    with refused("forbidden"):
        board_wire.board_view(b.db, b.group(b.a), b.display)  # the projector: report-back only
    b.set(report_group_id=b.a)
    assert board_wire.board_view(b.db, b.group(b.a), b.display)["cards"]
    with refused("forbidden"):
        board_wire.board_view(b.db, b.group(b.b), b.display)


# --- who is shown -----------------------------------------------------------------------------


def test_a_removed_participants_cards_are_hidden(b: Board) -> None:
    add(b, b.ben, "Spam")
    kept = add(b, b.ana, "Kept")
    ben = b.db.get(Participant, b.ben)
    assert ben is not None
    ben.removed_at = utcnow()
    b.db.commit()
    assert [c["id"] for c in view(b)["cards"]] == [kept.id]
    outputs = board_outputs.group_outputs(b.db, b.db.get(Workshop, b.workshop_id))  # type: ignore[arg-type]
    assert [c.text for c in outputs[0].cards] == ["Kept"]


def test_an_anonymous_workshop_keeps_authors_anonymous(service_session: Session) -> None:
    b = build(service_session, anonymous=True)
    card = add(b, b.ben, "Who wrote this?")
    board_services.write_synthesis(b.db, b.phone(b.ana), b.a, "Our synthesis", 0, utcnow())
    b.db.commit()
    seen = view(b, b.chloe)
    assert seen["cards"][0]["author"] is None and seen["synthesis"]["by"] is None
    assert seen["cards"][0]["author_key"] not in (None, str(b.ben))  # opaque; its author knows it
    assert view(b, b.ben)["me"] == seen["cards"][0]["author_key"]
    board_cards.remove_card(b.db, b.phone(b.ana), card.id, utcnow())
    b.db.commit()
    [gone] = board_wire.cards_view(b.db, b.workshop_id, [card.id])
    assert gone["removed"] and gone["author"] is None and gone["text"] == ""


# --- the synthesis --------------------------------------------------------------------------


def test_the_rapporteur_writes_the_synthesis_versioned_like_cards(b: Board) -> None:
    first, events = board_services.write_synthesis(
        b.db, b.phone(b.ana), b.a, "# Findings\n- one", 0, utcnow()
    )
    assert first == {"group": b.a, "text": "# Findings\n- one", "version": 1, "by": "Ana"}
    assert events == [board_rules.SynthesisChanged(b.workshop_id, b.a)]
    b.db.commit()
    second, _ = board_services.write_synthesis(
        b.db, b.moderator, b.a, "# Findings\n- one\n- two", 1, utcnow()
    )
    assert second["version"] == 2 and second["by"] == "Mo Derator"
    b.db.commit()
    with pytest.raises(Conflict) as caught:
        board_services.write_synthesis(
            b.db, b.phone(b.ana), b.a, "# Findings\n- three", 1, utcnow()
        )
    b.db.rollback()
    assert caught.value.current["text"] == "# Findings\n- one\n- two"
    assert caught.value.yours["text"] == "# Findings\n- three"
    with pytest.raises(Conflict):  # a second "first version" is a conflict too
        board_services.write_synthesis(b.db, b.phone(b.ana), b.a, "Fresh", 0, utcnow())
    b.db.rollback()
    with refused("forbidden"):
        board_services.write_synthesis(b.db, b.phone(b.ben), b.a, "Not the rapporteur", 2, utcnow())
    with refused("synthesis_length"):
        board_services.write_synthesis(b.db, b.phone(b.ana), b.a, "x" * 5001, 2, utcnow())
    assert view(b, b.ben)["synthesis"]["version"] == 2


def test_two_first_syntheses_raced_make_one_row(b: Board, engine: Engine) -> None:
    ana, group = b.phone(b.ana), b.a

    def write(text: str) -> object:
        return lambda s: board_services.write_synthesis(s, ana, group, text, 0, utcnow())

    raised = race(engine, write("One"), write("Two"))  # type: ignore[arg-type]
    assert len(raised) == 1 and isinstance(raised[0], Conflict), raised
    with make_session_factory(engine)() as s:
        rows = list(s.scalars(select(Synthesis)))
    assert len(rows) == 1 and rows[0].version == 1


# --- what the record reads ------------------------------------------------------------------


def test_group_outputs_carry_blocks_members_synthesis_top_cards_and_assessments(b: Board) -> None:
    one, two, three = (add(b, b.ana, t) for t in ("One", "Two", "Three"))
    board_cards.merge_cards(b.db, b.phone(b.ben), three.id, one.id, utcnow())
    b.phase("vote")
    for who, card in ((b.ana, one), (b.ben, three), (b.chloe, two), (b.ben, two)):
        board_services.vote(b.db, b.phone(who), card.id, True, utcnow())
    board_services.assess(b.db, b.phone(b.ana), "legal", 4, utcnow())
    board_services.assess(b.db, b.phone(b.ben), "legal", 2, utcnow())
    board_services.write_synthesis(b.db, b.phone(b.ana), b.a, "Synthesis of A", 0, utcnow())
    b.db.commit()
    workshop = b.db.get(Workshop, b.workshop_id)
    assert workshop is not None
    a, group_b = board_outputs.group_outputs(b.db, workshop)
    assert (a.name, a.block_keys, a.members, a.synthesis, a.synthesis_by) == (
        "A",
        ("legal", "funding"),
        3,
        "Synthesis of A",
        "Ana",
    )
    assert [(c.text, c.votes, c.merged) for c in a.top_cards] == [
        ("One", 2, ("Three",)),
        ("Two", 2, ()),
    ]
    assert [c.text for c in a.cards] == ["One", "Two"]
    [legal] = a.assessment
    assert (legal.block_key, legal.counts, legal.count, legal.mean) == (
        "legal",
        {4: 1, 2: 1},
        2,
        3.0,
    )
    assert (group_b.members, group_b.synthesis, group_b.top_cards) == (1, None, ())
    radar = board_outputs.radar(b.db, workshop)
    assert [(r.key, r.mean, r.count) for r in radar.blocks] == [("legal", 3.0, 2)]
    assert {t: [(r.key, r.mean) for r in rows] for t, rows in radar.territories.items()} == {
        "BR": [("legal", 4.0)],
        "FR": [("legal", 2.0)],
    }
