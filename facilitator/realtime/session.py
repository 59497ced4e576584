"""Connecting, resyncing and the clock: the events every screen uses.

A socket says who it is in its `auth` payload when it connects:
  {"as": "moderator", "workshop": slug}             (logged-in organiser or moderator)
  {"as": "display", "token": display_token}          (a projector's link)
  {"as": "participant", "workshop": slug, "token": t} (a phone's token; the cookie also works)
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_socketio import ConnectionRefusedError, join_room
from pydantic import Field
from sqlalchemy import select

from facilitator.accounts.access import current_account
from facilitator.accounts.services import CAN_RUN, AccountError, require_role
from facilitator.agenda.services import find_workshop
from facilitator.database import utcnow
from facilitator.extensions import db as database
from facilitator.live.models import LiveState
from facilitator.live.views import ms
from facilitator.participation.services import recognise_in
from facilitator.realtime import protocol
from facilitator.realtime.connections import Kind, Principal, connections
from facilitator.realtime.handlers import answer, check_sender, parse, sender
from facilitator.realtime.presence import notifier
from facilitator.realtime.rooms import moderators_room, participant_room, workshop_room
from facilitator.realtime.snapshot import snapshot

PARTICIPANT_COOKIE = "facilitator_participant"
ALL: frozenset[Kind] = frozenset({"moderator", "participant", "display"})


class Sync(protocol.Payload):
    last_seq: int = Field(default=-1, ge=-1)


class Ping(protocol.Payload):
    pass


def base_url() -> str:
    configured: str | None = current_app.config.get("PUBLIC_URL")
    return configured or request.host_url


def identify(auth: object) -> Principal:
    """Who is connecting, from the auth payload and the cookies; refuse anyone else."""
    if not isinstance(auth, dict):
        raise ConnectionRefusedError("auth_required")
    role = auth.get("as")
    if role not in ("display", "moderator", "participant"):
        raise ConnectionRefusedError("auth_required")
    db = database.session
    if role == "display":
        token = str(auth.get("token", ""))[:64]
        state = db.scalar(select(LiveState).where(LiveState.display_token == token))
        if not token or state is None:
            raise ConnectionRefusedError("forbidden")
        return Principal("display", state.workshop_id)
    # Log-in first, as the pages do: a visitor learns nothing of which workshops exist.
    user = current_account() if role == "moderator" else None
    if role == "moderator" and user is None:
        raise ConnectionRefusedError("login_required")
    slug = str(auth.get("workshop", ""))[:64]
    if user is None:  # a participant (a moderator without a log-in was refused above)
        given = auth.get("token") or request.cookies.get(PARTICIPANT_COOKIE)
        participant = recognise_in(db, slug, str(given) if given else None)
        if participant is None:
            raise ConnectionRefusedError("forbidden")
        return Principal(
            "participant",
            participant.workshop_id,
            participant_id=participant.id,
            language=participant.language,
        )
    workshop = find_workshop(db, slug)
    if workshop is None:
        raise ConnectionRefusedError("forbidden")
    try:
        require_role(db, user, workshop, CAN_RUN)
    except AccountError as exc:
        raise ConnectionRefusedError("forbidden") from exc
    return Principal("moderator", workshop.id, user_id=user.id)


def on_connect(auth: object = None) -> None:
    principal = identify(auth)
    sid: str = request.sid  # type: ignore[attr-defined]
    connections.add(sid, principal)
    join_room(workshop_room(principal.workshop_id))
    if principal.kind == "moderator":
        join_room(moderators_room(principal.workshop_id))
    if principal.participant_id is not None:
        join_room(participant_room(principal.participant_id))
    notifier.mark(principal.workshop_id)
    current_app.extensions["facilitator.start_presence"]()


def on_disconnect(*_reason: object) -> None:
    principal = connections.remove(request.sid)  # type: ignore[attr-defined]
    if principal is not None:
        notifier.mark(principal.workshop_id)


def on_sync(raw: object = None, *extra: object) -> dict[str, Any]:
    """The snapshot; a client sends its last seq, and gets everything it may see."""

    def work() -> dict[str, Any]:
        principal = sender()
        check_sender(principal, ALL, "live.sync")
        parse(Sync, raw, extra)
        with database.factory() as db:
            data = snapshot(db, principal, base_url())
            db.commit()  # the first sync of a workshop creates its live row
        return protocol.ok(data)

    return answer("live.sync", work)


def on_ping(raw: object = None, *extra: object) -> dict[str, Any]:
    """The server's clock, for screens to agree on timers within a second."""

    def work() -> dict[str, Any]:
        principal = sender()
        check_sender(principal, ALL, "clock.ping")
        parse(Ping, raw, extra)
        return protocol.ok({"server_ms": ms(utcnow())})

    return answer("clock.ping", work)
