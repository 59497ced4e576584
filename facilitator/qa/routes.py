"""The speaker's link: the questions addressed to one speaker, by votes, as JSON."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort
from sqlalchemy import select

from facilitator.agenda.models import Person
from facilitator.extensions import db
from facilitator.qa.models import AudienceQuestion, SpeakerLink
from facilitator.qa.screens import ranked
from facilitator.qa.services import is_public
from facilitator.qa.votes import votes
from facilitator.qa.wire import person_keys, public_view

bp = Blueprint("qa", __name__)
TOKEN_MAX = 64


@bp.get("/speaker/<token>.json")
def speaker_questions(token: str) -> dict[str, Any]:
    link = db.session.scalar(select(SpeakerLink).where(SpeakerLink.token == token[:TOKEN_MAX]))
    speaker = None if link is None else db.session.get(Person, link.person_id)
    if speaker is None:
        abort(404)
    addressed = [
        q
        for q in db.session.scalars(
            select(AudienceQuestion).where(AudienceQuestion.speaker_id == speaker.id)
        )
        if is_public(q)
    ]
    counted = votes(db.session, speaker.workshop_id)
    people = person_keys(db.session, speaker.workshop_id)
    return {
        "speaker": {"key": speaker.key, "name": speaker.name},
        "questions": [
            public_view(q, people, counted.get(q.id, 0)) for q in ranked(addressed, counted)
        ],
    }
