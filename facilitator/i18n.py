"""Which language a page speaks, and how agenda text and times are shown in it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton, get_timezone_name
from flask import current_app, g, request, session
from flask_babel import get_locale

SESSION_KEY = "lang"


def supported_languages() -> Sequence[str]:
    languages: Sequence[str] = current_app.config["LANGUAGES"]
    return languages


def select_locale() -> str:
    """The page's own language, else the user's explicit choice, else the browser's, else English.

    A page about a workshop may set `g.page_language` (a participant's chosen
    language, else the workshop's default): it wins when the interface speaks it.
    """
    page = g.get("page_language")
    if isinstance(page, str) and page.split("-")[0] in supported_languages():
        return page.split("-")[0]
    chosen = session.get(SESSION_KEY)
    if chosen in supported_languages():
        return str(chosen)
    return request.accept_languages.best_match(supported_languages()) or "en"


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "en"


def pick_text(text: Mapping[str, str] | str | None, default_language: str) -> str:
    """The text in the viewer's language when the agenda has it, else the default."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    language = current_language()
    for candidate in (language, default_language):
        if candidate in text:
            return text[candidate]
    # `pt` viewer, `pt-BR` text: match on the base language.
    for key, value in text.items():
        if key.split("-")[0] == language:
            return value
    return next(iter(text.values()), "")


def text_language(text: Mapping[str, str] | str | None, default_language: str) -> str:
    """The language pick_text shows, for the `lang` attribute of the element."""
    if text is None or isinstance(text, str):
        return default_language
    language = current_language()
    if language in text:
        return language
    for key in text:
        if key.split("-")[0] == language:
            return key
    return default_language if default_language in text else next(iter(text), default_language)


def zoned(day: date, at: time, zone: str) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone))


def format_zoned_time(moment: datetime, zone: str) -> str:
    """'18:00 KST'-style: the time in `zone` with the zone's short name, in the UI locale.

    Always a 24-hour clock (in the locale's own way of writing it): programs of
    international sessions are read across continents, where "6:00 PM" is ambiguous
    to half the room.
    """
    tz = ZoneInfo(zone)
    locale = str(get_locale() or "en")
    local = moment.astimezone(tz)
    short = local.tzname() or zone
    if short.startswith(("+", "-")):  # zones without an abbreviation
        short = get_timezone_name(local, width="short", locale=locale)
    return f"{format_skeleton('Hm', local, tzinfo=tz, locale=locale)} {short}"
