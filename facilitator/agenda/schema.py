"""The agenda file format `facilitator/agenda@1` as pydantic models.

`Agenda.model_validate(data)` enforces every rule of the format: the shape of
each value (field validators) and the rules that span fields (model
validators). A rule that fails raises `RuleError`, a `ValueError` carrying
structured `Finding`s (a path relative to the model, an `N_` template and its
parameters), so that `parsing` can point at the offending line and show the
message in the reader's language.

YAML shape choices the format page leaves open:

- `venue: online` marks an online session; only then may the top-level key
  `meeting_url` (an http or https address) sit beside it.
- An item's `duration` is turned into `end` on validation, so a loaded agenda
  always has `end` and never `duration`; `agenda_to_data` writes `end`.
- Text is a string or a mapping {language: string}; blank strings are refused
  (leave an optional key out instead).
- URLs (`meeting_url`, materials) must be http or https, since they are shown
  as links; `XK` (Kosovo) is accepted as a country beside ISO 3166-1.
"""

from __future__ import annotations

import difflib
import re
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any, Literal, Self

import yaml
from babel import Locale
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    Strict,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from facilitator.agenda.errors import N_

FORMAT = "facilitator/agenda@1"
MAX_PROGRAM_ITEMS = 2000

FieldPath = tuple[str | int, ...]


# --- Findings: rule failures with a place and a translatable message ---------


@dataclass(frozen=True)
class Finding:
    """A broken rule at `path` (relative to the model that found it).

    `at_key` points the reader at the mapping key rather than its value (for
    a key that is itself wrong, like an unknown language).
    """

    path: FieldPath
    template: str
    params: Mapping[str, object] = field(default_factory=dict)
    at_key: bool = False

    @property
    def message(self) -> str:
        return self.template % dict(self.params)


class RuleError(ValueError):
    """One or more broken rules; pydantic reports it as a `value_error`."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = tuple(findings)
        super().__init__("; ".join(finding.message for finding in self.findings))

    @classmethod
    def single(cls, template: str, path: FieldPath = (), **params: object) -> RuleError:
        return cls([Finding(path, template, params)])


MUST_BE_TEXT = N_("must be text")
LISTED_TWICE = N_("%(value)r is listed twice")


def did_you_mean(value: str, choices: Iterable[str]) -> str | None:
    """The closest of `choices` to a misspelt `value`, if any is close."""
    matches = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


# --- Value types ---------------------------------------------------------------

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{2,63}$"
ID_PATTERN = r"^[a-z0-9-]+$"
SLUG_LIKE_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?$"
COUNTRY_PATTERN = r"^[A-Z]{2}$"
CLOCK_PATTERN = r"^(?:[01]?[0-9]|2[0-3]):[0-5][0-9]$"
DURATION_PATTERN = r"^(?=\d)(?:(\d+)h)?(?:(\d+)m)?$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
URL_PATTERN = r"^https?://[^\s/$.?#][^\s]*$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"

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


def _canonical_language_case(value: str) -> str:
    """`pt_br` -> `pt-BR`: the case BCP 47 recommends for each subtag."""
    parts = value.replace("_", "-").split("-")
    fixed = [parts[0].lower()]
    for part in parts[1:]:
        fixed.append(part.title() if len(part) == 4 else part.upper())
    return "-".join(fixed)


def _check_language(value: str) -> str:
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


def _check_country(value: str) -> str:
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


def _check_timezone(value: str) -> str:
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


def _no_repeats(values: list[str]) -> list[str]:
    seen: set[str] = set()
    findings = []
    for index, value in enumerate(values):
        if value in seen:
            findings.append(Finding((index,), LISTED_TWICE, {"value": value}))
        seen.add(value)
    if findings:
        raise RuleError(findings)
    return values


def _parse_text(value: object) -> str | dict[str, str]:
    if isinstance(value, str):
        if not value.strip():
            raise RuleError.single(N_("is empty; write the text or leave the key out"))
        return value
    if not isinstance(value, dict):
        # Reported like any other text field, with a hint about quotes.
        raise PydanticCustomError("string_type", "Input should be a valid string")
    findings = [
        Finding((key,), MUST_BE_TEXT) for key, text in value.items() if not isinstance(text, str)
    ]
    findings += [
        Finding((key,), N_("is empty; write the text or leave the language out"))
        for key, text in value.items()
        if isinstance(text, str) and not text.strip()
    ]
    if findings:
        raise RuleError(findings)
    return {str(key): text for key, text in value.items()}


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


def _format_clock(value: time) -> str:
    return value.strftime("%H:%M")


def _format_date(value: date) -> str:
    return value.isoformat()


TEXT_JSON_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "minLength": 1},
        {
            "type": "object",
            "propertyNames": {"pattern": LANGUAGE_PATTERN},
            "additionalProperties": {"type": "string", "minLength": 1},
            "minProperties": 1,
        },
    ],
    "description": "A string, or a mapping from language code to string.",
}
Text = Annotated[
    str | dict[str, str],
    PlainValidator(_parse_text),
    WithJsonSchema(TEXT_JSON_SCHEMA),
]
"""Translatable text: a string in the first language, or {language: string}."""

Name = Annotated[str, Field(min_length=1)]
Slug = Annotated[str, AfterValidator(_check_slug), _string_schema(SLUG_PATTERN)]
Identifier = Annotated[str, AfterValidator(_check_id), _string_schema(ID_PATTERN)]
SlugLike = Annotated[str, AfterValidator(_check_slug_like), _string_schema(SLUG_LIKE_PATTERN)]
LanguageCode = Annotated[str, AfterValidator(_check_language), _string_schema(LANGUAGE_PATTERN)]
CountryCode = Annotated[str, AfterValidator(_check_country), _string_schema(COUNTRY_PATTERN)]
TimeZoneName = Annotated[str, AfterValidator(_check_timezone), WithJsonSchema({"type": "string"})]
WebUrl = Annotated[str, AfterValidator(_check_url), _string_schema(URL_PATTERN)]
Email = Annotated[str, AfterValidator(_check_email), _string_schema(EMAIL_PATTERN)]
Clock = Annotated[
    time,
    PlainValidator(_parse_clock),
    PlainSerializer(_format_clock, return_type=str, when_used="json"),
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


class WorkshopKind(StrEnum):
    WORKSHOP = "workshop"
    CO_CREATION = "co-creation"
    PANEL = "panel"
    WEBINAR = "webinar"
    COURSE = "course"
    MEETING = "meeting"


class QuestionType(StrEnum):
    OPEN = "open"
    CHOICE = "choice"
    MULTI = "multi"
    SCALE = "scale"
    WORDS = "words"


class PersonRole(StrEnum):
    MODERATOR = "moderator"
    SPEAKER = "speaker"
    RAPPORTEUR = "rapporteur"
    PANELIST = "panelist"
    ORGANISER = "organiser"


class ItemKind(StrEnum):
    LOGISTICS = "logistics"
    INTRODUCTION = "introduction"
    PRESENTATION = "presentation"
    DISCUSSION = "discussion"
    QA = "qa"
    BREAKOUT = "breakout"
    CLOSING = "closing"
    BREAK = "break"


# --- Models --------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class Day(_Model):
    """One day of the workshop, in the workshop's time zone."""

    date: IsoDate
    """ISO date, e.g. 2021-10-08."""
    start: Clock
    """Local time the day's program starts, "HH:MM"."""
    end: Clock
    """Local time the day's program ends, after `start`."""
    title: Text | None = None
    """Optional title of the day."""

    @model_validator(mode="after")
    def _ends_after_start(self) -> Self:
        if self.end <= self.start:
            raise RuleError.single(
                N_("the day ends at %(end)s, which is not after its start at %(start)s"),
                path=("end",),
                end=_format_clock(self.end),
                start=_format_clock(self.start),
            )
        return self


class Scale(_Model):
    """A range of whole numbers, with optional labels for its two ends."""

    min: Whole
    """Lowest value."""
    max: Whole
    """Highest value, above `min`."""
    min_label: Text | None = None
    """What the lowest value means."""
    max_label: Text | None = None
    """What the highest value means."""

    @model_validator(mode="after")
    def _min_below_max(self) -> Self:
        if self.min >= self.max:
            raise RuleError.single(
                N_("the highest value %(max)d must be above the lowest value %(min)d"),
                path=("max",),
                min=self.min,
                max=self.max,
            )
        return self


class GuidingQuestion(_Model):
    """A question put to participants."""

    id: Identifier
    """Unique among the guiding questions."""
    text: Text
    """The question."""
    type: QuestionType = QuestionType.OPEN
    """How it is answered: open, words (a word cloud), choice, multi or scale."""
    options: list[Text] | None = None
    """The options of a choice or multi question: 2 to 12."""
    scale: Scale | None = None
    """The range of a scale question."""

    @model_validator(mode="after")
    def _options_and_scale_fit_type(self) -> Self:
        findings = [*self._option_findings(), *self._scale_findings()]
        if findings:
            raise RuleError(findings)
        return self

    def _option_findings(self) -> list[Finding]:
        if self.type not in (QuestionType.CHOICE, QuestionType.MULTI):
            if self.options is None:
                return []
            return [Finding(("options",), N_("only choice and multi questions have options"))]
        count = 0 if self.options is None else len(self.options)
        if not 2 <= count <= 12:
            return [
                Finding(
                    ("options",),
                    N_("a %(type)s question needs 2 to 12 options, not %(count)d"),
                    {"type": self.type.value, "count": count},
                )
            ]
        assert self.options is not None
        return [
            Finding(("options", index), N_("this option repeats an earlier one"))
            for index, option in enumerate(self.options)
            if option in self.options[:index]
        ]

    def _scale_findings(self) -> list[Finding]:
        if self.type is QuestionType.SCALE and self.scale is None:
            return [
                Finding(("scale",), N_("a scale question needs a scale, like {min: 1, max: 5}"))
            ]
        if self.type is not QuestionType.SCALE and self.scale is not None:
            return [Finding(("scale",), N_("only scale questions have a scale"))]
        return []


class Material(_Model):
    """A file or page that goes with a presentation."""

    label: Name
    """What the link is, e.g. Slides."""
    url: WebUrl
    """http or https address."""
    language: LanguageCode | None = None
    """Language of the material."""


class Presentation(_Model):
    """What a person presents."""

    title: Text
    abstract: Text | None = None
    """Markdown."""
    materials: list[Material] = []


class Person(_Model):
    """A speaker, moderator, rapporteur, panelist or organiser."""

    id: Identifier
    """Unique among the people."""
    name: Name
    roles: list[PersonRole] = []
    title: Text | None = None
    """Job title."""
    organisation: str | None = None
    organisation_type: SlugLike | None = None
    """Free, slug-like; used to group people in the record."""
    country: CountryCode | None = None
    """ISO 3166-1 alpha-2 code."""
    email: Email | None = None
    """Never shown to participants."""
    presentation: Presentation | None = None


class ProgramItem(_Model):
    """One timed item of the program."""

    id: Identifier
    """Unique among the program items."""
    day: DayNumber = 1
    """1-based index into `days`."""
    start: Clock
    """Local time, "HH:MM"."""
    end: Clock | None = None
    """Local time, "HH:MM"; give `end` or `duration`."""
    duration: Duration | None = None
    """Like 10m, 1h or 1h30m; turned into `end` when loaded."""
    title: Text
    kind: ItemKind
    people: list[Identifier] = []
    """Ids from `people`."""
    questions: list[Identifier] = []
    """Ids from `guiding_questions` taken up in this item."""
    blocks: list[Identifier] = []
    """Ids from `guideline_blocks` (breakout items)."""
    notes: Text | None = None
    """Markdown; for the moderator only."""

    @model_validator(mode="after")
    def _end_from_duration(self) -> Self:
        if self.end is not None and self.duration is not None:
            raise RuleError.single(N_("give either end or duration, not both"), path=("duration",))
        if self.end is None and self.duration is None:
            raise RuleError.single(N_("give an end time or a duration"), path=("end",))
        if self.duration is not None:
            self.end = self._end_after(self.duration)
            self.duration = None  # the canonical form keeps `end` only
        assert self.end is not None
        if self.end <= self.start:
            raise RuleError.single(
                N_("ends at %(end)s, which is not after its start at %(start)s"),
                path=("end",),
                end=_format_clock(self.end),
                start=_format_clock(self.start),
            )
        return self

    def _end_after(self, duration: str) -> time:
        minutes = self.start.hour * 60 + self.start.minute + duration_minutes(duration)
        if minutes >= 24 * 60:
            raise RuleError.single(
                N_("starting at %(start)s, a duration of %(duration)s runs past midnight"),
                path=("duration",),
                start=_format_clock(self.start),
                duration=duration,
            )
        return time(minutes // 60, minutes % 60)

    @property
    def end_time(self) -> time:
        """`end`, which validation always sets."""
        assert self.end is not None
        return self.end


class GuidelineBlock(_Model):
    """A thematic block that breakout groups work on."""

    id: Identifier
    """Unique among the guideline blocks."""
    title: Text
    description: Text | None = None
    """Markdown."""
    prompts: list[Text] = []
    """What a group works out."""
    assessment: Scale | None = None
    """Optional self-assessment scale."""


class CasePerson(_Model):
    name: Name
    title: Text | None = None


class CaseOrganisation(_Model):
    name: Name
    type: SlugLike | None = None
    people: list[CasePerson] = []


class CaseStudy(_Model):
    """A reference case shown to participants and cited in the record."""

    id: Identifier
    """Unique among the case studies."""
    title: Text
    description: Text | None = None
    """Markdown."""
    territory: Text | None = None
    organisations: list[CaseOrganisation] = []


Languages = Annotated[list[LanguageCode], AfterValidator(_no_repeats)]
TimeZones = Annotated[list[TimeZoneName], AfterValidator(_no_repeats)]


class Agenda(_Model):
    """A workshop's agenda (`facilitator/agenda@1`)."""

    model_config = ConfigDict(title="Agenda")

    format: Literal["facilitator/agenda@1"]
    """Exactly facilitator/agenda@1."""
    slug: Slug
    """The workshop's stable id."""
    title: Text
    event: Text | None = None
    """The forum or programme the session belongs to."""
    reference: str | None = None
    """The organiser's session number, e.g. 2.3.2."""
    thematic_line: Text | None = None
    kind: WorkshopKind = WorkshopKind.WORKSHOP
    languages: Annotated[Languages, Field(min_length=1)]
    """BCP 47 codes; the first is the default."""
    interpretation: Languages = []
    """Languages interpreters cover live."""
    timezone: TimeZoneName
    """IANA zone name of every time in the file."""
    show_timezones: TimeZones = []
    """Further IANA zones shown beside every time."""
    days: Annotated[list[Day], Field(min_length=1)]
    venue: Text | None = None
    """A place, or `online`."""
    meeting_url: WebUrl | None = None
    """Only with `venue: online`."""
    audience: Text | None = None
    """Markdown."""
    background: Text | None = None
    """Markdown."""
    objectives: list[Text] = []
    main_question: Text | None = None
    guiding_questions: list[GuidingQuestion] = []
    people: list[Person] = []
    program: Annotated[list[ProgramItem], Field(min_length=1, max_length=MAX_PROGRAM_ITEMS)]
    guideline_blocks: list[GuidelineBlock] = []
    case_studies: list[CaseStudy] = []
    expected_participants: Count | None = None

    @model_validator(mode="after")
    def _check_rules_across_fields(self) -> Self:
        findings = [finding for rule in CROSS_FIELD_RULES for finding in rule(self)]
        if findings:
            raise RuleError(findings)
        return self


# --- Rules across fields -------------------------------------------------------


def _iter_texts(value: object, path: FieldPath) -> Iterator[tuple[FieldPath, dict[str, str]]]:
    """Every translated text in `value`: in these models only text is a dict."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _iter_texts(getattr(value, name), (*path, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _iter_texts(item, (*path, index))
    elif isinstance(value, dict):
        yield path, value


def text_language_findings(agenda: Agenda) -> list[Finding]:
    """Translations are in the workshop's languages, and the first one is there."""
    first = agenda.languages[0]
    listed = ", ".join(agenda.languages)
    findings = []
    for path, text in _iter_texts(agenda, ()):
        for language in text:
            if language not in agenda.languages:
                findings.append(
                    Finding(
                        (*path, language),
                        N_("%(value)r is not one of the workshop's languages (%(languages)s)"),
                        {"value": language, "languages": listed},
                        at_key=True,
                    )
                )
        if first not in text:
            findings.append(
                Finding(
                    path,
                    N_("the text in the first language, %(language)r, is missing"),
                    {"language": first},
                )
            )
    return findings


def day_order_findings(agenda: Agenda) -> list[Finding]:
    findings = []
    for index, (previous, day) in enumerate(zip(agenda.days, agenda.days[1:], strict=False), 1):
        params = {"date": day.date.isoformat(), "previous": previous.date.isoformat()}
        if day.date == previous.date:
            template = N_("the date %(date)s is given to two days")
        elif day.date < previous.date:
            template = N_("days must be in date order: %(date)s comes after %(previous)s")
        else:
            continue
        findings.append(Finding(("days", index, "date"), template, params))
    return findings


_WithId = GuidingQuestion | Person | ProgramItem | GuidelineBlock | CaseStudy


def _ids_of(items: Sequence[_WithId]) -> list[str]:
    return [item.id for item in items]


def unique_id_findings(agenda: Agenda) -> list[Finding]:
    collections: dict[str, list[str]] = {
        "guiding_questions": _ids_of(agenda.guiding_questions),
        "people": _ids_of(agenda.people),
        "program": _ids_of(agenda.program),
        "guideline_blocks": _ids_of(agenda.guideline_blocks),
        "case_studies": _ids_of(agenda.case_studies),
    }
    findings = []
    for collection, ids in collections.items():
        for index, value in enumerate(ids):
            if value in ids[:index]:
                findings.append(
                    Finding(
                        (collection, index, "id"),
                        N_("the id %(value)r is used twice in %(collection)s"),
                        {"value": value, "collection": collection},
                    )
                )
    return findings


# (field of a program item, the collection it points into, unknown, unknown + suggestion)
_REFERENCES = (
    ("people", "people", N_("unknown person %(value)r"),
     N_("unknown person %(value)r (did you mean %(suggestion)r?)")),
    ("questions", "guiding_questions", N_("unknown guiding question %(value)r"),
     N_("unknown guiding question %(value)r (did you mean %(suggestion)r?)")),
    ("blocks", "guideline_blocks", N_("unknown guideline block %(value)r"),
     N_("unknown guideline block %(value)r (did you mean %(suggestion)r?)")),
)  # fmt: skip


def reference_findings(agenda: Agenda) -> list[Finding]:
    """Program items point at people, questions and blocks that exist, once each."""
    known = {
        "people": _ids_of(agenda.people),
        "guiding_questions": _ids_of(agenda.guiding_questions),
        "guideline_blocks": _ids_of(agenda.guideline_blocks),
    }
    return [
        finding
        for index, item in enumerate(agenda.program)
        for finding in _item_reference_findings(index, item, known)
    ]


def _item_reference_findings(
    item_index: int, item: ProgramItem, known: Mapping[str, list[str]]
) -> list[Finding]:
    findings = []
    for field_name, collection, unknown, unknown_near in _REFERENCES:
        values: list[str] = getattr(item, field_name)
        for index, value in enumerate(values):
            path = ("program", item_index, field_name, index)
            if value in values[:index]:
                findings.append(Finding(path, LISTED_TWICE, {"value": value}))
            elif value not in known[collection]:
                suggestion = did_you_mean(value, known[collection])
                template = unknown if suggestion is None else unknown_near
                findings.append(Finding(path, template, {"value": value, "suggestion": suggestion}))
    return findings


def day_number_findings(agenda: Agenda) -> list[Finding]:
    return [
        Finding(
            ("program", index, "day"),
            N_("there is no day %(day)d: the days are numbered 1 to %(count)d"),
            {"day": item.day, "count": len(agenda.days)},
        )
        for index, item in enumerate(agenda.program)
        if item.day > len(agenda.days)
    ]


def schedule_findings(agenda: Agenda) -> list[Finding]:
    """Within each day, items are in order, do not overlap and fit the day."""
    findings = []
    for number, day in enumerate(agenda.days, 1):
        items = [(i, item) for i, item in enumerate(agenda.program) if item.day == number]
        previous: ProgramItem | None = None
        for index, item in items:
            findings += _fit_in_day(index, item, number, day)
            if previous is not None:
                findings += _follow(index, item, previous)
            previous = item
    return findings


def _fit_in_day(index: int, item: ProgramItem, number: int, day: Day) -> list[Finding]:
    params = {
        "start": _format_clock(item.start),
        "end": _format_clock(item.end_time),
        "day": number,
        "day_start": _format_clock(day.start),
        "day_end": _format_clock(day.end),
    }
    findings = []
    if item.start < day.start:
        findings.append(
            Finding(
                ("program", index, "start"),
                N_("starts at %(start)s, before day %(day)d starts at %(day_start)s"),
                params,
            )
        )
    if item.end_time > day.end:
        findings.append(
            Finding(
                ("program", index, "end"),
                N_("ends at %(end)s, after day %(day)d ends at %(day_end)s"),
                params,
            )
        )
    return findings


def _follow(index: int, item: ProgramItem, previous: ProgramItem) -> list[Finding]:
    params = {
        "start": _format_clock(item.start),
        "previous": previous.id,
        "previous_start": _format_clock(previous.start),
        "previous_end": _format_clock(previous.end_time),
    }
    if item.start < previous.start:
        template = N_(
            "starts at %(start)s, before the item above it (%(previous)r at %(previous_start)s):"
            " the items of a day must be in order of time"
        )
    elif item.start < previous.end_time:
        template = N_("starts at %(start)s, while %(previous)r still runs until %(previous_end)s")
    else:
        return []
    return [Finding(("program", index, "start"), template, params)]


def venue_findings(agenda: Agenda) -> list[Finding]:
    if agenda.meeting_url is not None and agenda.venue != "online":
        return [
            Finding(
                ("meeting_url",),
                N_("a meeting_url is only allowed with venue: online"),
            )
        ]
    return []


CROSS_FIELD_RULES: tuple[Callable[[Agenda], list[Finding]], ...] = (
    text_language_findings,
    day_order_findings,
    unique_id_findings,
    day_number_findings,
    reference_findings,
    schedule_findings,
    venue_findings,
)


def agenda_warnings(agenda: Agenda) -> list[Finding]:
    """What is allowed but probably a mistake."""
    if agenda.people and not any(PersonRole.MODERATOR in person.roles for person in agenda.people):
        return [
            Finding(
                ("people",),
                N_("nobody in people has the role 'moderator'; give it to whoever moderates"),
                at_key=True,
            )
        ]
    return []


# --- The canonical dump --------------------------------------------------------


def agenda_to_data(agenda: Agenda) -> dict[str, Any]:
    """The agenda as plain data in canonical form.

    Unset and default values are left out, times are "HH:MM", dates ISO, and
    items carry `end` (never `duration`). Keys come in the order of the
    format page, `format` first.
    """
    return agenda.model_dump(mode="json", exclude_none=True, exclude_defaults=True)


class _AgendaDumper(yaml.SafeDumper):
    """Safe YAML in the style of hand-written agendas: indented lists, `|` blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_AgendaDumper.add_representer(str, _represent_str)


def dump_yaml(agenda: Agenda) -> str:
    """The agenda as a YAML file in canonical form; parsing it gives `agenda` back."""
    return yaml.dump(
        agenda_to_data(agenda),
        Dumper=_AgendaDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
    )
