"""The compiled record: plain, typed data. Every exporter reads this and nothing else.

`Entry` is one reviewable piece of text; its `id` is what the draft's edits name
(hide it, replace its text, move it within its section).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FORMAT = "facilitator/record@1"


@dataclass
class Entry:
    id: str
    text: str
    language: str | None = None
    author: str | None = None  # who wrote or said it; None: anonymous or not said
    about: str | None = None  # the person or item it is about
    about_key: str | None = None
    item: str | None = None  # the program item's key
    at: str | None = None  # ISO time, UTC


@dataclass
class ZoneTimes:
    zone: str
    start: str  # ISO with offset
    end: str


@dataclass
class DayInfo:
    position: int
    date: str
    title: str | None
    times: list[ZoneTimes]


@dataclass
class SessionInfo:
    title: str
    event: str | None
    reference: str | None
    kind: str
    languages: list[str]
    interpretation: list[str]
    timezone: str
    zones: list[str]
    days: list[DayInfo]
    duration_minutes: int
    venue: str | None
    online: bool
    meeting_url: str | None
    thematic_line: str | None
    audience: str | None
    background: str | None = None


@dataclass
class Participants:
    joined: int
    removed: int
    peak_connected: int | None  # phones connected at once, at most; None: never measured
    by_language: dict[str, int]
    by_country: dict[str, int]
    by_organisation: dict[str, int]
    by_stakeholder_type: dict[str, int]
    online_count: int | None  # entered by hand (seed 001's "Zoom participation: 71")
    online_label: str | None
    expected: int | None


@dataclass
class PersonInfo:
    key: str
    name: str
    roles: list[str]
    title: str | None
    organisation: str | None
    organisation_type: str | None
    country: str | None


@dataclass
class ProgramRow:
    key: str
    day: int
    title: str
    kind: str | None
    people: list[str]
    planned_start: str  # ISO with the workshop zone's offset
    planned_end: str
    actual_start: str | None
    actual_end: str | None
    skipped: bool


@dataclass
class ResultRow:
    label: str  # an option, a word, a scale value, or an answer's text
    count: int


@dataclass
class GuidingQuestionInfo:
    key: str
    text: str
    answers: list[Entry]  # per speaker, from the rapporteur's notes
    results: dict[str, Any] | None = None  # the poll's counts, when it was asked live
    responses: int = 0  # participants' answers (hidden ones and removed people's left out)
    rows: list[ResultRow] = field(default_factory=list)  # the bars, words or top answers
    chart: str | None = None  # how its results are drawn: cloud, bars, distribution, points
    options: list[str] = field(default_factory=list)  # the options' labels, for the chart


@dataclass
class QaEntry:
    id: str
    question: str
    language: str | None
    asker: str | None  # None: anonymous
    to: str | None
    answered_by: str | None
    answer: str | None
    votes: int
    asked_at: str | None = None
    answered_at: str | None = None


@dataclass
class CardInfo:
    text: str
    block: str  # the block's title
    votes: int
    merged: list[str] = field(default_factory=list)  # texts clustered into it


@dataclass
class AssessmentInfo:
    """A block's self-assessment: the mean of the values given, and how many gave one."""

    block: str  # the block's title
    mean: float | None
    count: int
    min: int | None = None
    max: int | None = None


@dataclass
class BreakoutGroupInfo:
    id: str  # breakout:<group id>
    round: int
    item: str | None  # the program item's title
    name: str
    blocks: list[str]  # the blocks' titles
    members: int
    synthesis: str | None
    synthesis_by: str | None
    top_cards: list[CardInfo]
    assessment: list[AssessmentInfo]


@dataclass
class TerritoryRadar:
    """The blocks' self-assessment of the participants of one territory (their country)."""

    code: str  # ISO 3166-1 alpha-2
    territory: str  # its name in the record's language
    rows: list[AssessmentInfo]  # the blocks the territory's participants assessed


@dataclass
class CaseStudyInfo:
    key: str
    title: str
    territory: str | None
    description: str | None


@dataclass
class ImageInfo:
    id: str
    caption: str
    mime: str
    width: int
    height: int
    data_base64: str


@dataclass
class Contribution:
    """One row of the CSV: anything someone contributed."""

    kind: str  # answer, audience_question, qa_answer, note
    column: str  # the question, the item or the note's slot
    text: str
    language: str | None
    author: str | None  # None: anonymous
    group: str | None  # the breakout group (none yet)
    at: str | None
    source: str | None = None  # the entry it comes from (hidden with it)


@dataclass
class Record:
    format: str
    slug: str
    language: str  # the headings' language
    status: str  # draft or published
    version: int | None
    generated_at: str
    session: SessionInfo
    participants: Participants
    moderators: list[PersonInfo]
    speakers: list[PersonInfo]
    objectives: list[str]
    main_question: str | None
    program: list[ProgramRow]
    item_notes: list[Entry]
    summaries: list[Entry]
    guiding_questions: list[GuidingQuestionInfo]
    audience_qa: list[QaEntry]
    breakouts: list[BreakoutGroupInfo]
    case_studies: list[CaseStudyInfo]
    conclusions: list[Entry]
    images: list[ImageInfo]
    contributions: list[Contribution]
    notices: list[str] = field(default_factory=list)  # codes: what the record could not know
    radar: list[AssessmentInfo] = field(default_factory=list)  # the room's, per block
    # The same per territory, where participants gave their country.
    radar_territories: list[TerritoryRadar] = field(default_factory=list)
