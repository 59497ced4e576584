"""Joining from a phone: typing a code, the join form, restoring a lost cookie."""

from __future__ import annotations

from collections.abc import Mapping

from babel import Locale
from flask import g, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_wtf.csrf import generate_csrf
from pydantic import ValidationError
from werkzeug.wrappers import Response

from facilitator.agenda.models import Workshop
from facilitator.agenda.schema import known_countries
from facilitator.database import utcnow
from facilitator.errors import json_error, phone_page
from facilitator.extensions import db
from facilitator.i18n import current_language, pick_text
from facilitator.live.codes import normalise_join_code
from facilitator.live.models import LiveState
from facilitator.participation import phone, services
from facilitator.participation.blueprint import (
    bp,
    canonical,
    check_code_ceiling,
    commit_then_emit,
    count_wrong_code,
    join_limit,
    no_such_code,
    open_by_code,
    page,
    page_limit,
    participant_token,
    refusal_message,
    set_participant_cookie,
)
from facilitator.participation.forms import STAKEHOLDER_LABELS, JoinForm, Restore
from facilitator.participation.services import JoinRefused, Profile
from facilitator.web import language_name

REFUSALS = {
    "invalid_language": "language",
    "invalid_country": "country",
    "invalid_stakeholder_type": "stakeholder_type",
}


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


# --- typing a code -----------------------------------------------------------------------


@bp.get("/j")
@phone_page
def enter_code() -> Response:
    """A page to type the code; the code goes into the short URL."""
    typed = request.args.get("code")
    if typed is not None:
        code = normalise_join_code(typed[:64])
        if code is not None:
            return redirect(url_for(".join_page", code=code))
        return page(
            "participation/enter.html",
            400,
            typed=typed[:64],
            error=_("A code has 8 letters and digits, like ABCD-EFGH."),
        )
    return page("participation/enter.html", typed="", error=None)


# --- the join form and the phone page --------------------------------------------------


@bp.get("/j/<code>")
@phone_page
@page_limit
def join_page(code: str) -> Response:
    found = canonical(code)
    if found != code:
        lang = request.args.get("lang")  # the page's language, kept through the redirect
        return redirect(url_for(".join_page", code=found, lang=lang))
    workshop, state = open_by_code(found)
    token = participant_token()
    me = services.recognise(db.session, workshop, token)
    if me is not None and token is not None:
        _speak(me.language)
        return phone.phone_page(workshop, state, me, token)
    _speak(_visitor_language(workshop))
    if state.joining_locked:
        return _locked_page(workshop)
    form = JoinForm()
    _prepare(form, workshop, _visitor_language(workshop))
    return _join_form(workshop, state, form, found)


@bp.post("/j/<code>")
@phone_page
@join_limit
def join(code: str) -> Response:
    found = canonical(code)
    workshop, state = open_by_code(found)
    if services.recognise(db.session, workshop, participant_token()) is not None:
        return redirect(url_for(".join_page", code=found))  # a second tap: same person
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
        return _join_form(workshop, state, form, found, status=400)
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
            no_such_code()
        getattr(form, field).errors = [refusal_message(refusal.code)]
        return _join_form(workshop, state, form, found, status=400)
    commit_then_emit(list(events))
    response = redirect(url_for(".join_page", code=found))
    set_participant_cookie(response, joined.token)
    return response


@bp.post("/j/<code>/restore")
@phone_page
@join_limit
def restore(code: str) -> Response:
    """A phone that lost its cookie sends the token it kept in localStorage."""
    check_code_ceiling()
    try:
        workshop, _state = services.open_workshop_by_code(db.session, code)
    except JoinRefused:
        count_wrong_code()
        return json_error(404, "not_found", refusal_message("not_found"))
    try:
        body = request.get_json(silent=True) if request.is_json else request.form.to_dict()
        token = Restore.model_validate(body).token
    except ValidationError:
        return json_error(400, "invalid_payload", _("The request is not valid."))
    me = services.recognise(db.session, workshop, token)
    if me is None:
        return json_error(404, "unknown_participant", _("This device is not part of the session."))
    response: Response = (
        jsonify({"ok": True, "participant": me.id})
        if request.is_json
        else redirect(url_for(".join_page", code=code))
    )
    response.headers["Cache-Control"] = "no-store"
    set_participant_cookie(response, token)
    return response


def _join_form(
    workshop: Workshop, state: LiveState, form: JoinForm, code: str, status: int = 200
) -> Response:
    language = str(form.language.data or workshop.default_language)
    data = {
        "mode": "join",
        "workshop": workshop.slug,
        "storage_key": phone.storage_key(workshop),
        "restore_url": url_for(".restore", code=code),
        "csrf_token": generate_csrf(),
    }
    return page(
        "participation/join.html",
        status,
        workshop=workshop,
        titles=_titles(workshop),
        current=phone.current_item(workshop, state),
        form=form,
        code_value=code,
        language=language,
        languages=[
            (lang, language_name(lang)) for lang in services.participant_languages(workshop)
        ],
        data=data,
    )


def _locked_page(workshop: Workshop) -> Response:
    return page("participation/locked.html", 403, titles=_titles(workshop))
