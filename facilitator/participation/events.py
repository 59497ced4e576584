"""Socket events about participants."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from facilitator.participation import services
from facilitator.realtime.connections import Kind
from facilitator.realtime.handlers import Context, Mutation
from facilitator.realtime.protocol import Mutation as Payload


class Remove(Payload):
    participant: int = Field(ge=1)


class Language(Payload):
    language: str = Field(min_length=2, max_length=35)


def _remove(ctx: Context, data: Remove) -> tuple[Any, list[object]]:
    assert ctx.user is not None
    events = services.remove(ctx.db, ctx.user, ctx.workshop, data.participant, ctx.now)
    return None, list(events)


def _language(ctx: Context, data: Language) -> tuple[Any, list[object]]:
    assert ctx.participant is not None
    events = services.change_language(ctx.db, ctx.participant, data.language)
    return {"language": data.language}, list(events)


MODERATORS: frozenset[Kind] = frozenset({"moderator"})
PARTICIPANTS: frozenset[Kind] = frozenset({"participant"})

MUTATIONS: list[Mutation[Any]] = [
    Mutation("participant.remove", Remove, MODERATORS, _remove),
    Mutation("participant.language", Language, PARTICIPANTS, _language),
]
