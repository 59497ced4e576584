"""Dot votes on a group's cards: a row each, withdrawable, a number per member and group that
holds when votes race on two connections, in phase `vote`, by members only."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from facilitator.breakouts import board_cards, board_rules, board_services, board_wire
from facilitator.breakouts.board_models import Card, CardVote
from facilitator.breakouts.board_rules import BoardRefused
from facilitator.breakouts.changes import RoundChanged
from facilitator.database import make_session_factory, utcnow
from facilitator.participation.models import Participant
from tests.breakouts.boards import Board, build, race


@pytest.fixture
def b(service_session: Session) -> Board:
    board_ = build(service_session, votes=2)
    board_.phase("vote")
    return board_


def cards(b: Board, *texts: str) -> list[int]:
    made = []
    for text in texts:
        card, _ = board_cards.add_card(b.db, b.phone(b.ana), b.a, "legal", 0, text, utcnow())
        made.append(card.id)
    b.db.commit()
    return made


def rows(db: Session, **where: int) -> int:
    query = select(func.count(CardVote.id))
    for name, value in where.items():
        query = query.where(getattr(CardVote, name) == value)
    return db.scalar(query) or 0


def test_a_vote_is_a_row_withdrawable_and_counted(b: Board) -> None:
    one, two = cards(b, "One", "Two")
    result, events = board_services.vote(b.db, b.phone(b.ben), one, True, utcnow())
    assert result == {"card": one, "voted": True, "votes_left": 1}
    assert events == [board_rules.VotesChanged(b.workshop_id, b.a, one, b.ben)]
    again, _ = board_services.vote(b.db, b.phone(b.ben), one, True, utcnow())  # twice: one row
    assert again["votes_left"] == 1 and rows(b.db, card_id=one) == 1
    board_services.vote(b.db, b.phone(b.chloe), one, True, utcnow())
    b.db.commit()
    seen = board_wire.board_view(b.db, b.group(b.a), b.phone(b.ben))
    assert {c["id"]: c["votes"] for c in seen["cards"]} == {one: 2, two: 0}
    assert (seen["my_votes"], seen["votes_left"], seen["votes_per_member"]) == ([one], 1, 2)
    back, _ = board_services.vote(b.db, b.phone(b.ben), one, False, utcnow())
    assert back["votes_left"] == 2 and rows(b.db, card_id=one) == 1
    board_services.vote(
        b.db, b.phone(b.ben), one, False, utcnow()
    )  # withdrawing twice changes nothing
    assert rows(b.db, participant_id=b.ben) == 0


def test_a_member_has_the_rounds_number_of_votes_in_the_group(b: Board) -> None:
    one, two, three = cards(b, "One", "Two", "Three")
    board_services.vote(b.db, b.phone(b.ben), one, True, utcnow())
    board_services.vote(b.db, b.phone(b.ben), two, True, utcnow())
    with pytest.raises(BoardRefused, match="no_votes_left"):
        board_services.vote(b.db, b.phone(b.ben), three, True, utcnow())
    board_services.vote(
        b.db, b.phone(b.ben), one, False, utcnow()
    )  # a dot taken back can go elsewhere
    board_services.vote(b.db, b.phone(b.ben), three, True, utcnow())
    assert rows(b.db, participant_id=b.ben) == 2
    board_services.vote(
        b.db, b.phone(b.chloe), three, True, utcnow()
    )  # everyone has their own dots
    assert rows(b.db, card_id=three) == 2


def test_only_members_vote_in_their_own_group_and_in_phase_vote(b: Board) -> None:
    [card] = cards(b, "Ours")
    with pytest.raises(BoardRefused, match="forbidden"):
        board_services.vote(b.db, b.phone(b.dan), card, True, utcnow())  # another group's member
    with pytest.raises(BoardRefused, match="forbidden"):
        board_services.vote(b.db, b.moderator, card, True, utcnow())
    b.phase("write", b.a)
    with pytest.raises(BoardRefused, match="wrong_phase"):
        board_services.vote(b.db, b.phone(b.ben), card, True, utcnow())
    with pytest.raises(BoardRefused, match="unknown_card"):
        board_services.vote(b.db, b.phone(b.ben), 999_999, True, utcnow())
    assert rows(b.db) == 0


def test_a_removed_card_gives_its_votes_back(b: Board) -> None:
    one, two = cards(b, "One", "Two")
    board_services.vote(b.db, b.phone(b.ben), one, True, utcnow())
    board_services.vote(b.db, b.phone(b.ben), two, True, utcnow())
    board_cards.remove_card(b.db, b.phone(b.ana), one, utcnow())
    b.db.commit()
    seen = board_wire.board_view(b.db, b.group(b.a), b.phone(b.ben))
    assert (seen["my_votes"], seen["votes_left"]) == ([two], 1)
    with pytest.raises(BoardRefused, match="unknown_card"):
        board_services.vote(b.db, b.phone(b.chloe), one, True, utcnow())


def test_a_removed_participants_votes_are_not_counted(b: Board) -> None:
    [card] = cards(b, "One")
    board_services.vote(b.db, b.phone(b.ben), card, True, utcnow())
    board_services.vote(b.db, b.phone(b.chloe), card, True, utcnow())
    ben = b.db.get(Participant, b.ben)
    assert ben is not None
    ben.removed_at = utcnow()
    b.db.commit()
    assert board_wire.vote_counts(b.db, b.a) == {card: 1}


def test_two_votes_raced_on_two_connections_make_one_row(b: Board, engine: Engine) -> None:
    [card] = cards(b, "One")
    ben = b.phone(b.ben)

    def cast(s: Session) -> None:
        board_services.vote(s, ben, card, True, utcnow())

    assert race(engine, cast, cast) == []
    with make_session_factory(engine)() as s:
        assert rows(s, card_id=card) == 1


def test_the_per_member_limit_holds_when_votes_race(b: Board, engine: Engine) -> None:
    one, two, three = cards(b, "One", "Two", "Three")
    ben = b.phone(b.ben)
    board_services.vote(b.db, ben, one, True, utcnow())  # one dot left of two
    b.db.commit()

    def cast(card: int) -> object:
        return lambda s: board_services.vote(s, ben, card, True, utcnow())

    raised = race(engine, cast(two), cast(three))  # type: ignore[arg-type]
    assert [getattr(e, "code", e) for e in raised] == ["no_votes_left"]
    with make_session_factory(engine)() as s:
        assert rows(s, participant_id=b.ben) == 2
        voted = set(s.scalars(select(CardVote.card_id).where(CardVote.participant_id == b.ben)))
        assert one in voted and len(voted & {two, three}) == 1
        assert s.get(Card, two) is not None


def test_the_moderator_sets_the_number_of_dots_and_lowering_it_keeps_the_votes(b: Board) -> None:
    one, two, three = cards(b, "One", "Two", "Three")
    _groups, events = board_services.set_phase(
        b.db, b.moderator, "vote", None, None, utcnow(), votes=4
    )
    assert RoundChanged(b.workshop_id, b.round_id) in events
    assert b.round().votes_per_member == 4
    for card in (one, two, three):
        board_services.vote(b.db, b.phone(b.ben), card, True, utcnow())
    board_services.set_phase(b.db, b.moderator, "vote", None, None, utcnow(), votes=1)
    b.db.commit()
    seen = board_wire.board_view(b.db, b.group(b.a), b.phone(b.ben))
    assert (len(seen["my_votes"]), seen["votes_left"], seen["votes_per_member"]) == (3, 0, 1)
    board_services.vote(b.db, b.phone(b.ben), one, False, utcnow())  # two left, still over one
    with pytest.raises(BoardRefused, match="no_votes_left"):
        board_services.vote(b.db, b.phone(b.ben), one, True, utcnow())
    board_services.vote(b.db, b.phone(b.chloe), one, True, utcnow())  # Chloé has her one dot
    with pytest.raises(BoardRefused, match="forbidden"):  # the rapporteur sets phases, not dots
        board_services.set_phase(b.db, b.phone(b.ana), "vote", b.a, None, utcnow(), votes=5)
    with pytest.raises(BoardRefused, match="votes_out_of_range"):
        board_services.set_phase(b.db, b.moderator, "vote", None, None, utcnow(), votes=21)


def test_a_reset_after_a_rehearsal_clears_every_round_and_what_hangs_on_it(
    service_session: Session,
) -> None:
    """`rounds.clear` (live.reset's part for the breakouts): rounds, groups, members, cards,
    dots, assessments, syntheses and help calls all go, by the database's cascades."""
    from facilitator.breakouts import rounds
    from facilitator.breakouts.board_models import Assessment, Synthesis
    from facilitator.breakouts.models import BreakoutGroup, BreakoutRound, GroupMember, HelpRequest

    b = build(service_session)
    card, _ = board_cards.add_card(b.db, b.phone(b.ana), b.a, "legal", 0, "Rehearsal", utcnow())
    b.db.commit()
    b.phase("vote")
    board_services.vote(b.db, b.phone(b.ben), card.id, True, utcnow())
    board_services.assess(b.db, b.phone(b.ana), "legal", 3, utcnow())
    board_services.write_synthesis(b.db, b.phone(b.ana), b.a, "Test.", 0, utcnow())
    b.db.add(HelpRequest(group_id=b.a, participant_id=b.dan, created_at=utcnow()))
    b.db.commit()
    models = (
        BreakoutRound,
        BreakoutGroup,
        GroupMember,
        Card,
        CardVote,
        Assessment,
        Synthesis,
        HelpRequest,
    )

    def count(model: type) -> int:
        return int(b.db.scalar(select(func.count()).select_from(model)) or 0)

    assert all(count(m) for m in models)
    assert rounds.clear(b.db, b.workshop_id) == 1
    b.db.commit()
    assert [count(m) for m in models] == [0] * len(models)
    assert count(Participant) == 4  # the people stay
