"""The one path every client event takes.

A mutation: validate the sender and the payload -> open a unit of work -> answer a
resent `cid` with the stored result -> check the sender is still allowed -> call the
feature's service -> record the cid -> commit then emit -> acknowledge. A batched
mutation takes the same steps with the others of its kind that arrived together
(batches.py). A query: the same checks, then the feature's answer. No handler raises
to the transport.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from flask import request
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from facilitator.database import utcnow
from facilitator.domain import DomainError
from facilitator.realtime import protocol
from facilitator.realtime.connections import Kind, Principal
from facilitator.realtime.models import AppliedMutation
from facilitator.realtime.registry import Context, MutationSpec, QuerySpec, Refused
from facilitator.realtime.runtime import current

log = logging.getLogger(__name__)

AnyPayload = TypeVar("AnyPayload", bound=protocol.Payload)


def sender() -> Principal:
    principal = current().connections.get(request.sid)  # type: ignore[attr-defined]
    if principal is None:
        raise Refused(protocol.NOT_CONNECTED, "connect to a workshop first")
    return principal


def check_sender(principal: Principal, senders: frozenset[Kind], event: str) -> None:
    if principal.kind not in senders:
        raise Refused(protocol.FORBIDDEN, f"a {principal.kind} may not send {event}")
    if not current().limits.allow(principal):
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


def run_mutation(spec: MutationSpec[Any], raw: object, *extra: object) -> dict[str, Any]:
    principal = sender()
    check_sender(principal, spec.senders, spec.event)
    data = parse(spec.payload, raw, extra)
    realtime = current()
    if spec.batched and realtime.batches is not None:
        return realtime.batches.submit(spec, principal, data)
    return apply_alone(spec, principal, data)


def apply_alone(
    spec: MutationSpec[Any], principal: Principal, data: protocol.Mutation
) -> dict[str, Any]:
    """One mutation in its own unit of work (a batch's fallback too)."""
    realtime = current()
    try:
        with realtime.factory() as db:
            stored = _stored_result(db, principal, data.cid)
            if stored is not None:
                return protocol.ok(stored.result)
            realtime.registry.check(db, principal)
            now = utcnow()
            result, events = spec.apply(Context(db, principal, now), data)
            db.add(AppliedMutation(**applied_row(principal, spec.event, data.cid, result, now)))
            realtime.commit_then_emit(db, list(events))
    except IntegrityError:
        # The same cid raced in on another connection and won: answer what it stored.
        with realtime.factory() as db:
            stored = _stored_result(db, principal, data.cid)
        if stored is None:
            raise
        return protocol.ok(stored.result)
    return protocol.ok(result)


def applied_row(
    principal: Principal, event: str, cid: str, result: Any, now: datetime
) -> dict[str, Any]:
    """The row that makes a resent cid answer what it stored instead of applying again
    (one mutation's, or one of a batch's many: realtime/batches.py)."""
    return {
        "workshop_id": principal.workshop_id,
        "actor": principal.actor,
        "cid": cid,
        "event": event,
        "result": result,
        "created_at": now,
    }


def run_query(spec: QuerySpec[Any], raw: object, *extra: object) -> dict[str, Any]:
    principal = sender()
    check_sender(principal, spec.senders, spec.event)
    data = parse(spec.payload, raw, extra)
    realtime = current()
    # A session connects only when used: an unguarded query that reads nothing costs none.
    with realtime.factory() as db:
        if spec.guarded:
            realtime.registry.check(db, principal)
        return protocol.ok(spec.answer(Context(db, principal, utcnow()), data))


def _stored_result(db: Session, principal: Principal, cid: str) -> AppliedMutation | None:
    return db.scalar(
        select(AppliedMutation).where(
            AppliedMutation.workshop_id == principal.workshop_id,
            AppliedMutation.actor == principal.actor,
            AppliedMutation.cid == cid,
        )
    )


def refusal(event: str, exc: Refused | DomainError) -> dict[str, Any]:
    if isinstance(exc, Refused):
        return exc.answer
    return protocol.error(exc.code, f"{event} refused: {exc.code}")


def answer(event: str, work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run `work`; turn every refusal and failure into an error acknowledgement."""
    try:
        return work()
    except (Refused, DomainError) as exc:
        return refusal(event, exc)
    except Exception:
        log.exception("%s failed", event)
        return protocol.error(protocol.INTERNAL, "the server failed; the event was not applied")


def handler_for(spec: MutationSpec[Any] | QuerySpec[Any]) -> Callable[..., dict[str, Any]]:
    # *extra: a client that sends two arguments gets an answer, not a TypeError.
    def handle(raw: object = None, *extra: object) -> dict[str, Any]:
        if isinstance(spec, MutationSpec):
            return answer(spec.event, lambda: run_mutation(spec, raw, *extra))
        return answer(spec.event, lambda: run_query(spec, raw, *extra))

    handle.__name__ = "on_" + spec.event.replace(".", "_")
    return handle
