"""The participation blueprint, defined once, and what its route modules share.

Its routes live in one module per job (join_routes, api, handout), each thin:
the work is in participation.services. A wrong code and an ended workshop get
one identical answer, whichever route is asked; joins are rate-limited per
address, and the pages that take a code more generously.
"""

from __future__ import annotations

from typing import Any, NoReturn

from flask import Blueprint, current_app, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from werkzeug.wrappers import Response

from facilitator.agenda.models import Workshop
from facilitator.errors import Refused
from facilitator.extensions import db, limiter
from facilitator.live.codes import normalise_join_code
from facilitator.live.models import LiveState
from facilitator.participation import services
from facilitator.participation.events import PARTICIPANT_COOKIE
from facilitator.participation.services import JoinRefused
from facilitator.ratelimits import throttles
from facilitator.realtime.runtime import current as realtime

bp = Blueprint("participation", __name__)

COOKIE_MAX_AGE_S = 30 * 24 * 3600  # a multi-day workshop, and the week after


def _join_limit() -> str:
    return str(current_app.config["JOIN_RATE_LIMIT"])


def _page_limit() -> str:
    return str(current_app.config["JOIN_PAGE_RATE_LIMIT"])


# Joining and restoring share one budget; pages that take a code share another,
# so guessing codes through any of them is slowed alike.
join_limit = limiter.shared_limit(_join_limit, scope="join", key_func=get_remote_address)
page_limit = limiter.shared_limit(_page_limit, scope="join-page", key_func=get_remote_address)


def refusal_message(code: str) -> str:
    messages = {
        "invalid_language": _("Choose one of the session's languages."),
        "invalid_country": _("Choose a country from the list."),
        "invalid_stakeholder_type": _("Choose a type from the list."),
        "invalid_organisation_type": _("Choose a type from the list."),
        "not_found": _("No session is open with this code."),
        "locked": _("Joining this session is closed."),
    }
    return str(messages.get(code) or _("The request could not be accepted."))


def no_such_code() -> NoReturn:
    # Nothing here may depend on the workshop: a wrong and an ended code look the same.
    raise Refused(
        404,
        _(
            "No session is open with this code. Check the code on the screen or the "
            "handout, or ask the moderators."
        ),
        title=_("Session not found"),
        error_code="not_found",
        link=(url_for("participation.enter_code"), _("Try another code")),
    )


def canonical(code: str) -> str:
    found = normalise_join_code(code)
    if found is None:
        no_such_code()
    return found


def check_code_ceiling() -> None:
    """Before any lookup by code: past the server-wide ceiling on wrong codes, none is made
    (a right code's answer would still tell a guesser it is right)."""
    wait = throttles(current_app).wrong_code_wait()
    if wait:
        raise Refused(
            429,
            _(
                "Too many wrong codes were tried on this server just now. "
                "Please wait a moment, then try again."
            ),
            title=_("Too many attempts"),
            error_code="rate_limited",
            retry_after=wait,
        )


def count_wrong_code() -> None:
    throttles(current_app).wrong_code()


def open_by_code(code: str) -> tuple[Workshop, LiveState]:
    check_code_ceiling()
    try:
        return services.open_workshop_by_code(db.session, code)
    except JoinRefused:
        count_wrong_code()
        no_such_code()


def page(template: str, status: int = 200, **context: Any) -> Response:
    response = make_response(render_template(template, **context), status)
    # Pages hold a CSRF token or a participant's token: never kept by a cache.
    response.headers["Cache-Control"] = "no-store"
    return response


def participant_token() -> str | None:
    token = request.cookies.get(PARTICIPANT_COOKIE)
    return token if token and len(token) <= 64 else None


def set_participant_cookie(response: Response, token: str) -> None:
    response.set_cookie(
        PARTICIPANT_COOKIE,
        token,
        max_age=COOKIE_MAX_AGE_S,
        path="/",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )


def commit_then_emit(events: list[object]) -> None:
    """Commit the join, then tell the consoles: the same step as a socket mutation's."""
    realtime().commit_then_emit(db.session, events)
