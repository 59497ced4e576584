"""The speaker's link: the questions addressed to one speaker, by votes.

`/speaker/<token>` is the page for a tablet on the panel table (no account: the unguessable
token is the key); it reads `/speaker/<token>.json` every few seconds, with ETag, so an
unchanged list costs a 304."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request
from flask_babel import gettext as _
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
REFRESH_MS = 3000  # how often the speaker's page asks again


def _speaker(token: str) -> Person:
    link = db.session.scalar(select(SpeakerLink).where(SpeakerLink.token == token[:TOKEN_MAX]))
    speaker = None if link is None else db.session.get(Person, link.person_id)
    if speaker is None:
        abort(404)
    return speaker


def _private(response: Response) -> Response:
    """The token is the key to these: out of caches that others share, and of search engines."""
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _addressed(speaker: Person) -> dict[str, Any]:
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


@bp.get("/speaker/<token>.json")
def speaker_questions(token: str) -> Response:
    response = jsonify(_addressed(_speaker(token)))
    response.headers["Cache-Control"] = "no-cache"  # kept, but asked again each time
    response.add_etag(weak=True)  # weak: the same list gzipped or not (Flask-Compress)
    response.make_conditional(request)  # 304 when the ETag matches
    return _private(response)


def _speaker_strings() -> dict[str, str]:
    # What speaker.js writes; the fixed labels are in the template.
    return {
        "anonymous": _("Anonymous"),
        "votes": _("Votes"),
        "pinned": _("Pinned"),
        "answered": _("Answered"),
        "none": _("No questions for you yet."),
        "online": _("Updated live"),
        "offline": _("Offline: showing the last list"),
        "gone": _("This speaker link is no longer valid"),
        "count": _("Open questions: {n}"),
        "answered_heading": _("Already answered"),
    }


@bp.get("/speaker/<token>")
def speaker_page(token: str) -> Response:
    """A display-style page: large, dark on light, refreshed live, nothing to click."""
    speaker = _speaker(token)
    workshop = speaker.workshop
    data = {
        "json_url": request.path + ".json",
        "refresh_ms": REFRESH_MS,
        "default_language": workshop.default_language,
        "strings": _speaker_strings(),
        "initial": _addressed(speaker),
    }
    page = render_template("qa/speaker.html", speaker=speaker, workshop=workshop, data=data)
    response = current_app.make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return _private(response)
