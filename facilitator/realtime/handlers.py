"""The one path every client mutation takes.

validate the sender and the payload -> open a unit of work -> answer a resent
`cid` with the stored result -> call the service -> record the cid and number
the events -> commit -> emit -> acknowledge. No handler raises to the transport.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from flask import request
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from facilitator.accounts.models import User
from facilitator.accounts.services import AccountError
from facilitator.agenda.models import Workshop
from facilitator.database import unit_of_work, utcnow
from facilitator.extensions import db as database
from facilitator.extensions import socketio
from facilitator.live.services import InvalidTransition
from facilitator.participation.models import Participant
from facilitator.participation.services import JoinRefused
from facilitator.realtime import protocol
from facilitator.realtime.broadcast import Outgoing, Render, prepare, send
from facilitator.realtime.connections import Kind, Principal, connections
from facilitator.realtime.limits import SenderLimits
from facilitator.realtime.models import AppliedMutation

log = logging.getLogger(__name__)

P = TypeVar("P", bound=protocol.Mutation)
AnyPayload = TypeVar("AnyPayload", bound=protocol.Payload)


@dataclass(frozen=True)
class Context:
    db: Session
    principal: Principal
    workshop: Workshop
    user: User | None
    participant: Participant | None
    now: datetime


@dataclass(frozen=True)
class Mutation(Generic[P]):
    """A client -> server event that changes something."""

    event: str
    payload: type[P]
    senders: frozenset[Kind]
    apply: Callable[[Context, P], tuple[Any, list[object]]]


@dataclass
class Runtime:
    """What handlers need from the app, set once by init_realtime."""

    render: Render
    limits: SenderLimits
    after_commit: Callable[[list[object]], None]


runtime: Runtime | None = None

REFUSALS = (InvalidTransition, JoinRefused, AccountError)


class Refused(Exception):
    def __init__(self, code: str, message: str, **details: Any) -> None:
        super().__init__(code)
        self.answer = protocol.error(code, message, **details)


def sender() -> Principal:
    principal = connections.get(request.sid)  # type: ignore[attr-defined]
    if principal is None:
        raise Refused(protocol.NOT_CONNECTED, "connect to a workshop first")
    return principal


def check_sender(principal: Principal, senders: frozenset[Kind], event: str) -> None:
    if principal.kind not in senders:
        raise Refused(protocol.FORBIDDEN, f"a {principal.kind} may not send {event}")
    assert runtime is not None
    if not runtime.limits.allow(principal):
        raise Refused(protocol.RATE_LIMITED, "too many events; slow down")


def parse(payload: type[AnyPayload], raw: object, extra: tuple[object, ...] = ()) -> AnyPayload:
    if extra:  # emit(event, a, b): one payload object per event, nothing beside it
        raise Refused(protocol.BAD_PAYLOAD, "send one payload object", fields=[])
    try:
        return payload.model_validate(raw if raw is not None else {})
    except ValidationError as exc:
        fields = [
            {"field": ".".join(str(p) for p in e["loc"]), "problem": e["type"]}
            for e in exc.errors()
        ]
        raise Refused(protocol.BAD_PAYLOAD, "the payload is not valid", fields=fields) from exc


def context(db: Session, principal: Principal) -> Context:
    workshop = db.get(Workshop, principal.workshop_id)
    if workshop is None:
        raise Refused(protocol.FORBIDDEN, "this workshop no longer exists")
    user = db.get(User, principal.user_id) if principal.user_id is not None else None
    participant = None
    if principal.participant_id is not None:
        participant = db.get(Participant, principal.participant_id)
        if participant is None or participant.removed_at is not None:
            raise Refused(protocol.FORBIDDEN, "you were removed from this workshop")
    return Context(db, principal, workshop, user, participant, utcnow())


def run_mutation(spec: Mutation[P], raw: object, *extra: object) -> dict[str, Any]:
    assert runtime is not None
    principal = sender()
    check_sender(principal, spec.senders, spec.event)
    data = parse(spec.payload, raw, extra)
    try:
        with unit_of_work(database.factory) as db:
            stored = _stored_result(db, principal, data.cid)
            if stored is not None:
                return protocol.ok(stored.result)
            ctx = context(db, principal)
            result, events = spec.apply(ctx, data)
            db.add(
                AppliedMutation(
                    workshop_id=principal.workshop_id,
                    actor=principal.actor,
                    cid=data.cid,
                    event=spec.event,
                    result=result,
                )
            )
            outgoing: list[Outgoing] = prepare(db, events, runtime.render)
    except IntegrityError:
        # The same cid raced in on another connection and won: answer what it stored.
        with database.factory() as db:
            stored = _stored_result(db, principal, data.cid)
        if stored is None:
            raise
        return protocol.ok(stored.result)
    send(socketio.emit, outgoing)
    runtime.after_commit(events)
    return protocol.ok(result)


def _stored_result(db: Session, principal: Principal, cid: str) -> AppliedMutation | None:
    return db.scalar(
        select(AppliedMutation).where(
            AppliedMutation.workshop_id == principal.workshop_id,
            AppliedMutation.actor == principal.actor,
            AppliedMutation.cid == cid,
        )
    )


def answer(event: str, work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run `work`; turn every refusal and failure into an error acknowledgement."""
    try:
        return work()
    except Refused as refused:
        return refused.answer
    except REFUSALS as exc:
        code = exc.code
        return protocol.error(code, f"{event} refused: {code}")
    except Exception:
        log.exception("%s failed", event)
        return protocol.error(protocol.INTERNAL, "the server failed; the event was not applied")


def handler_for(spec: Mutation[Any]) -> Callable[..., dict[str, Any]]:
    # *extra: a client that sends two arguments gets an answer, not a TypeError.
    def handle(raw: object = None, *extra: object) -> dict[str, Any]:
        return answer(spec.event, lambda: run_mutation(spec, raw, *extra))

    handle.__name__ = "on_" + spec.event.replace(".", "_")
    return handle
