"""The JSON API of joining: programmatic clients and the benchmark join without the form."""

from __future__ import annotations

from flask import jsonify, request
from pydantic import ValidationError
from werkzeug.wrappers import Response

from facilitator.database import utcnow
from facilitator.errors import json_error
from facilitator.extensions import csrf, db
from facilitator.participation import services
from facilitator.participation.blueprint import (
    bp,
    check_code_ceiling,
    commit_then_emit,
    count_wrong_code,
    join_limit,
    refusal_message,
)
from facilitator.participation.forms import ApiJoin
from facilitator.participation.services import JoinRefused, Profile


@bp.post("/api/join")
@join_limit
def api_join() -> Response:
    """Join without the form (programmatic clients, the benchmark): a token back."""
    body = request.get_json(silent=True)
    try:
        payload = ApiJoin.model_validate(body if isinstance(body, dict) else None)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        return json_error(400, "invalid_payload", f"{where}: {first['msg']}")
    profile = Profile(
        language=payload.language,
        display_name=payload.display_name,
        organisation=payload.organisation,
        country=payload.country,
        stakeholder_type=payload.stakeholder_type,
    )
    check_code_ceiling()
    try:
        joined, events = services.join(db.session, payload.code, profile, utcnow())
    except JoinRefused as refusal:
        db.session.rollback()
        if refusal.code == "not_found":
            count_wrong_code()
        status = {"not_found": 404, "locked": 409}.get(refusal.code, 400)
        return json_error(status, refusal.code, refusal_message(refusal.code))
    # Read before the commit: nothing needs loading again after it.
    answer = {
        "token": joined.token,
        "workshop": joined.workshop.slug,
        "participant": joined.participant.id,
    }
    commit_then_emit(list(events))
    response = jsonify(answer)
    response.status_code = 201
    response.headers["Cache-Control"] = "no-store"
    return response


csrf.exempt(api_join)  # no cookies, no session: a token in the answer, nothing to forge
