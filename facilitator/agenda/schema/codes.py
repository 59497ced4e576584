"""Codes from registries the format refers to: languages, countries, time zones."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Mapping
from functools import lru_cache

from babel import Locale

from facilitator.agenda.errors import N_
from facilitator.agenda.schema.findings import RuleError, did_you_mean

LANGUAGE_PATTERN = r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?$"
COUNTRY_PATTERN = r"^[A-Z]{2}$"

# Codes babel lists as territories that ISO 3166-1 does not assign to a country.
_NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
)
# Codes people write that are not the ISO ones.
_COUNTRY_ALIASES = {"UK": "GB", "EL": "GR"}


@lru_cache(maxsize=1)
def known_countries() -> frozenset[str]:
    territories: Mapping[str, str] = Locale("en").territories
    return frozenset(
        code
        for code in territories
        if re.fullmatch("[A-Z]{2}", code) and code not in _NOT_COUNTRIES
    )


@lru_cache(maxsize=1)
def known_languages() -> frozenset[str]:
    languages: Mapping[str, str] = Locale("en").languages
    return frozenset(code for code in languages if re.fullmatch("[a-z]{2,3}", code))


@lru_cache(maxsize=1)
def known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _canonical_language_case(value: str) -> str:
    """`pt_br` -> `pt-BR`: the case BCP 47 recommends for each subtag."""
    parts = value.replace("_", "-").split("-")
    fixed = [parts[0].lower()]
    for part in parts[1:]:
        fixed.append(part.title() if len(part) == 4 else part.upper())
    return "-".join(fixed)


def check_language(value: str) -> str:
    if not re.fullmatch(LANGUAGE_PATTERN, value):
        suggestion = _canonical_language_case(value)
        if suggestion != value and re.fullmatch(LANGUAGE_PATTERN, suggestion):
            raise RuleError.single(
                N_("%(value)r is not a language code as expected; write it as %(suggestion)r"),
                value=value,
                suggestion=suggestion,
            )
        raise RuleError.single(
            N_("%(value)r is not a language code like 'en', 'fr' or 'pt-BR'"), value=value
        )
    primary, *subtags = value.split("-")
    if primary not in known_languages():
        raise RuleError.single(N_("%(value)r is not a known language"), value=value)
    region = subtags[-1] if subtags and len(subtags[-1]) == 2 else None
    if region is not None and region not in known_countries():
        raise RuleError.single(
            N_("%(value)r names an unknown region %(region)r"), value=value, region=region
        )
    return value


def check_country(value: str) -> str:
    if value in known_countries():
        return value
    suggestion = _COUNTRY_ALIASES.get(value.upper()) or value.upper()
    if suggestion in known_countries():
        raise RuleError.single(
            N_("%(value)r is not an ISO country code (did you mean %(suggestion)r?)"),
            value=value,
            suggestion=suggestion,
        )
    raise RuleError.single(
        N_("%(value)r is not an ISO 3166-1 two-letter country code like 'KR' or 'FR'"),
        value=value,
    )


def check_timezone(value: str) -> str:
    if value in known_timezones():
        return value
    suggestion = did_you_mean(value, known_timezones())
    if suggestion is not None:
        raise RuleError.single(
            N_("unknown time zone %(value)r (did you mean %(suggestion)r?)"),
            value=value,
            suggestion=suggestion,
        )
    raise RuleError.single(
        N_("unknown time zone %(value)r; use a name like 'Asia/Seoul' or 'UTC'"), value=value
    )
