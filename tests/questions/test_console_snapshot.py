"""What the moderator's console gets of the Q&A beyond the questions: the agenda's people
(whom a question is addressed to or answered by) with their items and speaker's links."""

from __future__ import annotations

from sqlalchemy.orm import Session

from facilitator.qa import screens
from facilitator.qa import services as qa
from tests.questions.support import room

TWO_SPEAKERS = """\
format: facilitator/agenda@1
slug: panel
title: Panel
languages: [en, fr]
timezone: UTC
days:
  - {date: 2026-01-01, start: "09:00", end: "12:00"}
program:
  - {id: opening, start: "09:00", end: "09:30", title: Opening, kind: introduction, people: [bo]}
  - {id: panel, start: "09:30", end: "10:30", title: Panel, kind: discussion, people: [ana, bo]}
people:
  - {id: ana, name: Ana Lee, roles: [speaker]}
  - {id: bo, name: Bo Kim, roles: [speaker]}
  - {id: cy, name: Cy Diaz, roles: [rapporteur]}
"""


def test_the_console_lists_every_person_with_their_items_and_link(
    service_session: Session,
) -> None:
    r = room(service_session, TWO_SPEAKERS)
    part = screens.part(service_session, r.workshop.id, "moderator", None)
    assert part["people"] == [
        {"id": "ana", "name": "Ana Lee", "items": ["panel"], "link": None},
        {"id": "bo", "name": "Bo Kim", "items": ["opening", "panel"], "link": None},
        {"id": "cy", "name": "Cy Diaz", "items": [], "link": None},
    ]
    link, _ = qa.speaker_link(service_session, r.workshop.id, "bo")
    service_session.commit()
    again = screens.part(service_session, r.workshop.id, "moderator", None)["people"]
    assert [p["link"] for p in again] == [None, link.token, None]


def test_phones_and_projectors_get_no_people_and_no_links(service_session: Session) -> None:
    r = room(service_session, TWO_SPEAKERS)
    qa.speaker_link(service_session, r.workshop.id, "ana")
    service_session.commit()
    for kind, me in (("participant", r.people[0].id), ("display", None)):
        assert "people" not in screens.part(service_session, r.workshop.id, kind, me)
