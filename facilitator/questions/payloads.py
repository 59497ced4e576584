"""The payloads of the questions' socket events: every string and number bounded."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from facilitator.questions import lifecycle
from facilitator.questions.lifecycle import Draft
from facilitator.realtime import protocol
from facilitator.realtime.protocol import Mutation as Payload

Id = Annotated[int, Field(ge=1, le=protocol.MAX_INT)]
Lang = Annotated[str, Field(min_length=2, max_length=35)]
Text = Annotated[
    dict[Lang, Annotated[str, Field(max_length=lifecycle.MAX_TEXT_LENGTH)]],
    Field(min_length=1, max_length=12),
]
Small = Annotated[int, Field(ge=-1000, le=1000)]
Word = Annotated[str, Field(max_length=200)]
TypeName = Literal["open", "words", "choice", "multi", "scale", "rank"]


class ScalePayload(protocol.Payload):  # nested in a mutation: no cid of its own
    min: int = Field(ge=-1000, le=1000)
    max: int = Field(ge=-1000, le=1000)
    min_label: Text | None = None
    max_label: Text | None = None


class Write(Payload):
    type: TypeName
    text: Text
    options: list[Text] | None = Field(default=None, max_length=lifecycle.MAX_OPTIONS)
    scale: ScalePayload | None = None
    max_answers: int = Field(default=1, ge=1, le=lifecycle.MAX_OPEN_ANSWERS)

    def draft(self) -> Draft:
        scale = None if self.scale is None else self.scale.model_dump(exclude_none=True)
        options = None if self.options is None else [dict(o) for o in self.options]
        return Draft(self.type, dict(self.text), options, scale, self.max_answers)


class Rewrite(Write):
    question: Id


class One(Payload):
    question: Id


class Limit(Payload):
    question: Id
    max_answers: int = Field(ge=1, le=lifecycle.MAX_OPEN_ANSWERS)


class Reveal(Payload):
    question: Id
    revealed: bool = True


class Configure(Payload):
    auto_open: bool


class Submit(Payload):
    question: Id
    # open: a text; words: 1-3 words; choice, scale: a number; multi, rank: numbers
    value: (
        Annotated[str, Field(max_length=1000)]
        | Annotated[list[Word], Field(max_length=12)]
        | Small
        | Annotated[list[Small], Field(max_length=12)]
    )
    answer: int | None = Field(default=None, ge=1, le=protocol.MAX_INT)  # change this one


class Withdraw(Payload):
    answer: Id


class HideAnswer(Payload):
    answer: Id
    hidden: bool = True


class Highlight(Payload):
    answer: Id
    highlighted: bool = True


class HideWord(Payload):
    question: Id
    word: Word
    hidden: bool = True


class MergeWord(Payload):
    question: Id
    word: Word
    into: Word | None = None  # None: count it as itself again


class HideParticipant(Payload):
    participant: Id


class Breakdown(protocol.Payload):
    question: Id
    by: Literal["language", "country", "organisation_type", "stakeholder_type"]
