"""A savepoint is part of its transaction on every database: rolling back the
transaction takes back what was written inside a released savepoint."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from facilitator.accounts.models import User
from facilitator.database import make_session_factory, savepoint


def test_a_released_savepoint_is_rolled_back_with_its_transaction(engine: Engine) -> None:
    factory = make_session_factory(engine)
    with factory() as s:
        s.scalar(select(func.count()).select_from(User))  # a read first, as services do
        with savepoint(s):
            s.add(User(email="a@example.org", name="A", password_hash="x"))
        s.rollback()  # the mutation failed after its savepoint
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(User)) == 0
