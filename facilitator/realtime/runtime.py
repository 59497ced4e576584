"""The realtime state of one app: its Socket.IO server, registry, sockets, limits, tallies.

Kept on the app (`app.extensions`), never in module globals, so that two apps in one
process (tests, a CLI beside a server) are really independent.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app
from flask_socketio import SocketIO
from sqlalchemy.orm import Session, sessionmaker

from facilitator.realtime.batches import GroupCommit
from facilitator.realtime.board import PresenceBoard
from facilitator.realtime.broadcast import Outgoing, prepare, send
from facilitator.realtime.connections import Connections, Kind, Principal
from facilitator.realtime.kicks import Kick, Kicker
from facilitator.realtime.limits import SenderLimits
from facilitator.realtime.registry import Registry, Tally, TallyContext
from facilitator.realtime.tallies import Tallies

log = logging.getLogger(__name__)

KEY = "facilitator.realtime"


@dataclass
class Realtime:
    app: Flask
    socketio: SocketIO
    factory: sessionmaker[Session]
    registry: Registry
    connections: Connections
    board: PresenceBoard
    limits: SenderLimits
    kicker: Kicker | None = None  # set by init_realtime, once it can call apply_kick
    batches: GroupCommit | None = None  # set by init_realtime: batched mutations' group commit
    tallies: Tallies = field(default_factory=Tallies)
    cache: dict[str, Any] = field(default_factory=dict)
    # What each tally last sent to each room, and when: an unchanged count is not sent
    # again, and a paced one (`every`) waits its turn in `tallies_waiting`.
    sent_tallies: dict[tuple[str, str], Any] = field(default_factory=dict)
    tally_sent_at: dict[tuple[str, str], float] = field(default_factory=dict)
    tallies_waiting: list[tuple[Tally, int]] = field(default_factory=list)

    # --- sending --------------------------------------------------------------------

    def emit(self, event: str, data: Any, *, to: str) -> None:
        self.socketio.emit(event, data, to=to)

    def commit_then_emit(self, db: Session, events: Sequence[object]) -> None:
        """The one step that follows a service call, from a socket or a route: number
        and render the events inside the transaction, commit, and only then emit them
        and run what follows. A failed commit emits nothing. What other features change
        along with the events (`Feature.along`) joins the same transaction first."""
        events = self.registry.along(db, events)
        outgoing: list[Outgoing] = prepare(db, self.registry, events)
        db.commit()
        send(self.emit, outgoing)
        self.registry.follow(self, events)

    # --- what may follow a commit (registry.Effects) ----------------------------------

    def mark(self, tally: str, workshop_id: int) -> None:
        self.tallies.mark(tally, workshop_id)

    def disconnect_participant(self, participant_id: int) -> None:
        for sid in self.connections.sids_of_participant(participant_id):
            self.connections.remove(sid)
            self.socketio.server.disconnect(sid, namespace="/")

    def relabel_participant(self, participant_id: int, language: str) -> None:
        for sid in self.connections.sids_of_participant(participant_id):
            principal = self.connections.get(sid)
            if principal is not None:
                self.connections.replace(
                    sid,
                    Principal(
                        "participant",
                        principal.workshop_id,
                        participant_id=participant_id,
                        language=language,
                    ),
                )

    def kick(self, workshop_id: int, kind: Kind | None = None, user_id: int | None = None) -> None:
        assert self.kicker is not None
        self.kicker.send(Kick(workshop_id, kind, user_id))

    def apply_kick(self, kick: Kick) -> None:
        """Close this worker's sockets that the kick names."""
        sids = self.connections.matching(kick.matches)
        for sid in sids:
            self.connections.remove(sid)
            self.socketio.server.disconnect(sid, namespace="/")
        if sids:
            self.connection_changed(kick.workshop_id)

    # --- sockets coming and going, coalesced tallies -----------------------------------

    def connection_changed(self, workshop_id: int) -> None:
        watching = [
            event
            for event, tallies in self.registry.tallies.items()
            if any(t.on_connection for t in tallies)
        ]
        self.tallies.mark_connection(workshop_id, watching)
        if not self.app.config.get("TESTING"):  # tests flush by hand
            self.tallies.start(self.socketio.start_background_task, self.socketio.sleep, self.tick)
        if self.kicker is not None:
            self.kicker.start(self.socketio.start_background_task)

    def tick(self) -> None:
        try:
            with self.app.app_context():
                self.flush_tallies()
        except Exception:  # the loop must outlive one bad count
            log.exception("sending tallies failed")

    def flush_tallies(self) -> None:
        self.board.renew()
        dirty, changed = self.tallies.take()
        for workshop_id in changed:
            self.board.publish(workshop_id)
        due = [(t, wid) for name, wid in sorted(dirty) for t in self.registry.tallies[name]]
        due += self.tallies_waiting
        self.tallies_waiting = []
        if not due:
            return
        now = time.monotonic()
        with self.factory() as db:
            ctx = TallyContext(db, self.board.here)
            counted: dict[tuple[int, int], dict[str, Any] | None] = {}  # one count a tick
            sending: set[tuple[str, str]] = set()
            paced_rooms: set[str] = set()
            for tally, workshop_id in due:
                room = tally.audience(workshop_id).room
                if (tally.event, room) in sending:
                    continue
                sending.add((tally.event, room))
                if now - self.tally_sent_at.get((tally.event, room), -1e9) < tally.every or (
                    tally.every and room in paced_rooms
                ):
                    # At its pace, later; and one paced count a tick to a room: a thousand
                    # phones' two counts of a second go out on two ticks, not one stall.
                    self.tallies_waiting.append((tally, workshop_id))
                    continue
                key = (id(tally.compute), workshop_id)
                if key not in counted:
                    counted[key] = tally.compute(ctx, workshop_id)
                data = counted[key]
                if data is None:
                    continue
                # One process sends every count, so what it sent last is what screens hold:
                # an unchanged count need not wake a room. With several workers the others
                # send too, and this worker's last count may be stale: always send.
                if not self.app.config.get("MESSAGE_QUEUE"):
                    if self.sent_tallies.get((tally.event, room)) == data:
                        continue
                    self.sent_tallies[(tally.event, room)] = data
                self.tally_sent_at[(tally.event, room)] = now
                if tally.every:
                    paced_rooms.add(room)
                self.emit(tally.event, data, to=room)


def current() -> Realtime:
    """The realtime state of the app handling this request or socket event."""
    realtime: Realtime = current_app.extensions[KEY]
    return realtime
