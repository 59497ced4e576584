"""Stream numbers reserved many rooms at once, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy.orm import Session

from facilitator.realtime import streams
from facilitator.realtime.rooms import everyone, moderators, participant
from tests.conftest import minimal_workshop


def test_numbers_are_reserved_per_room_in_one_go_and_never_given_twice(
    service_session: Session,
) -> None:
    workshop = minimal_workshop("streams", "Streams")
    service_session.add(workshop)
    service_session.flush()
    wid = workshop.id
    first = streams.take_many(
        service_session, {everyone(wid): 2, moderators(wid): 1, participant(wid, 7): 3}
    )
    assert first == {everyone(wid).room: 2, moderators(wid).room: 1, participant(wid, 7).room: 3}
    again = streams.take_many(service_session, {moderators(wid): 4, participant(wid, 8): 1})
    assert again == {moderators(wid).room: 5, participant(wid, 8).room: 1}
    alone = streams.take_many(service_session, {everyone(wid): 1})
    assert alone == {everyone(wid).room: 3}
    service_session.commit()
    current = streams.current(service_session, [everyone(wid), moderators(wid)])
    assert current == {"workshop": 3, "moderators": 5}
    assert streams.take_many(service_session, {}) == {}
