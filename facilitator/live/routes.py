"""Pages of the run-of-show: the moderator console and the projector.

Both pages are skeletons: the server renders the fixed parts and the page-data
(translated labels, links, the join code), the browser fills in the live parts
from the `live.sync` snapshot and the events that follow it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.wrappers import Response

from facilitator.accounts.access import login_required, workshop_for
from facilitator.accounts.services import CAN_RUN
from facilitator.agenda.labels import ITEM_KINDS
from facilitator.agenda.models import Workshop
from facilitator.breakouts import screens as breakout_screens
from facilitator.errors import Refused
from facilitator.extensions import db
from facilitator.i18n import current_language, pick_text
from facilitator.live import qr
from facilitator.live.models import LiveState
from facilitator.live.opening import open_live
from facilitator.live.services import MAX_MESSAGE_LENGTH
from facilitator.live.wire import join_view
from facilitator.participation.services import participant_languages
from facilitator.public_url import base_url, request_public_base
from facilitator.questions.console_strings import console_errors, console_strings
from facilitator.web import language_name

bp = Blueprint("live", __name__)

TOKEN_MAX = 64


def _zone_label(workshop: Workshop) -> str:
    """'Asia/Seoul (KST)': the zone every planned time on the console is in."""
    moment = datetime.now(ZoneInfo(workshop.timezone))
    if workshop.days:
        moment = datetime.combine(
            workshop.days[0].date, workshop.days[0].start, ZoneInfo(workshop.timezone)
        )
    short = moment.tzname() or ""
    if not short or short.startswith(("+", "-")) or short == workshop.timezone:
        return workshop.timezone
    return f"{workshop.timezone} ({short})"


def _days(workshop: Workshop) -> list[dict[str, Any]]:
    days = []
    for day in workshop.days:
        date_text = str(format_date(day.date, format="full"))
        title = pick_text(day.title, workshop.default_language) if day.title else ""
        days.append(
            {"day": day.position, "label": f"{title} — {date_text}" if title else date_text}
        )
    return days


def _languages(workshop: Workshop) -> dict[str, str]:
    # Every language a participant may pick, not only the session's own.
    return {code: language_name(code) for code in participant_languages(workshop)}


def _error_messages() -> dict[str, str]:
    """What an error code of an acknowledgement means, for the moderator."""
    return {
        "already_started": _("The session has already started."),
        "no_next_item": _("This is the last item: there is no next one."),
        "not_running": _("The session is not running."),
        "timer_paused": _("The timer is already paused."),
        "timer_running": _("The timer is already running."),
        "timer_out_of_range": _("The timer must stay above zero and at most 24 hours."),
        "message_length": _("A message has 1 to %(max)s characters.", max=MAX_MESSAGE_LENGTH),
        "forbidden": _("You may not do this. Log in again if your role has changed."),
        "rate_limited": _("Too many actions at once; wait a moment and try again."),
        "bad_payload": _("The server did not understand the request."),
        "internal_error": _("The server failed and changed nothing; try again."),
        "unknown_item": _("That item is no longer in the program."),
        "already_current": _("That item is already the current one."),
        "ended": _("The session has ended."),
        "unknown_participant": _("That participant is not in this session."),
        "confirmation_mismatch": _(
            "To reset, type the session's id exactly as shown; nothing was reset."
        ),
        "generic": _("That did not work (%(code)s).", code="{code}"),
    }


def _console_strings() -> dict[str, str]:
    # Placeholders such as {minutes} are filled in by console.js.
    return {
        "status_connecting": _("Connecting…"),
        "status_online": _("Online"),
        "status_offline": _("Offline: your actions wait and are sent when back online"),
        "status_refused": _("The server refused the connection: log in again"),
        "pending": _("Not yet sent: %(count)s", count="{count}"),
        "phase_waiting": _("Not started"),
        "phase_running": _("Running"),
        "phase_ended": _("Ended"),
        "start": _("Start the session"),
        "next": _("Next item"),
        "next_named": _("Next: %(title)s", title="{title}"),
        "skipped": _("Skipped"),
        "pause": _("Pause"),
        "resume": _("Resume"),
        "no_current": _("No item is running."),
        "session_ended": _("The session has ended."),
        "timer_paused": _("Paused"),
        "timer_over": _("Over time"),
        "drift_behind": _("%(minutes)s min behind", minutes="{minutes}"),
        "drift_ahead": _("%(minutes)s min ahead", minutes="{minutes}"),
        "on_time": _("On time"),
        "actual": _("Actual"),
        "expected": _("Expected %(time)s", time="{time}"),
        "started_at": _("started %(time)s", time="{time}"),
        "ended_at": _("ended %(time)s", time="{time}"),
        "confirm_goto": _(
            "Move everyone to “%(title)s”? The current item ends now.", title="{title}"
        ),
        "confirm_end": _("End the session for everyone? This cannot be undone."),
        "confirm_remove": _(
            "Remove %(name)s from the session? Their devices are disconnected.", name="{name}"
        ),
        "go_to": _("Go to this item"),
        "joining_open": _("Joining is open."),
        "joining_locked": _("Joining is locked: nobody new can join."),
        "lock": _("Lock joining"),
        "unlock": _("Unlock joining"),
        "message_none": _("No message is shown."),
        "message_shown": _("Shown on every screen:"),
        "message_count": _("%(count)s / %(max)s characters", count="{count}", max="{max}"),
        "anonymous": _("Anonymous"),
        "connected": _("connected"),
        "not_connected": _("not connected"),
        "remove": _("Remove"),
        "remove_named": _("Remove %(name)s", name="{name}"),
        "nobody": _("Nobody has joined yet."),
        "unknown_language": _("Other"),
    }


@bp.get("/w/<slug>/console")
@login_required
def console(slug: str) -> str:
    workshop = workshop_for(slug, CAN_RUN)
    state = open_live(db.session, workshop)
    # The configured public URL: the projector may be a machine outside the venue's proxy.
    public = request_public_base()
    display_url = public.url.rstrip("/") + url_for(".display", token=state.display_token)
    data = {
        "slug": workshop.slug,
        "locale": current_language(),
        "language": current_language(),
        "default_language": workshop.default_language,
        "timezone": workshop.timezone,
        "days": _days(workshop),
        "languages": _languages(workshop),
        "kinds": {code: str(label) for code, label in ITEM_KINDS.items()},
        "strings": {**_console_strings(), **console_strings()},
        "errors": {**_error_messages(), **console_errors()},
        "display_url": display_url,
        "join": join_view(state, public.url),
        "max_message": MAX_MESSAGE_LENGTH,
        # Breakouts need guideline blocks: without them the console shows no such panel
        # (its controls stay above the fold of a laptop).
        "breakouts": breakout_screens.console_data(workshop)
        if breakout_screens.has_breakouts(workshop)
        else None,
    }
    return render_template(
        "live/console.html",
        workshop=workshop,
        data=data,
        display_url=display_url,
        join=data["join"],
        join_reachable=public.reachable,
        zone_label=_zone_label(workshop),
        max_message=MAX_MESSAGE_LENGTH,
    )


@bp.get("/w/<slug>/display")
@login_required
def open_display(slug: str) -> Response:
    """The organiser's way to the projector link (which carries the token)."""
    workshop = workshop_for(slug, CAN_RUN)
    state = open_live(db.session, workshop)
    return redirect(url_for(".display", token=state.display_token))


def _babel_locale(language: str) -> str:
    """A workshop language (BCP 47, 'pt-BR') as a locale Babel knows, else English."""
    try:
        return str(Locale.parse(language.replace("-", "_")))
    except (ValueError, UnknownLocaleError):
        return "en"


@contextmanager
def _speaking(language: str) -> Iterator[None]:
    with force_locale(_babel_locale(language)):
        yield


def _display_strings() -> dict[str, str]:
    # What display.js writes; the fixed labels are in the template.
    return {
        "next": _("Next"),
        "paused": _("Paused"),
        "over": _("Over time"),
        "online": _("Online"),
        "offline": _("Offline"),
        "connecting": _("Connecting…"),
        "refused": _("This display link is no longer valid"),
        "last_item": _("Last item"),
    }


@bp.get("/d/<token>")
def display(token: str) -> Response:
    """The projector: no login, the unguessable token is the key."""
    state = db.session.scalar(select(LiveState).where(LiveState.display_token == token[:TOKEN_MAX]))
    if state is None:
        raise Refused(
            404,
            _("Ask the moderators for the projector link: it is on their console."),
            title=_("This display link is no longer valid"),
        )
    workshop = state.workshop
    # `?lang=en,fr`: a bilingual room sees title and items in both, stacked; the first
    # language is the screen's own (its labels), the second is added under it.
    asked = [code for code in request.args.get("lang", "").split(",") if code in workshop.languages]
    languages = list(dict.fromkeys(asked))[:2] or [workshop.default_language]
    language = languages[0]
    join = join_view(state, base_url())
    with _speaking(language):
        data = {
            "token": token,
            "language": language,
            "languages": languages,
            "locale": language,
            "default_language": workshop.default_language,
            "timezone": workshop.timezone,
            "strings": _display_strings(),
            "kinds": {code: str(label) for code, label in ITEM_KINDS.items()},
            "join": join,
            "breakouts": breakout_screens.display_data(workshop),
        }
        page = render_template(
            "live/display.html",
            workshop=workshop,
            language=language,
            phase=str(state.phase),
            title=_pick_text_in(workshop.title, language, workshop.default_language),
            titles=_titles_in(workshop, languages),
            data=data,
            join=join,
            short_url=join["url"].split("://", 1)[-1],
            qr_svg=Markup(
                qr.qr_svg(
                    join["url"], title=_("QR code to join: %(url)s", url=join["url"]), inline=True
                )
            ),
        )
    response = current_app.make_response(page)
    # The token is the key to this page: keep it out of caches and search engines.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _titles_in(workshop: Workshop, languages: list[str]) -> list[tuple[str, str]]:
    """The title in each of the screen's languages, (language, text), none twice."""
    titles: list[tuple[str, str]] = []
    for code in languages:
        title = _pick_text_in(workshop.title, code, workshop.default_language)
        if title and title not in (seen for _, seen in titles):
            titles.append((code, title))
    return titles


def _pick_text_in(text: dict[str, str] | str | None, language: str, default: str) -> str:
    """Agenda text in `language` (the display's), else the workshop's default."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    for candidate in (language, default):
        if candidate in text:
            return text[candidate]
    base = language.split("-")[0]
    for key, value in text.items():
        if key.split("-")[0] == base:
            return value
    return next(iter(text.values()), "")
