"""Self-assessment on a block's scale: each member rates their own territory, the group's
distribution, and the room's radar of blocks (per territory where participants gave one)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from facilitator.agenda.models import Workshop
from facilitator.breakouts import board_outputs, board_rules, board_services, board_wire
from facilitator.breakouts.board_models import Assessment
from facilitator.breakouts.board_rules import BoardRefused
from facilitator.database import make_session_factory, utcnow
from facilitator.participation.models import Participant
from tests.breakouts.boards import Board, build, race


@pytest.fixture
def b(service_session: Session) -> Board:
    return build(service_session)


def workshop(b: Board) -> Workshop:
    found = b.db.get(Workshop, b.workshop_id)
    assert found is not None
    return found


def test_members_rate_their_territory_and_see_the_groups_distribution(b: Board) -> None:
    d, events = board_services.assess(b.db, b.phone(b.ana), "legal", 4, utcnow())
    assert events == [board_rules.AssessmentChanged(b.workshop_id, b.a, "legal")]
    assert (d.counts, d.count, d.mean) == ({4: 1}, 1, 4.0)
    board_services.assess(b.db, b.phone(b.ben), "legal", 1, utcnow())
    d, _ = board_services.assess(b.db, b.phone(b.chloe), "legal", 1, utcnow())
    assert d.wire(b.a) == {
        "group": b.a,
        "block": "legal",
        "distribution": {"1": 2, "4": 1},
        "count": 3,
        "mean": 2.0,
    }
    d, _ = board_services.assess(b.db, b.phone(b.ana), "legal", 5, utcnow())  # again: replaced
    assert (d.counts, d.mean) == ({1: 2, 5: 1}, 2.33)
    b.db.commit()
    seen = board_wire.board_view(b.db, b.group(b.a), b.phone(b.ana))
    assert seen["assessment"]["legal"]["mine"] == 5
    assert seen["assessment"]["legal"]["distribution"] == {"1": 2, "5": 1}
    assert "funding" not in seen["assessment"]  # no scale on that block
    assert (
        board_wire.board_view(b.db, b.group(b.a), b.phone(b.ben))["assessment"]["legal"]["mine"]
        == 1
    )
    assert b.db.scalar(select(func.count(Assessment.id))) == 3


@pytest.mark.parametrize(
    ("who", "block", "value", "code"),
    [
        ("ana", "legal", 0, "out_of_scale"),
        ("ana", "legal", 6, "out_of_scale"),
        ("ana", "funding", 3, "no_assessment"),
        ("dan", "funding", 3, "unknown_block"),  # a block of another group
        ("ana", "nothing", 3, "unknown_block"),
    ],
)
def test_a_rating_off_the_scale_or_block_is_refused(
    b: Board, who: str, block: str, value: int, code: str
) -> None:
    with pytest.raises(BoardRefused, match=f"^{code}$"):
        board_services.assess(b.db, b.phone(getattr(b, who)), block, value, utcnow())
    assert b.db.scalar(select(func.count(Assessment.id))) == 0


def test_only_members_of_an_open_round_rate(b: Board) -> None:
    outsider = Participant(workshop_id=b.workshop_id, token_hash="f" * 64, language="en")
    b.db.add(outsider)
    b.db.commit()
    with pytest.raises(BoardRefused, match="forbidden"):
        board_services.assess(b.db, b.phone(outsider.id), "legal", 3, utcnow())
    b.set(state="closed")
    with pytest.raises(BoardRefused, match="closed"):
        board_services.assess(b.db, b.phone(b.ana), "legal", 3, utcnow())


def test_two_ratings_raced_on_two_devices_make_one_row(b: Board, engine: Engine) -> None:
    ana = b.phone(b.ana)

    def rate(value: int) -> object:
        return lambda s: board_services.assess(s, ana, "legal", value, utcnow())

    assert race(engine, rate(2), rate(3)) == []  # type: ignore[arg-type]
    with make_session_factory(engine)() as s:
        values = list(s.scalars(select(Assessment.value)))
    assert len(values) == 1 and values[0] in (2, 3)


def test_the_rooms_radar_is_the_mean_per_block_and_per_territory(b: Board) -> None:
    board_services.assess(b.db, b.phone(b.ana), "legal", 5, utcnow())  # BR
    board_services.assess(b.db, b.phone(b.ben), "legal", 2, utcnow())  # FR
    board_services.assess(b.db, b.phone(b.chloe), "legal", 3, utcnow())  # FR
    board_services.assess(b.db, b.phone(b.dan), "legal", 4, utcnow())  # group B, no country
    b.db.commit()
    radar = board_outputs.radar(b.db, workshop(b))
    assert [(r.key, r.mean, r.count, r.min, r.max) for r in radar.blocks] == [
        ("legal", 3.5, 4, 1, 5)
    ]
    assert {t: [(r.mean, r.count) for r in rows] for t, rows in radar.territories.items()} == {
        "BR": [(5.0, 1)],
        "FR": [(2.5, 2)],
    }
    wire = radar.wire("fr", "en")
    assert wire["blocks"] == [
        {"key": "legal", "title": "Cadres juridiques", "mean": 3.5, "count": 4, "min": 1, "max": 5}
    ]
    assert board_outputs.radar(b.db, workshop(b), round_id=b.round_id + 1).blocks[0].count == 0
