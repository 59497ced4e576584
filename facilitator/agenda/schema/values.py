"""The value types of the format: ids, codes, addresses, times, dates, durations.

Each is an `Annotated` type that checks (or reads) the value, raises `RuleError`
with a moderator's message when it is wrong, and says how it looks in the JSON
Schema. URLs must be http or https, since they are shown as links; `XK` (Kosovo)
is accepted as a country beside ISO 3166-1.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated

from pydantic import (
    AfterValidator,
    Field,
    PlainSerializer,
    PlainValidator,
    Strict,
    WithJsonSchema,
)

from facilitator.agenda.errors import N_
from facilitator.agenda.schema.codes import (
    COUNTRY_PATTERN,
    LANGUAGE_PATTERN,
    check_country,
    check_language,
    check_timezone,
)
from facilitator.agenda.schema.findings import LISTED_TWICE, Finding, RuleError

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{2,63}$"
ID_PATTERN = r"^[a-z0-9-]+$"
SLUG_LIKE_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
CLOCK_PATTERN = r"^(?:[01]?[0-9]|2[0-3]):[0-5][0-9]$"
DURATION_PATTERN = r"^(?=\d)(?:(\d+)h)?(?:(\d+)m)?$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
URL_PATTERN = r"^https?://[^\s/$.?#][^\s]*$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def _check_slug(value: str) -> str:
    if not re.fullmatch(SLUG_PATTERN, value):
        raise RuleError.single(
            N_(
                "%(value)r is not a valid slug: use 3 to 64 lowercase letters, digits and"
                " hyphens, starting with a letter or digit"
            ),
            value=value,
        )
    return value


def _check_id(value: str) -> str:
    if not re.fullmatch(ID_PATTERN, value):
        raise RuleError.single(
            N_("%(value)r is not a valid id: use lowercase letters, digits and hyphens only"),
            value=value,
        )
    return value


def _check_slug_like(value: str) -> str:
    if not re.fullmatch(SLUG_LIKE_PATTERN, value):
        raise RuleError.single(
            N_(
                "%(value)r should be lowercase words joined by hyphens,"
                " like 'local-government-network'"
            ),
            value=value,
        )
    return value


def _check_url(value: str) -> str:
    if not re.fullmatch(URL_PATTERN, value):
        raise RuleError.single(
            N_("%(value)r is not a web address starting with https:// or http://"), value=value
        )
    return value


def _check_email(value: str) -> str:
    if not re.fullmatch(EMAIL_PATTERN, value):
        raise RuleError.single(N_("%(value)r is not an email address"), value=value)
    return value


def no_repeats(values: list[str]) -> list[str]:
    seen: set[str] = set()
    findings = []
    for index, value in enumerate(values):
        if value in seen:
            findings.append(Finding((index,), LISTED_TWICE, {"value": value}))
        seen.add(value)
    if findings:
        raise RuleError(findings)
    return values


def _parse_clock(value: object) -> time:
    if isinstance(value, time) and not (value.second or value.microsecond or value.tzinfo):
        return value
    if isinstance(value, str) and re.fullmatch(CLOCK_PATTERN, value):
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))
    raise RuleError.single(
        N_('%(value)r is not a time of day; write it in quotes, like "18:00"'), value=value
    )


def _parse_date(value: object) -> date:
    if isinstance(value, datetime):
        raise RuleError.single(
            N_("has a time of day; write only the date, like 2021-10-08"), value=str(value)
        )
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(DATE_PATTERN, value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise RuleError.single(N_("%(value)r is not a date; write it like 2021-10-08"), value=value)


def duration_minutes(text: str) -> int:
    """Minutes in a duration like `10m`, `1h` or `1h30m` (already validated)."""
    match = re.fullmatch(DURATION_PATTERN, text)
    assert match is not None
    hours, minutes = match.groups()
    return int(hours or 0) * 60 + int(minutes or 0)


def _parse_duration(value: object) -> str:
    if not isinstance(value, str) or not re.fullmatch(DURATION_PATTERN, value):
        raise RuleError.single(
            N_("%(value)r is not a duration; write minutes and hours like 10m, 1h or 1h30m"),
            value=value,
        )
    if duration_minutes(value) == 0:
        raise RuleError.single(N_("a duration must be longer than zero"), value=value)
    return value


def _string_schema(pattern: str) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "pattern": pattern})


def format_clock(value: time) -> str:
    return value.strftime("%H:%M")


def _format_date(value: date) -> str:
    return value.isoformat()


Name = Annotated[str, Field(min_length=1)]
Slug = Annotated[str, AfterValidator(_check_slug), _string_schema(SLUG_PATTERN)]
Identifier = Annotated[str, AfterValidator(_check_id), _string_schema(ID_PATTERN)]
SlugLike = Annotated[str, AfterValidator(_check_slug_like), _string_schema(SLUG_LIKE_PATTERN)]
LanguageCode = Annotated[str, AfterValidator(check_language), _string_schema(LANGUAGE_PATTERN)]
CountryCode = Annotated[str, AfterValidator(check_country), _string_schema(COUNTRY_PATTERN)]
TimeZoneName = Annotated[str, AfterValidator(check_timezone), WithJsonSchema({"type": "string"})]
WebUrl = Annotated[str, AfterValidator(_check_url), _string_schema(URL_PATTERN)]
Email = Annotated[str, AfterValidator(_check_email), _string_schema(EMAIL_PATTERN)]
Clock = Annotated[
    time,
    PlainValidator(_parse_clock),
    PlainSerializer(format_clock, return_type=str, when_used="json"),
    _string_schema(CLOCK_PATTERN),
]
IsoDate = Annotated[
    date,
    PlainValidator(_parse_date),
    PlainSerializer(_format_date, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date"}),
]
Duration = Annotated[str, PlainValidator(_parse_duration), _string_schema(DURATION_PATTERN)]
Count = Annotated[int, Strict(), Field(ge=0)]
DayNumber = Annotated[int, Strict(), Field(ge=1)]
Whole = Annotated[int, Strict()]
Languages = Annotated[list[LanguageCode], AfterValidator(no_repeats)]
TimeZones = Annotated[list[TimeZoneName], AfterValidator(no_repeats)]
