"""The page of a participant who has joined: its first paint, and what phone.js needs."""

from __future__ import annotations

from typing import Any

from babel import Locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from facilitator.agenda.labels import ITEM_KINDS, item_kind_label
from facilitator.agenda.models import Workshop
from facilitator.agenda.schema import known_countries
from facilitator.breakouts import screens as breakout_screens
from facilitator.database import utcnow
from facilitator.extensions import db
from facilitator.i18n import current_language, pick_text
from facilitator.live.models import LiveState, Phase
from facilitator.live.services import timer_of
from facilitator.live.wire import live_view, ms, workshop_view
from facilitator.participation import services
from facilitator.participation.blueprint import page
from facilitator.participation.models import Participant
from facilitator.questions.phone_strings import phone_speakers, phone_strings
from facilitator.realtime.connect import stream_numbers
from facilitator.realtime.connections import Principal
from facilitator.web import language_name


def storage_key(workshop: Workshop) -> str:
    """Where phone.js keeps the participant's token for this workshop."""
    return f"facilitator.participant.{workshop.slug}"


def current_item(workshop: Workshop, state: LiveState) -> dict[str, Any] | None:
    item = state.current_item if state.phase is Phase.RUNNING else None
    if item is None:
        return None
    return {
        "title": pick_text(item.title, workshop.default_language),
        "kind": item_kind_label(item.kind) if item.kind else "",
        "people": item.people,
    }


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
        "profile_saved": _("Saved. You can change it at any time."),
        "profile_failed": _("That was not saved; check the country and type."),
    }


def profile_choices() -> dict[str, list[tuple[str, str]]]:
    """The optional step's lists, in the participant's language (countries by name)."""
    from facilitator.participation.forms import (  # forms imports services
        ORGANISATION_TYPE_LABELS,
        STAKEHOLDER_LABELS,
    )

    try:
        names = Locale.parse(current_language()).territories
    except (ValueError, LookupError):
        names = Locale("en").territories
    countries = sorted(known_countries(), key=lambda code: names.get(code, code).casefold())
    return {
        "countries": [("", _("Not given")), *((c, names.get(c, c)) for c in countries)],
        "types": [("", _("Not given")), *((k, str(v)) for k, v in STAKEHOLDER_LABELS.items())],
        "organisation_types": [
            ("", _("Not given")),
            *((k, str(v)) for k, v in ORGANISATION_TYPE_LABELS.items()),
        ],
    }


def phone_page(workshop: Workshop, state: LiveState, me: Participant, token: str) -> Response:
    """Rendered in the participant's language (the caller has set it)."""
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
        "strings": {**_phone_strings(), **phone_strings()},
        "speakers": phone_speakers(workshop),
        # A session without guideline blocks runs no breakouts: its phones get none of
        # their strings (the phone's weight; an agenda that gains blocks reloads it).
        "breakouts": breakout_screens.phone_data(workshop)
        if breakout_screens.has_breakouts(workshop)
        else None,
        "kinds": {code: str(label) for code, label in ITEM_KINDS.items()},
        "countries": countries,
        "initial": {
            "streams": stream_numbers(
                db.session, Principal("participant", workshop.id, participant_id=me.id)
            ),
            "server_ms": ms(utcnow()),
            "live": live_view(state),
            "workshop": workshop_view(workshop),
        },
    }
    remaining = timer_of(state).remaining_at(utcnow())
    return page(
        "participation/phone.html",
        workshop=workshop,
        title=pick_text(workshop.title, workshop.default_language),
        state=state,
        phase=str(state.phase),
        current=current_item(workshop, state),
        timer=_clock(remaining),
        me=me,
        choices=profile_choices(),
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
