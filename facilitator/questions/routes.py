"""The projector's count of answers, read over HTTP while results are hidden.

Phones get no message per answer, and no count either while the results are hidden (so
that early answers do not steer later ones); the projector, which shows how many have
answered, asks for that count itself every few seconds with its display token."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, request
from sqlalchemy import func, select

from facilitator.extensions import db
from facilitator.live.models import LiveState
from facilitator.questions.lifecycle import auto_opened
from facilitator.questions.models import Answer, Question
from facilitator.questions.wire import visible

bp = Blueprint("questions", __name__)
TOKEN_MAX = 64


@bp.get("/d/<token>/answers.json")
def answer_counts(token: str) -> Response:
    """`{"answered": [[<question id>, <visible answers>], …]}` for every question phones
    see; with ETag, so an unchanged count costs a 304."""
    state = db.session.scalar(select(LiveState).where(LiveState.display_token == token[:TOKEN_MAX]))
    if state is None:
        abort(404)
    current = auto_opened(db.session, state.workshop_id)
    questions = db.session.scalars(
        select(Question).where(Question.workshop_id == state.workshop_id)
    )
    shown = sorted(q.id for q in questions if visible(q, current))
    counted = dict(
        db.session.execute(
            select(Answer.question_id, func.count(Answer.id))
            .where(Answer.question_id.in_(shown), Answer.hidden.is_(False))
            .group_by(Answer.question_id)
        ).all()
    )
    response = jsonify({"answered": [[q, counted.get(q, 0)] for q in shown]})
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.add_etag(weak=True)  # weak: the same list gzipped or not (Flask-Compress)
    response.make_conditional(request)  # 304 when the ETag matches
    return response
