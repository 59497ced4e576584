"""Question types, one class each, registered by name (as Indico's survey fields are).

A type validates an answer into what is stored (a text, a number, counted parts),
summarises results from counts of rows (rule 6), and names how the phone asks
(`input`) and the projector shows it (`chart`). A new type is one new class here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from facilitator.domain import DomainError
from facilitator.questions.words import MAX_WORDS, normal_form, shown_form

MAX_OPEN_LENGTH = 500
WALL_SIZE = 200  # answers on the console's wall: the highlighted first, then the newest
PUBLIC_WALL_SIZE = 50  # on the projector's and phones' (a tally sent to every phone)
CLOUD_SIZE = 100  # words in the cloud: the most counted

Tallied = Literal["texts", "keys", "positions", "numbers"]


class AnswerRefused(DomainError):
    """The answer does not fit its question; `code` says why."""


@dataclass(frozen=True)
class Shape:
    """What a type needs to know of one question."""

    options: int = 0
    scale_min: int = 0
    scale_max: int = 0
    max_answers: int = 1


@dataclass(frozen=True)
class Part:
    """One counted piece of an answer: a word, an option, an option at a rank."""

    key: str
    position: int = 0
    label: str | None = None


@dataclass(frozen=True)
class Parsed:
    value: Any  # the canonical answer, as the participant's screens get it back
    text: str | None = None
    number: int | None = None
    parts: tuple[Part, ...] = ()


@dataclass(frozen=True)
class Counts:
    """Counts of one question's visible answers, as results.py reads them from rows."""

    answers: int = 0
    keys: dict[str, int] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    positions: dict[tuple[str, int], int] = field(default_factory=dict)
    numbers: dict[int, int] = field(default_factory=dict)
    wall: list[dict[str, Any]] = field(default_factory=list)


class QuestionType:
    name: ClassVar[str]
    input: ClassVar[str]  # how the phone asks: text | words | single | multiple | scale | order
    chart: ClassVar[str]  # how the projector shows: wall | cloud | bars | distribution | points
    tallied: ClassVar[Tallied]  # which counts results.py reads for it
    has_options: ClassVar[bool] = False
    has_scale: ClassVar[bool] = False
    many_answers: ClassVar[bool] = False  # several answers per participant (up to max_answers)

    def parse(self, value: object, shape: Shape) -> Parsed:
        raise NotImplementedError

    def summarise(self, counts: Counts, shape: Shape) -> dict[str, Any]:
        raise NotImplementedError


TYPES: dict[str, QuestionType] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    TYPES[cls.name] = cls()
    return cls


def question_type(name: str) -> QuestionType:
    try:
        return TYPES[name]
    except KeyError:
        raise AnswerRefused("unknown_type") from None


def _option(value: object, shape: Shape) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise AnswerRefused("answer_type")
    if not 0 <= value < shape.options:
        raise AnswerRefused("unknown_option")
    return value


def _options(value: object, shape: Shape) -> list[int]:
    if not isinstance(value, list):
        raise AnswerRefused("answer_type")
    chosen = [_option(v, shape) for v in value]
    if len(set(chosen)) != len(chosen):
        raise AnswerRefused("repeated_option")
    return chosen


@register
class OpenType(QuestionType):
    name = "open"
    input = "text"
    chart = "wall"
    tallied = "texts"
    many_answers = True

    def parse(self, value: object, shape: Shape) -> Parsed:
        if not isinstance(value, str):
            raise AnswerRefused("answer_type")
        text = value.strip()
        if not text:
            raise AnswerRefused("answer_empty")
        if len(text) > MAX_OPEN_LENGTH:
            raise AnswerRefused("answer_too_long")
        return Parsed(text, text=text)

    def summarise(self, counts: Counts, shape: Shape) -> dict[str, Any]:
        return {"answers": counts.answers, "wall": counts.wall}


@register
class WordsType(QuestionType):
    name = "words"
    input = "words"
    chart = "cloud"
    tallied = "keys"

    def parse(self, value: object, shape: Shape) -> Parsed:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise AnswerRefused("answer_type")
        if len(value) > MAX_WORDS:
            raise AnswerRefused("too_many_words")
        parts: dict[str, Part] = {}
        for word in value:
            key = normal_form(word)
            if key and key not in parts:  # one answer counts a word once
                parts[key] = Part(key, len(parts), shown_form(word))
        if not parts:
            raise AnswerRefused("answer_empty")
        return Parsed([p.label for p in parts.values()], parts=tuple(parts.values()))

    def summarise(self, counts: Counts, shape: Shape) -> dict[str, Any]:
        ranked = sorted(counts.keys.items(), key=lambda kv: (-kv[1], kv[0]))[:CLOUD_SIZE]
        words = [{"word": k, "label": counts.labels.get(k, k), "count": n} for k, n in ranked]
        return {"answers": counts.answers, "words": words}


@register
class ChoiceType(QuestionType):
    name = "choice"
    input = "single"
    chart = "bars"
    tallied = "keys"
    has_options = True

    def parse(self, value: object, shape: Shape) -> Parsed:
        chosen = _option(value, shape)
        return Parsed(chosen, parts=(Part(str(chosen)),))

    def summarise(self, counts: Counts, shape: Shape) -> dict[str, Any]:
        bars = [counts.keys.get(str(i), 0) for i in range(shape.options)]
        return {"answers": counts.answers, "options": bars}


@register
class MultiType(ChoiceType):
    name = "multi"
    input = "multiple"

    def parse(self, value: object, shape: Shape) -> Parsed:
        chosen = _options(value, shape)
        if not chosen:
            raise AnswerRefused("answer_empty")
        return Parsed(sorted(chosen), parts=tuple(Part(str(i)) for i in sorted(chosen)))


@register
class ScaleType(QuestionType):
    name = "scale"
    input = "scale"
    chart = "distribution"
    tallied = "numbers"
    has_scale = True

    def parse(self, value: object, shape: Shape) -> Parsed:
        if not isinstance(value, int) or isinstance(value, bool):
            raise AnswerRefused("answer_type")
        if not shape.scale_min <= value <= shape.scale_max:
            raise AnswerRefused("out_of_scale")
        return Parsed(value, number=value)

    def summarise(self, counts: Counts, shape: Shape) -> dict[str, Any]:
        values = range(shape.scale_min, shape.scale_max + 1)
        distribution = [[v, counts.numbers.get(v, 0)] for v in values]
        total = sum(n for _, n in distribution)
        mean = round(sum(v * n for v, n in distribution) / total, 2) if total else None
        return {"answers": counts.answers, "distribution": distribution, "mean": mean}


@register
class RankType(QuestionType):
    """Order every option; results by points (Borda: n-1 for the first, 0 for the last)."""

    name = "rank"
    input = "order"
    chart = "points"
    tallied = "positions"
    has_options = True

    def parse(self, value: object, shape: Shape) -> Parsed:
        order = _options(value, shape)
        if len(order) != shape.options:
            raise AnswerRefused("ranking_incomplete")
        return Parsed(order, parts=tuple(Part(str(o), rank) for rank, o in enumerate(order)))

    def summarise(self, counts: Counts, shape: Shape) -> dict[str, Any]:
        n = shape.options
        points = [0] * n
        for (key, rank), count in counts.positions.items():
            if key.isdigit() and int(key) < n and 0 <= rank < n:
                points[int(key)] += (n - 1 - rank) * count
        order = sorted(range(n), key=lambda i: (-points[i], i))
        return {"answers": counts.answers, "points": points, "order": order}


def describe(name: str) -> dict[str, Any]:
    """What a screen needs to know of a type."""
    kind = question_type(name)
    return {"input": kind.input, "chart": kind.chart, "many_answers": kind.many_answers}
