"""Group commit: mutations of one kind that arrive together share one unit of work.

When a whole room answers at once, most of what one answer costs is fixed: a session,
the idempotency read, the guards' reads, a commit, a stream number per message. A
batched mutation (`Feature.mutation(..., batched=True)`) waits a few milliseconds for
the others of its kind; the first to arrive leads the batch: it runs them all in one
transaction with one commit (by the feature's `apply_many` where it has one, set-based,
else each `apply` in a savepoint), emits after the commit, and hands the lead to the
first that arrived meanwhile. Each sender still gets its own acknowledgement, and a
refusal refuses only its own mutation (each `apply` in a savepoint, unless the mutation
declares `checks_first`: it refuses before it writes). A lone mutation runs after the
window, alone.

Should the shared transaction fail as a whole (a race with another worker that breaks a
unique key, say), every mutation of the batch is run again alone, as if it had come
alone: what was stored by a resent cid is answered from the store, not applied twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Select, Table, and_, bindparam, insert, or_, select
from sqlalchemy.orm import Session

from facilitator.database import savepoint, utcnow
from facilitator.domain import DomainError
from facilitator.realtime import protocol
from facilitator.realtime.connections import Principal
from facilitator.realtime.models import AppliedMutation
from facilitator.realtime.registry import Ask, BatchContext, Context, MutationSpec, Outcome, Refused

if TYPE_CHECKING:
    from facilitator.realtime.runtime import Realtime

log = logging.getLogger(__name__)

Key = tuple[int, str, str]  # workshop, actor, cid: what makes a mutation once


@dataclass(eq=False)
class Ticket:
    spec: MutationSpec[Any]
    principal: Principal
    data: protocol.Mutation
    woken: threading.Event = field(default_factory=threading.Event)
    lead: bool = False
    answer: dict[str, Any] | None = None

    @property
    def key(self) -> Key:
        return (self.principal.workshop_id, self.principal.actor, self.data.cid)


class GroupCommit:
    def __init__(
        self,
        realtime: Realtime,
        *,
        window: float,
        most: int,
        sleep: Callable[[float], Any],
        alone: Callable[[MutationSpec[Any], Principal, protocol.Mutation], dict[str, Any]],
    ) -> None:
        self.realtime = realtime
        self.window = window  # seconds a leader waits for others to join
        self.most = most  # mutations in one batch at the most
        self.sleep = sleep
        self.alone = alone  # the fallback: one mutation in its own unit of work
        self.lock = threading.Lock()  # green under eventlet and gevent (monkey-patched)
        self.queues: dict[str, list[Ticket]] = {}
        self.leading: set[str] = set()
        self.batches = 0  # how many ran, and how many mutations they held: for tests
        self.batched = 0

    def submit(
        self, spec: MutationSpec[Any], principal: Principal, data: protocol.Mutation
    ) -> dict[str, Any]:
        """Run the mutation with the others of its kind; its acknowledgement."""
        ticket = Ticket(spec, principal, data)
        with self.lock:
            self.queues.setdefault(spec.event, []).append(ticket)
            if spec.event not in self.leading:
                self.leading.add(spec.event)
                ticket.lead = True
        if not ticket.lead:
            ticket.woken.wait()  # until its batch ran, or the lead is handed to it
        if ticket.lead:
            self._lead(spec.event)
        assert ticket.answer is not None
        return ticket.answer

    def _lead(self, event: str) -> None:
        self.sleep(self.window)  # the others that arrive now come along
        with self.lock:
            queue = self.queues[event]
            batch, queue[:] = queue[: self.most], queue[self.most :]
        try:
            self._run(batch)
        finally:
            with self.lock:
                if queue:  # the first that waits leads the next batch
                    queue[0].lead = True
                    queue[0].woken.set()
                else:
                    self.leading.discard(event)
            for ticket in batch:
                if ticket.answer is None:
                    ticket.answer = protocol.error(
                        protocol.INTERNAL, "the server failed; the event was not applied"
                    )
                ticket.woken.set()

    def _run(self, batch: list[Ticket]) -> None:
        from facilitator.realtime.handlers import answer  # the handlers import this module

        self.batches += 1
        self.batched += len(batch)
        event = batch[0].spec.event
        try:
            with self.realtime.factory() as db:
                self._together(db, batch, utcnow())
        except Exception:
            log.warning(
                "a batch of %d %s failed together: each runs alone",
                len(batch),
                event,
                exc_info=True,
            )
            for ticket in batch:
                if ticket.answer is None or ticket.answer.get("ok"):
                    # Alone, a mutation the batch committed answers from the store.
                    ticket.answer = answer(event, self._alone_call(ticket))

    def _alone_call(self, ticket: Ticket) -> Callable[[], dict[str, Any]]:
        return lambda: self.alone(ticket.spec, ticket.principal, ticket.data)

    def _together(self, db: Session, batch: list[Ticket], now: datetime) -> None:
        from facilitator.realtime.handlers import applied_row, refusal

        spec = batch[0].spec
        stored = _stored_results(db, batch)
        first: dict[Key, Ticket] = {}
        repeats: list[tuple[Ticket, Ticket]] = []
        fresh: list[Ticket] = []
        for ticket in batch:
            if ticket.key in stored:
                ticket.answer = protocol.ok(stored[ticket.key])
            elif ticket.key in first:  # the same cid twice in one batch: one answer
                repeats.append((ticket, first[ticket.key]))
            else:
                first[ticket.key] = ticket
                fresh.append(ticket)
        registry = self.realtime.registry
        registry.preload(db, [t.principal for t in fresh])
        allowed: list[Ticket] = []
        for ticket in fresh:
            try:
                registry.check(db, ticket.principal)
                allowed.append(ticket)
            except (Refused, DomainError) as exc:
                ticket.answer = refusal(spec.event, exc)
        outcomes = self._apply(db, spec, allowed, now)
        events: list[object] = []
        done: list[tuple[Ticket, Any]] = []
        for ticket, outcome in zip(allowed, outcomes, strict=True):
            if isinstance(outcome, (Refused, DomainError)):
                ticket.answer = refusal(spec.event, outcome)
                continue
            result, produced = outcome
            events.extend(produced)
            done.append((ticket, result))
        if done:  # one INSERT of many rows (as objects, the ORM sends one a row)
            rows = [applied_row(t.principal, spec.event, t.data.cid, r, now) for t, r in done]
            db.connection().execute(_RECORD, rows)
        self.realtime.commit_then_emit(db, events)
        for ticket, result in done:
            ticket.answer = protocol.ok(result)
        for ticket, original in repeats:
            ticket.answer = original.answer

    @staticmethod
    def _apply(
        db: Session, spec: MutationSpec[Any], tickets: Sequence[Ticket], now: datetime
    ) -> list[Outcome]:
        if not tickets:
            return []
        if spec.apply_many is not None:
            asks = [Ask(t.principal, t.data) for t in tickets]
            outcomes = spec.apply_many(BatchContext(db, now), asks)
            if len(outcomes) != len(asks):
                raise RuntimeError(f"{spec.event}: {len(outcomes)} outcomes for {len(asks)}")
            return outcomes
        results: list[Outcome] = []
        for ticket in tickets:
            ctx = Context(db, ticket.principal, now)
            try:
                if spec.checks_first:  # a refusal has written nothing to take back
                    results.append(spec.apply(ctx, ticket.data))
                    continue
                with savepoint(db):  # a refusal takes back its own writes, no one else's
                    results.append(spec.apply(ctx, ticket.data))
            except (Refused, DomainError) as exc:
                results.append(exc)
        return results


def _stored_results(db: Session, batch: Sequence[Ticket]) -> dict[Key, Any]:
    """The results already stored for the batch's cids (resent by an outbox), in one read."""
    keys = list({t.key for t in batch})
    params: dict[str, Any] = {}
    for n, (workshop, actor, cid) in enumerate(keys):
        params |= {f"w{n}": workshop, f"a{n}": actor, f"c{n}": cid}
    rows = db.connection().execute(_stored_statement(len(keys)), params)
    return {(row.workshop_id, row.actor, row.cid): row.result for row in rows}


def _stored_statement(size: int) -> Select[tuple[int, str, str, Any]]:
    """One lookup of the unique key per cid, OR'ed: the index finds each row.

    Built once per batch size and kept. Not `IN` lists per column: SQLite looks up every
    combination of the lists (a batch of 60 made 3,600 lookups, 3 ms), and by workshop
    and cid alone it scanned every cid of the workshop."""
    if size not in _STORED:
        _STORED[size] = _COLUMNS.where(
            or_(
                *(
                    and_(
                        _APPLIED.c.workshop_id == bindparam(f"w{n}"),
                        _APPLIED.c.actor == bindparam(f"a{n}"),
                        _APPLIED.c.cid == bindparam(f"c{n}"),
                    )
                    for n in range(size)
                )
            )
        )
    return _STORED[size]


# Built once: a statement made per batch costs more than the query (cache keys, coercions).
_APPLIED = cast(Table, AppliedMutation.__table__)
_COLUMNS: Select[tuple[int, str, str, Any]] = select(
    _APPLIED.c.workshop_id, _APPLIED.c.actor, _APPLIED.c.cid, _APPLIED.c.result
)
_STORED: dict[int, Select[tuple[int, str, str, Any]]] = {}
_RECORD = insert(_APPLIED)
