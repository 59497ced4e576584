"""A small workshop with a guiding question of every type, and participants, for services."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy.orm import Session

from facilitator.accounts.models import User
from facilitator.accounts.services import create_user
from facilitator.agenda.models import Workshop
from facilitator.agenda.parsing import parse_agenda
from facilitator.agenda.services import store_agenda
from facilitator.database import utcnow
from facilitator.live.services import live_state
from facilitator.participation.models import Participant
from facilitator.questions import lifecycle
from facilitator.questions.models import Question

AGENDA = """\
format: facilitator/agenda@1
slug: polls
title: Polls
languages: [en, fr, ko]
timezone: UTC
days:
  - {date: 2026-01-01, start: "09:00", end: "12:00"}
program:
  - id: opening
    start: "09:00"
    end: "09:30"
    title: Opening
    kind: introduction
    questions: [feel, words]
  - id: talk
    start: "09:30"
    end: "10:00"
    title: Talk
    kind: presentation
    people: [ana]
    questions: [pick]
guiding_questions:
  - {id: feel, text: {en: How do you feel?, fr: Comment ça va ?}, type: open}
  - {id: words, text: In a word?, type: words}
  - {id: pick, text: Which one?, type: choice, options: [Red, Green, Blue]}
  - {id: many, text: Which ones?, type: multi, options: [Red, Green, Blue]}
  - id: rate
    text: How useful?
    type: scale
    scale: {min: 1, max: 5, min_label: Not at all, max_label: Very}
  - {id: order, text: Rank them, type: rank, options: [Red, Green, Blue]}
people:
  - {id: ana, name: Ana Lee, roles: [speaker, moderator]}
"""


@dataclass
class Room:
    db: Session
    workshop: Workshop
    questions: dict[str, Question]  # by the agenda's id
    people: list[Participant]


def person(
    db: Session, workshop: Workshop, language: str = "en", **profile: str | None
) -> Participant:
    me = Participant(
        workshop_id=workshop.id,
        token_hash=secrets.token_hex(32),
        language=language,
        display_name=profile.pop("display_name", "Someone"),
        **profile,
    )
    db.add(me)
    db.flush()
    return me


def room(db: Session, agenda: str = AGENDA) -> Room:
    workshop = store_agenda(db, parse_agenda(agenda, "polls.yaml").agenda).workshop
    live_state(db, workshop)
    rows = lifecycle.ensure_questions(db, workshop.id)
    db.flush()
    keys = {g.id: g.key for g in workshop.guiding_questions}
    people = [
        person(db, workshop, "en", country="KR", stakeholder_type="government"),
        person(db, workshop, "fr", country="FR", stakeholder_type="civil-society"),
        person(db, workshop, "ko", country="KR"),
    ]
    db.commit()
    by_key = {keys[q.guiding_question_id]: q for q in rows if q.guiding_question_id}
    return Room(db, workshop, by_key, people)


def admin(db: Session) -> User:
    user = create_user(db, f"{secrets.token_hex(4)}@example.org", "a long password", "Admin")
    user.is_admin = True
    db.flush()
    return user


def opened(r: Room, key: str) -> Question:
    question = r.questions[key]
    lifecycle.open_question(r.db, question, utcnow())
    r.db.commit()
    return question
