"""The participant's type of organisation (the phone's profile step): stored, cleared,
refused when unknown, and a breakdown of answers by it that finally has groups."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from facilitator.database import utcnow
from facilitator.participation.services import JoinRefused, Profile, update_profile
from facilitator.questions import answering, results
from facilitator.questions.record import questions_for_record
from tests.questions.support import opened, room


def test_the_profile_step_stores_and_clears_the_type_of_organisation(
    service_session: Session,
) -> None:
    r = room(service_session)
    me = r.people[0]
    update_profile(service_session, me, Profile("en", organisation_type="cooperative"))
    assert me.organisation_type == "cooperative"
    assert me.language == "en" and me.display_name == "Someone"  # left alone
    update_profile(service_session, me, Profile("en"))
    assert me.organisation_type is None
    with pytest.raises(JoinRefused) as caught:
        update_profile(service_session, me, Profile("en", organisation_type="spaceship"))
    assert caught.value.code == "invalid_organisation_type"
    assert me.organisation_type is None  # nothing stored


def test_answers_break_down_by_type_of_organisation(service_session: Session) -> None:
    r = room(service_session)
    q = opened(r, "pick")
    kinds = ["cooperative", "public-body", None]
    for me, kind, option in zip(r.people, kinds, [0, 1, 0], strict=True):
        update_profile(service_session, me, Profile(me.language, organisation_type=kind))
        answering.submit(service_session, me, q, option, utcnow())
    service_session.commit()
    assert results.breakdown(service_session, q, "organisation_type") == [
        {"group": "cooperative", "results": {"answers": 1, "options": [1, 0, 0]}},
        {"group": "public-body", "results": {"answers": 1, "options": [0, 1, 0]}},
        {"group": "", "results": {"answers": 1, "options": [1, 0, 0]}},
    ]
    record = next(
        x for x in questions_for_record(service_session, r.workshop.id) if x["key"] == "pick"
    )
    assert [g["group"] for g in record["breakdowns"]["organisation_type"]] == [
        "cooperative",
        "public-body",
        "",
    ]
