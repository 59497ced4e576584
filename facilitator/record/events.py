"""The record on the realtime channel: moderators save notes over their socket, and the
consoles hear every saved note (`record.note_saved`) and change (`record.changed`).

Rapporteurs cannot connect a socket (the moderator kind requires CAN_RUN): they save
through the JSON routes in routes.py, which commit and emit through the same step.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from facilitator.accounts.models import User
from facilitator.agenda.models import Workshop
from facilitator.database import utcnow
from facilitator.realtime.connections import MODERATORS
from facilitator.realtime.registry import (
    Context,
    Feature,
    Message,
    Refused,
    RenderContext,
    TallyContext,
)
from facilitator.realtime.rooms import moderators
from facilitator.record import notes, wire
from facilitator.record.changes import NoteSaved, RecordChanged
from facilitator.record.models import Note, RecordSettings
from facilitator.record.notes import Where
from facilitator.record.payloads import SaveNote
from facilitator.record.peak import raise_peak

feature = Feature("record")

PEAK = "record.peak"


def save(ctx: Context, payload: SaveNote, actor: User) -> tuple[Any, Sequence[object]]:
    workshop = ctx.db.get(Workshop, ctx.principal.workshop_id)
    assert workshop is not None
    where = Where(payload.kind, payload.item, payload.person, payload.question, payload.name)
    saved, events = notes.save_note(
        ctx.db,
        actor,
        workshop,
        where,
        payload.text,
        payload.language,
        payload.based_on,
        payload.cid,
        ctx.now,
    )
    view = wire.note_view(ctx.db, saved.note)
    if not saved.ok:
        raise Refused(
            "conflict",
            "the note changed since the version this save was based on",
            note=view,
            yours=saved.text,
        )
    return view, events


@feature.mutation("record.note", SaveNote, MODERATORS)
def save_note(ctx: Context, payload: SaveNote) -> tuple[Any, Sequence[object]]:
    actor = ctx.db.get(User, ctx.principal.user_id)
    if actor is None:
        raise Refused("forbidden", "no such user")
    return save(ctx, payload, actor)  # a NoteRefused answers with its code


@feature.renders(NoteSaved, "record.note_saved")
def render_note(ctx: RenderContext, event: NoteSaved) -> list[Message]:
    note = ctx.db.get(Note, event.note_id)
    if note is None:
        return []
    data = {**wire.note_view(ctx.db, note), "author": event.author_id}
    return [Message("record.note_saved", data, moderators(event.workshop_id))]


@feature.renders(RecordChanged, "record.changed")
def render_changed(ctx: RenderContext, event: RecordChanged) -> list[Message]:
    return [Message("record.changed", {"what": event.what}, moderators(event.workshop_id))]


# Per process and database: the highest count already stored, so most recounts touch
# no row.
_peaks: dict[tuple[str, int], int] = {}


@feature.tally(PEAK, moderators, on_connection=True)
def keep_peak(ctx: TallyContext, workshop_id: int) -> None:
    """Never sent: raises the stored peak of connected phones when the count passes it."""
    connected = len(ctx.here(workshop_id).participants)
    key = (str(ctx.db.get_bind().engine.url), workshop_id)
    if connected == 0 or connected <= _peaks.get(key, 0):
        return None
    if raise_peak(ctx.db, workshop_id, connected, utcnow()):
        ctx.db.commit()  # the tallies' session writes nothing else
        _peaks[key] = connected
    else:  # another worker (or an earlier run) stored a higher one
        stored = ctx.db.get(RecordSettings, workshop_id)
        _peaks[key] = max(connected, (stored and stored.peak_connected) or 0)
        ctx.db.rollback()
    return None
