"""Joining from a phone: the join code and URL, the join form, the phone page, QR codes.

Thin: the work is in participation.services. A wrong code and an ended
workshop get one identical answer, whichever route is asked; joins are
rate-limited per address, and the pages that take a code more generously.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

from babel import Locale
from flask import (
    Blueprint,
    current_app,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, refresh
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFError, generate_csrf
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.wrappers import Response

from facilitator.accounts.access import workshop_for
from facilitator.accounts.services import CAN_RUN
from facilitator.agenda.labels import ITEM_KINDS, item_kind_label
from facilitator.agenda.models import Workshop
from facilitator.agenda.schema import known_countries
from facilitator.database import utcnow
from facilitator.extensions import csrf, db, limiter, socketio
from facilitator.i18n import current_language, pick_text, supported_languages
from facilitator.live.codes import format_join_code, normalise_join_code
from facilitator.live.models import LiveState, Phase
from facilitator.live.opening import open_live
from facilitator.live.qr import join_url, qr_png, qr_svg
from facilitator.live.services import timer_of
from facilitator.live.views import live_view, ms, workshop_view
from facilitator.participation import services
from facilitator.participation.forms import STAKEHOLDER_LABELS, ApiJoin, JoinForm, Restore
from facilitator.participation.models import Participant
from facilitator.participation.services import JoinRefused, Profile
from facilitator.realtime import render
from facilitator.realtime.session import PARTICIPANT_COOKIE, base_url
from facilitator.web import language_name

bp = Blueprint("participation", __name__)

COOKIE_MAX_AGE_S = 30 * 24 * 3600  # a multi-day workshop, and the week after


class CodeNotFound(NotFound):
    """A wrong code, or the code of an ended workshop: one answer for both."""


def _join_limit() -> str:
    return str(current_app.config["JOIN_RATE_LIMIT"])


def _page_limit() -> str:
    return str(current_app.config["JOIN_PAGE_RATE_LIMIT"])


# Joining and restoring share one budget; pages that take a code share another,
# so guessing codes through any of them is slowed alike.
join_limit = limiter.shared_limit(_join_limit, scope="join", key_func=get_remote_address)
page_limit = limiter.shared_limit(_page_limit, scope="join-page", key_func=get_remote_address)


# --- helpers ---------------------------------------------------------------------------


def _no_such_code() -> NoReturn:
    raise CodeNotFound()


def _canonical(code: str) -> str:
    canonical = normalise_join_code(code)
    if canonical is None:
        _no_such_code()
    return canonical


def _open(code: str) -> tuple[Workshop, LiveState]:
    try:
        return services.open_workshop_by_code(db.session, code)
    except JoinRefused:
        _no_such_code()


def _speak(language: str) -> None:
    """Render the rest of this request in `language` (when the interface has it)."""
    g.page_language = language
    refresh()


def _visitor_language(workshop: Workshop) -> str:
    """For someone who has not joined: the one asked for, else the browser's, else the default."""
    asked = request.args.get("lang")
    if asked in services.participant_languages(workshop):
        return str(asked)
    best = request.accept_languages.best_match(services.participant_languages(workshop))
    return str(best) if best else workshop.default_language


def _participant_token() -> str | None:
    token = request.cookies.get(PARTICIPANT_COOKIE)
    return token if token and len(token) <= 64 else None


def _set_participant_cookie(response: Response, token: str) -> None:
    response.set_cookie(
        PARTICIPANT_COOKIE,
        token,
        max_age=COOKIE_MAX_AGE_S,
        path="/",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )


def _page(template: str, status: int = 200, **context: Any) -> Response:
    response = make_response(render_template(template, **context), status)
    # Pages hold a CSRF token or a participant's token: never kept by a cache.
    response.headers["Cache-Control"] = "no-store"
    return response


def _api_error(status: int, code: str, message: str) -> Response:
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def _after_commit(events: list[object]) -> None:
    render.after_commit(events, lambda sid: socketio.server.disconnect(sid, namespace="/"))


def _titles(workshop: Workshop) -> list[tuple[str, str]]:
    """The workshop's title in each of its languages, as (language, title), no repeats."""
    seen: set[str] = set()
    titles = []
    for language in workshop.languages:
        title = workshop.title.get(language)
        if title and title not in seen:
            seen.add(title)
            titles.append((language, title))
    return titles or [(workshop.default_language, pick_text(workshop.title, "en"))]


def _country_choices() -> list[tuple[str, str]]:
    try:
        names: Mapping[str, str] = Locale.parse(current_language()).territories
    except (ValueError, LookupError):
        names = Locale("en").territories
    countries = sorted(known_countries(), key=lambda code: names.get(code, code).casefold())
    return [("", _("Not given")), *((code, names.get(code, code)) for code in countries)]


def _prepare(form: JoinForm, workshop: Workshop, language: str) -> None:
    form.language.choices = [
        (code, language_name(code)) for code in services.participant_languages(workshop)
    ]
    form.country.choices = _country_choices()
    form.stakeholder_type.choices = [
        ("", _("Not given")),
        *((code, str(label)) for code, label in STAKEHOLDER_LABELS.items()),
    ]
    if not form.is_submitted():
        form.language.data = language


def _current_item(workshop: Workshop, state: LiveState) -> dict[str, Any] | None:
    item = state.current_item if state.phase is Phase.RUNNING else None
    if item is None:
        return None
    return {
        "title": pick_text(item.title, workshop.default_language),
        "kind": item_kind_label(item.kind) if item.kind else "",
        "people": item.people,
    }


REFUSALS = {
    "invalid_language": "language",
    "invalid_country": "country",
    "invalid_stakeholder_type": "stakeholder_type",
}


def _refusal_message(code: str) -> str:
    messages = {
        "invalid_language": _("Choose one of the session's languages."),
        "invalid_country": _("Choose a country from the list."),
        "invalid_stakeholder_type": _("Choose a type from the list."),
        "not_found": _("No session is open with this code."),
        "locked": _("Joining this session is closed."),
    }
    return str(messages.get(code) or _("The request could not be accepted."))


# --- errors of this blueprint --------------------------------------------------------


@bp.errorhandler(CodeNotFound)
def _code_not_found(_error: CodeNotFound) -> Response:
    # Nothing here may depend on the workshop: a wrong and an ended code look the same.
    if request.path.startswith("/api/"):
        return _api_error(404, "not_found", _refusal_message("not_found"))
    return _page("participation/not_found.html", 404)


@bp.errorhandler(429)
def _too_many_requests(_error: HTTPException) -> Response:
    if request.path.startswith("/api/") or request.is_json:
        response = _api_error(
            429, "rate_limited", _("Too many attempts. Please wait a minute, then try again.")
        )
    else:
        response = _page(
            "participation/error.html",
            429,
            title=_("Too many attempts"),
            message=_("Too many attempts from your network. Please wait a minute, then try again."),
        )
    response.headers.setdefault("Retry-After", "60")
    return response


@bp.errorhandler(CSRFError)
def _csrf_failed(_error: CSRFError) -> Response:
    if request.is_json:
        return _api_error(400, "csrf_failed", _("Reload the page and try again."))
    return _page(
        "participation/error.html",
        400,
        title=_("The form could not be sent"),
        message=_("The page was open for too long. Reload it and try again."),
        back=request.path,
    )


# --- typing a code -----------------------------------------------------------------------


@bp.get("/j")
def enter_code() -> Response:
    """A page to type the code; the code goes into the short URL."""
    typed = request.args.get("code")
    if typed is not None:
        code = normalise_join_code(typed[:64])
        if code is not None:
            return redirect(url_for(".join_page", code=code))
        return _page(
            "participation/enter.html",
            400,
            typed=typed[:64],
            error=_("A code has 8 letters and digits, like ABCD-EFGH."),
        )
    return _page("participation/enter.html", typed="", error=None)


# --- the join form and the phone page --------------------------------------------------


@bp.get("/j/<code>")
@page_limit
def join_page(code: str) -> Response:
    canonical = _canonical(code)
    if canonical != code:
        lang = request.args.get("lang")  # the page's language, kept through the redirect
        return redirect(url_for(".join_page", code=canonical, lang=lang))
    workshop, state = _open(canonical)
    token = _participant_token()
    me = services.recognise(db.session, workshop, token)
    if me is not None and token is not None:
        return _phone_page(workshop, state, me, token)
    _speak(_visitor_language(workshop))
    if state.joining_locked:
        return _locked_page(workshop)
    form = JoinForm()
    _prepare(form, workshop, _visitor_language(workshop))
    return _join_form(workshop, state, form, canonical)


@bp.post("/j/<code>")
@join_limit
def join(code: str) -> Response:
    canonical = _canonical(code)
    workshop, state = _open(canonical)
    if services.recognise(db.session, workshop, _participant_token()) is not None:
        return redirect(url_for(".join_page", code=canonical))  # a second tap: same person
    asked = request.form.get("language", "")
    language = (
        asked if asked in services.participant_languages(workshop) else _visitor_language(workshop)
    )
    _speak(language)
    if state.joining_locked:
        return _locked_page(workshop)
    form = JoinForm()
    _prepare(form, workshop, language)
    if not form.validate_on_submit():
        return _join_form(workshop, state, form, canonical, status=400)
    profile = Profile(
        language=form.language.data or "",
        display_name=form.display_name.data,
        organisation=form.organisation.data,
        country=form.country.data,
        stakeholder_type=form.stakeholder_type.data,
    )
    try:
        joined, events = services.join_opened(db.session, workshop, state, profile, utcnow())
    except JoinRefused as refusal:
        db.session.rollback()
        if refusal.code == "locked":
            return _locked_page(workshop)
        field = REFUSALS.get(refusal.code)
        if field is None:
            _no_such_code()
        getattr(form, field).errors = [_refusal_message(refusal.code)]
        return _join_form(workshop, state, form, canonical, status=400)
    db.session.commit()
    _after_commit(list(events))
    response = redirect(url_for(".join_page", code=canonical))
    _set_participant_cookie(response, joined.token)
    return response


@bp.post("/j/<code>/restore")
@join_limit
def restore(code: str) -> Response:
    """A phone that lost its cookie sends the token it kept in localStorage."""
    try:
        workshop, _state = services.open_workshop_by_code(db.session, code)
    except JoinRefused:
        return _api_error(404, "not_found", _refusal_message("not_found"))
    try:
        body = request.get_json(silent=True) if request.is_json else request.form.to_dict()
        token = Restore.model_validate(body).token
    except ValidationError:
        return _api_error(400, "invalid_payload", _("The request is not valid."))
    me = services.recognise(db.session, workshop, token)
    if me is None:
        return _api_error(404, "unknown_participant", _("This device is not part of the session."))
    response: Response = (
        jsonify({"ok": True, "participant": me.id})
        if request.is_json
        else redirect(url_for(".join_page", code=code))
    )
    response.headers["Cache-Control"] = "no-store"
    _set_participant_cookie(response, token)
    return response


def _join_form(
    workshop: Workshop, state: LiveState, form: JoinForm, code: str, status: int = 200
) -> Response:
    language = str(form.language.data or workshop.default_language)
    data = {
        "mode": "join",
        "workshop": workshop.slug,
        "storage_key": storage_key(workshop),
        "restore_url": url_for(".restore", code=code),
        "csrf_token": generate_csrf(),
    }
    return _page(
        "participation/join.html",
        status,
        workshop=workshop,
        titles=_titles(workshop),
        current=_current_item(workshop, state),
        form=form,
        code_value=code,
        language=language,
        languages=[
            (lang, language_name(lang)) for lang in services.participant_languages(workshop)
        ],
        data=data,
    )


def _locked_page(workshop: Workshop) -> Response:
    return _page("participation/locked.html", 403, titles=_titles(workshop))


def storage_key(workshop: Workshop) -> str:
    """Where phone.js keeps the participant's token for this workshop."""
    return f"facilitator.participant.{workshop.slug}"


def _phone_strings() -> dict[str, str]:
    return {
        "connecting": _("Connecting…"),
        "online": _("Online"),
        "offline": _("Offline: reconnecting…"),
        "refused": _("This device is no longer recognised in this session."),
        "waiting": _("Waiting for the session to start."),
        "ended": _("This session has ended. Thank you for taking part!"),
        "removed": _("You were removed from this session."),
        "time_left": _("Time left"),
        "overtime": _("Over time"),
        "paused": _("Paused"),
        "speakers": _("Speakers"),
        "message": _("Message from the moderators"),
        "changing": _("Changing the language…"),
    }


def _phone_page(workshop: Workshop, state: LiveState, me: Participant, token: str) -> Response:
    _speak(me.language)
    countries = {
        person.country: _country_name(person.country)
        for person in workshop.people
        if person.country
    }
    data = {
        "mode": "phone",
        "workshop": workshop.slug,
        "token": token,
        "participant": me.id,
        "storage_key": storage_key(workshop),
        "language": me.language,
        "default_language": workshop.default_language,
        "strings": _phone_strings(),
        "kinds": {code: str(label) for code, label in ITEM_KINDS.items()},
        "countries": countries,
        "initial": {
            "seq": state.seq,
            "server_ms": ms(utcnow()),
            "live": live_view(state),
            "workshop": workshop_view(workshop),
        },
    }
    remaining = timer_of(state).remaining_at(utcnow())
    return _page(
        "participation/phone.html",
        workshop=workshop,
        title=pick_text(workshop.title, workshop.default_language),
        state=state,
        phase=str(state.phase),
        current=_current_item(workshop, state),
        timer=_clock(remaining),
        me=me,
        languages=[
            (lang, language_name(lang)) for lang in services.participant_languages(workshop)
        ],
        data=data,
    )


def _country_name(code: str) -> str:
    try:
        return str(Locale.parse(current_language()).territories.get(code, code))
    except (ValueError, LookupError):
        return code


def _clock(seconds: float) -> str:
    """mm:ss as phone.js writes it, for the first paint before the script runs."""
    sign = "+" if seconds < 0 else ""
    total = int(abs(seconds)) if seconds < 0 else int(-(-seconds // 1))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes}:{secs:02d}"


# --- the JSON API ------------------------------------------------------------------------


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
        return _api_error(400, "invalid_payload", f"{where}: {first['msg']}")
    profile = Profile(
        language=payload.language,
        display_name=payload.display_name,
        organisation=payload.organisation,
        country=payload.country,
        stakeholder_type=payload.stakeholder_type,
    )
    try:
        joined, events = services.join(db.session, payload.code, profile, utcnow())
    except JoinRefused as refusal:
        db.session.rollback()
        status = {"not_found": 404, "locked": 409}.get(refusal.code, 400)
        return _api_error(status, refusal.code, _refusal_message(refusal.code))
    # Read before the commit: nothing needs loading again after it.
    answer = {
        "token": joined.token,
        "workshop": joined.workshop.slug,
        "participant": joined.participant.id,
    }
    db.session.commit()
    _after_commit(list(events))
    response = jsonify(answer)
    response.status_code = 201
    response.headers["Cache-Control"] = "no-store"
    return response


csrf.exempt(api_join)  # no cookies, no session: a token in the answer, nothing to forge


# --- QR codes and the handout ------------------------------------------------------------


def _join_url_of(code: str) -> str:
    return join_url(base_url(), code)


@bp.get("/j/<code>/qr.svg")
@page_limit
def qr_svg_image(code: str) -> Response:
    canonical = _canonical(code)
    _open(canonical)
    svg = qr_svg(_join_url_of(canonical), title=_("QR code to join the session"))
    response = make_response(svg)
    response.mimetype = "image/svg+xml"
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.get("/j/<code>/qr.png")
@page_limit
def qr_png_image(code: str) -> Response:
    canonical = _canonical(code)
    workshop, _state = _open(canonical)
    response = make_response(qr_png(_join_url_of(canonical)))
    response.mimetype = "image/png"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{workshop.slug}-join-{canonical}.png"'
    )
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


def _instructions(code: str, url: str) -> list[str]:
    return [
        _("Scan the QR code with your phone's camera."),
        _("Or open %(url)s and type the code %(code)s.", url=url, code=code),
        _("No account is needed: choose your language, and a name if you wish."),
    ]


def _handout_blocks(workshop: Workshop, code: str, enter_url: str) -> list[dict[str, Any]]:
    """For each of the workshop's languages: its title and the instructions in it.

    Nothing is said twice: a title given once for several languages, or
    instructions not translated yet, are shown once.
    """
    blocks: list[dict[str, Any]] = []
    titles: set[str] = set()
    interface = supported_languages()
    for language in workshop.languages:
        title = workshop.title.get(language)
        instructions: list[str] = []
        if language.split("-")[0] in interface:
            with force_locale(language.split("-")[0]):
                instructions = _instructions(code, enter_url)
        if title in titles:
            title = None
        if any(block["instructions"] == instructions for block in blocks):
            instructions = []
        if title:
            titles.add(title)
        if title or instructions:
            blocks.append({"language": language, "title": title, "instructions": instructions})
    if not titles:
        title = pick_text(workshop.title, workshop.default_language)
        blocks.insert(
            0, {"language": workshop.default_language, "title": title, "instructions": []}
        )
    return blocks


@bp.get("/w/<slug>/handout")
def handout(slug: str) -> Response:
    """A printable A4 page to put on tables: titles, a big QR code, the code and the URL."""
    workshop = workshop_for(slug, CAN_RUN)
    state = open_live(db.session, workshop)  # the first look at its code makes the row
    url = _join_url_of(state.join_code)
    shown_code = format_join_code(state.join_code)
    enter_url = base_url().rstrip("/") + url_for(".enter_code")
    return _page(
        "participation/handout.html",
        workshop=workshop,
        blocks=_handout_blocks(workshop, shown_code, enter_url),
        code=shown_code,
        workshop_code=state.join_code,
        url=url,
        qr=qr_svg(url, title=_("QR code to join the session"), inline=True),
    )
