"""One error module for the whole app (after microblog's app/errors/handlers.py).

Every HTTP error, and any crash, answers as a page in the viewer's language, or as
`{"error": {"code": ..., "message": ...}}` for API clients. A view that has more to
say than the status's usual words raises `Refused` with its own title and message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, current_app, g, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.wrappers import Response

from facilitator.web import page_to_show_again

SITE_LAYOUT = "base.html"
PHONE_LAYOUT = "participation/base.html"
RETRY_AFTER_S = "60"

Link = tuple[str, str]  # (url, label)
View = TypeVar("View", bound=Callable[..., Any])

PHONE_MARK = "facilitator_phone_page"


class Refused(HTTPException):
    """An HTTP error with words of its own: a title and message, a code for JSON clients."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        title: str = "",
        error_code: str = "",
        link: Link | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(description=message)
        self.code = status
        self.title = title
        self.message = message
        self.error_code = error_code
        self.link = link
        self.retry_after = retry_after  # seconds, for a 429 that knows them


@dataclass(frozen=True)
class Explanation:
    title: str
    message: str
    code: str  # for JSON clients: stable, never translated
    json_message: str = ""  # shorter words for a program, when the page's don't fit


def phone_page(view: View) -> View:
    """Mark a view a participant's phone opens: its errors keep the phone's light layout."""
    setattr(view, PHONE_MARK, True)
    return view


def _on_a_phone() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, PHONE_MARK, False))


def _explanation(status: int) -> Explanation:
    """What each status means to the viewer, in the viewer's language."""
    if status == 400:
        return Explanation(
            _("The request could not be understood"),
            _(
                "The page sent something the server could not read. "
                "Go back, reload the page and try again."
            ),
            "bad_request",
        )
    if status == 403:
        return Explanation(
            _("Not allowed"),
            _(
                "Your role in this workshop does not allow this. "
                "Ask one of its organisers if you need it."
            ),
            "forbidden",
        )
    if status == 404:
        return Explanation(
            _("Page not found"),
            _(
                "There is nothing at this address: the link may be incomplete, "
                "or what it pointed to was deleted."
            ),
            "not_found",
        )
    if status == 405:
        return Explanation(
            _("Not available this way"),
            _("This address cannot be opened this way. Use the page's links and buttons."),
            "method_not_allowed",
        )
    if status == 413:
        return Explanation(
            _("File too large"),
            _("That upload is larger than the server accepts. Agenda files may be at most 1 MiB."),
            "too_large",
        )
    if status == 429:
        return Explanation(
            _("Too many attempts"),
            _("Too many attempts from your network. Please wait a minute, then try again."),
            "rate_limited",
            _("Too many attempts. Please wait a minute, then try again."),
        )
    if status >= 500:
        return Explanation(
            _("Something went wrong"),
            _("The server could not answer this request. Please try again in a moment."),
            "internal_error",
        )
    return Explanation(
        _("The request could not be answered"), _("Go back and try again."), f"http_{status}"
    )


def wants_json() -> bool:
    """API paths, JSON bodies, and clients that rank JSON above HTML (a browser never does)."""
    accept = request.accept_mimetypes
    return (
        request.path.startswith("/api/")
        or request.is_json
        or accept["application/json"] > accept["text/html"]
    )


def json_error(status: int, code: str, message: str) -> Response:
    """The one shape of every error a program reads."""
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def _links(extra: Sequence[Link], phone: bool) -> list[Link]:
    home = (
        (url_for("participation.enter_code"), _("Enter a session code"))
        if phone
        else (url_for("agenda.dashboard"), _("Go to the start page"))
    )
    links: list[Link] = []
    for url, label in [*extra, home]:
        if all(url != kept for kept, _label in links):
            links.append((url, label))
    return links


def error_page(status: int, title: str, message: str, links: Sequence[Link] = ()) -> Response:
    phone = _on_a_phone()
    page = render_template(
        "errors/error.html",
        layout=PHONE_LAYOUT if phone else SITE_LAYOUT,
        status=status,
        title=title,
        message=message,
        links=_links(links, phone),
    )
    response = Response(page, status=status, mimetype="text/html")
    # The page holds a CSRF token (the language switch): never kept by a cache.
    response.headers["Cache-Control"] = "no-store"
    return response


def _answer(status: int, explained: Explanation, links: Sequence[Link] = ()) -> Response:
    if wants_json():
        message = explained.json_message or explained.message
        return json_error(status, explained.code, message)
    return error_page(status, explained.title, explained.message, links)


def _discard_unsaved() -> None:
    # After a crash the request's session may be mid-transaction: nothing of it is kept.
    session = g.get("db_session")
    if session is not None:
        session.rollback()


def handle_http_error(error: HTTPException) -> Response:
    status = error.code or 500
    if status >= 500:
        _discard_unsaved()
    explained = _explanation(status)
    links: list[Link] = []
    if isinstance(error, Refused):
        explained = Explanation(
            error.title or explained.title,
            error.message,
            error.error_code or explained.code,
        )
        links = [error.link] if error.link else []
    response = _answer(status, explained, links)
    if status == 429:
        known = error.retry_after if isinstance(error, Refused) else None
        response.headers["Retry-After"] = str(known) if known else RETRY_AFTER_S
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def handle_csrf_error(_error: CSRFError) -> Response:
    explained = Explanation(
        _("The form could not be sent"),
        _(
            "The form's security token was missing or out of date. "
            "Go back, reload the page and try again."
        ),
        "csrf_failed",
        _("Reload the page and try again."),
    )
    back = (page_to_show_again(request.full_path.rstrip("?")), _("Back"))
    return _answer(400, explained, [back])


def init_errors(app: Flask) -> None:
    # CSRFError is a BadRequest: its own handler wins, as Flask looks by status first.
    app.register_error_handler(CSRFError, handle_csrf_error)
    # Any other HTTP error, and any crash (Flask hands it over as an InternalServerError).
    app.register_error_handler(HTTPException, handle_http_error)
