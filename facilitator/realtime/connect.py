"""Connecting, leaving and resyncing: the part of the protocol every screen shares.

A socket says who it is in its `auth` payload when it connects; the feature that owns
that kind of screen identifies it (docs/protocol.md):
  {"as": "moderator", "workshop": slug}             (logged-in organiser or moderator)
  {"as": "display", "token": display_token}          (a projector's link)
  {"as": "participant", "workshop": slug, "token": t} (a phone's token; the cookie also works)
"""

from __future__ import annotations

from typing import Annotated, Any

from flask import request
from flask_socketio import ConnectionRefusedError, join_room, leave_room
from pydantic import Field
from sqlalchemy.orm import Session

from facilitator.database import utcnow
from facilitator.public_url import base_url
from facilitator.realtime import protocol, streams
from facilitator.realtime.connections import EVERYONE, Principal
from facilitator.realtime.handlers import answer, check_sender, parse, sender
from facilitator.realtime.registry import Refused, SnapshotContext
from facilitator.realtime.rooms import (
    GROUP_ROOM_PREFIX,
    Audience,
    everyone,
    kind_room,
    moderators,
    participant,
)
from facilitator.realtime.runtime import current

MECHANISM_EVENTS = ("live.sync",)  # the client -> server events no feature declares
KINDS = ("display", "moderator", "participant")
StreamName = Annotated[str, Field(pattern=r"^(workshop|moderators|participant|group:[0-9]{1,12})$")]


class Sync(protocol.Payload):
    """What a client has seen, by stream; the server answers with everything anyway."""

    streams: dict[StreamName, Annotated[int, Field(ge=0, le=protocol.MAX_INT)]] | None = None


def own_audiences(principal: Principal) -> list[Audience]:
    """The rooms every socket of its kind joins: one stream each."""
    joined = [everyone(principal.workshop_id)]
    if principal.kind == "moderator":
        joined.append(moderators(principal.workshop_id))
    if principal.participant_id is not None:
        joined.append(participant(principal.workshop_id, principal.participant_id))
    return joined


def audiences(db: Session, principal: Principal) -> list[Audience]:
    """Its own rooms, and the groups the features place it in now."""
    return own_audiences(principal) + current().registry.groups(db, principal)


def stream_numbers(db: Session, principal: Principal) -> dict[str, int]:
    """The last number of each stream the principal's screen follows."""
    return streams.current(db, audiences(db, principal))


def identify(auth: object) -> tuple[Principal, list[Audience]]:
    """Who is connecting, by the feature that owns that kind of screen, and the rooms it
    joins; refuse anyone else."""
    if not isinstance(auth, dict) or auth.get("as") not in KINDS:
        raise ConnectionRefusedError("auth_required")
    realtime = current()
    identify_kind = realtime.registry.identifiers.get(str(auth["as"]))
    if identify_kind is None:
        raise ConnectionRefusedError("auth_required")
    with realtime.factory() as db:
        try:
            principal = identify_kind(db, auth)
        except Refused as refused:
            raise ConnectionRefusedError(refused.code) from refused
        return principal, audiences(db, principal)


def on_connect(auth: object = None) -> None:
    principal, joined = identify(auth)
    realtime = current()
    realtime.connections.add(request.sid, principal)  # type: ignore[attr-defined]
    for audience in joined:
        join_room(audience.room)
    join_room(kind_room(principal.workshop_id, principal.kind))  # its kind's paced counts
    realtime.connections.regroup(request.sid, _groups(joined))  # type: ignore[attr-defined]
    realtime.connection_changed(principal.workshop_id)


def _groups(joined: list[Audience]) -> frozenset[str]:
    return frozenset(a.room for a in joined if a.room.startswith(GROUP_ROOM_PREFIX))


def regroup(joined: list[Audience]) -> None:
    """Move this socket to the groups it belongs to now (it asked for a snapshot, so it
    is on this worker): leave the groups it left, join the new ones (and its own rooms
    again, which costs nothing when it is in them)."""
    sid = request.sid  # type: ignore[attr-defined]
    left, _entered = current().connections.regroup(sid, _groups(joined))
    for room in left:
        leave_room(room)
    for audience in joined:
        join_room(audience.room)


def on_disconnect(*_reason: object) -> None:
    realtime = current()
    principal = realtime.connections.remove(request.sid)  # type: ignore[attr-defined]
    if principal is not None:
        realtime.connection_changed(principal.workshop_id)


def snapshot(principal: Principal) -> dict[str, Any]:
    """Everything the sender may see, with the last number of each of its streams."""
    realtime = current()
    with realtime.factory() as db:
        realtime.registry.check(db, principal)
        # Numbers first, then the state: an event committed in between is in the state
        # AND arrives after (screens apply it twice, harmlessly); the other order could
        # number the snapshot past an event it does not hold, and the screen would drop it.
        data: dict[str, Any] = {"role": principal.kind}
        joined = audiences(db, principal)
        regroup(joined)
        data["streams"] = streams.current(db, joined)
        ctx = SnapshotContext(db, principal, base_url(), realtime.board.here, realtime.cache)
        for part in realtime.registry.snapshot_parts:
            data.update(part(ctx))
        data["server_ms"] = int(utcnow().timestamp() * 1000)
        db.commit()  # the first sync of a workshop may create its rows (its live state)
    return data


def on_sync(raw: object = None, *extra: object) -> dict[str, Any]:
    def work() -> dict[str, Any]:
        principal = sender()
        check_sender(principal, EVERYONE, "live.sync")
        parse(Sync, raw, extra)
        return protocol.ok(snapshot(principal))

    return answer("live.sync", work)
