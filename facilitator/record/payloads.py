"""The record's payloads, for the socket and the JSON routes alike (pydantic)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from facilitator.realtime import protocol
from facilitator.realtime.protocol import Mutation
from facilitator.record.models import MAX_NAME_LENGTH, MAX_NOTE_LENGTH

KEY = r"^[a-z0-9-]{1,64}$"


class SaveNote(Mutation):
    kind: Literal["item", "summary", "answer", "conclusion"]
    item: str | None = Field(default=None, pattern=KEY)
    person: str | None = Field(default=None, pattern=KEY)
    question: str | None = Field(default=None, pattern=KEY)
    name: str | None = Field(default=None, max_length=MAX_NAME_LENGTH)
    text: str = Field(max_length=MAX_NOTE_LENGTH)
    language: str | None = Field(default=None, min_length=2, max_length=35)
    based_on: int = Field(ge=0, le=protocol.MAX_INT)

    @model_validator(mode="after")
    def one_person(self) -> SaveNote:
        if self.person is not None and self.name:
            raise ValueError("give a person's key or a free name, not both")
        return self


class Attendance(Mutation):
    online_count: int | None = Field(default=None, ge=0, le=1_000_000)
    label: str | None = Field(default=None, max_length=200)


class Edits(Mutation):
    texts: dict[str, str] = Field(default_factory=dict, max_length=2000)
    hidden: list[str] = Field(default_factory=list, max_length=5000)
    order: dict[str, list[str]] = Field(default_factory=dict, max_length=200)
    redact: list[str] = Field(default_factory=list, max_length=200)


class Share(Mutation):
    shared: bool = True
