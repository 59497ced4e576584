"""Socket events of the run-of-show: thin wrappers over live.services."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from facilitator.accounts.models import User
from facilitator.live import services
from facilitator.realtime.connections import Kind
from facilitator.realtime.handlers import Context, Mutation
from facilitator.realtime.protocol import Mutation as Payload

MODERATORS: frozenset[Kind] = frozenset({"moderator"})


class Empty(Payload):
    pass


class GoTo(Payload):
    item: str = Field(pattern=r"^[a-z0-9-]{1,64}$")


class Adjust(Payload):
    minutes: int = Field(ge=-120, le=120)


class Lock(Payload):
    locked: bool


class Message(Payload):
    text: str | None = Field(default=None, max_length=services.MAX_MESSAGE_LENGTH)


def _user(ctx: Context) -> User:
    assert ctx.user is not None  # moderators always have one
    return ctx.user


def _start(ctx: Context, _: Empty) -> tuple[Any, list[object]]:
    return None, list(services.start(ctx.db, _user(ctx), ctx.workshop, ctx.now))


def _goto(ctx: Context, data: GoTo) -> tuple[Any, list[object]]:
    return None, list(services.go_to(ctx.db, _user(ctx), ctx.workshop, data.item, ctx.now))


def _next(ctx: Context, _: Empty) -> tuple[Any, list[object]]:
    return None, list(services.next_item(ctx.db, _user(ctx), ctx.workshop, ctx.now))


def _end(ctx: Context, _: Empty) -> tuple[Any, list[object]]:
    return None, list(services.end(ctx.db, _user(ctx), ctx.workshop, ctx.now))


def _pause(ctx: Context, _: Empty) -> tuple[Any, list[object]]:
    return None, list(services.pause_timer(ctx.db, _user(ctx), ctx.workshop, ctx.now))


def _resume(ctx: Context, _: Empty) -> tuple[Any, list[object]]:
    return None, list(services.resume_timer(ctx.db, _user(ctx), ctx.workshop, ctx.now))


def _adjust(ctx: Context, data: Adjust) -> tuple[Any, list[object]]:
    events = services.adjust_timer(ctx.db, _user(ctx), ctx.workshop, data.minutes, ctx.now)
    return None, list(events)


def _reset(ctx: Context, _: Empty) -> tuple[Any, list[object]]:
    return None, list(services.reset_timer(ctx.db, _user(ctx), ctx.workshop, ctx.now))


def _lock(ctx: Context, data: Lock) -> tuple[Any, list[object]]:
    return None, list(services.lock_joining(ctx.db, _user(ctx), ctx.workshop, data.locked))


def _message(ctx: Context, data: Message) -> tuple[Any, list[object]]:
    return None, list(services.set_message(ctx.db, _user(ctx), ctx.workshop, data.text, ctx.now))


MUTATIONS: list[Mutation[Any]] = [
    Mutation("live.start", Empty, MODERATORS, _start),
    Mutation("live.goto", GoTo, MODERATORS, _goto),
    Mutation("live.next", Empty, MODERATORS, _next),
    Mutation("live.end", Empty, MODERATORS, _end),
    Mutation("timer.pause", Empty, MODERATORS, _pause),
    Mutation("timer.resume", Empty, MODERATORS, _resume),
    Mutation("timer.adjust", Adjust, MODERATORS, _adjust),
    Mutation("timer.reset", Empty, MODERATORS, _reset),
    Mutation("joining.lock", Lock, MODERATORS, _lock),
    Mutation("message.broadcast", Message, MODERATORS, _message),
]
