"""The full picture a screen receives on connecting or after missing events."""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from facilitator.agenda.models import ItemPerson, ProgramItem, Workshop
from facilitator.database import utcnow
from facilitator.live.services import item_runs, live_state
from facilitator.live.views import (
    join_view,
    live_view,
    ms,
    participant_view,
    presence_view,
    runs_view,
    workshop_view,
)
from facilitator.participation.models import Participant
from facilitator.participation.services import count_by_language, participants
from facilitator.realtime.connections import Principal
from facilitator.realtime.presence import notifier


class ProgramCache:
    """The workshop part of snapshots, built once per agenda version.

    A room of phones each asks for a snapshot on connecting, and the program in it
    (days, items, speakers) only changes when the agenda is loaded again, which
    gives the workshop a new `updated_at`. Keyed on it, a cache in each worker
    process stays right with several workers too.
    """

    def __init__(self, size: int = 64) -> None:
        self._views: OrderedDict[tuple[int, datetime], dict[str, Any]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def workshop(self, db: Session, workshop_id: int) -> tuple[Workshop, dict[str, Any]]:
        workshop = db.get(Workshop, workshop_id)
        assert workshop is not None
        key = (workshop.id, workshop.updated_at)
        with self._lock:
            view = self._views.get(key)
        if view is None:
            # Load the program and its speakers in three queries, not one per item.
            db.scalar(
                select(Workshop)
                .where(Workshop.id == workshop_id)
                .options(
                    selectinload(Workshop.days),
                    selectinload(Workshop.program)
                    .selectinload(ProgramItem.speaker_links)
                    .joinedload(ItemPerson.person),
                )
            )
            view = workshop_view(workshop)
            with self._lock:
                self._views[key] = view
                while len(self._views) > self._size:
                    self._views.popitem(last=False)
        return workshop, view

    def clear(self) -> None:
        with self._lock:
            self._views.clear()


programs = ProgramCache()


def snapshot(db: Session, principal: Principal, base_url: str) -> dict[str, Any]:
    workshop, program = programs.workshop(db, principal.workshop_id)
    state = live_state(db, workshop)
    data: dict[str, Any] = {
        "seq": state.seq,
        "server_ms": ms(utcnow()),
        "role": principal.kind,
        "workshop": program,
        "live": live_view(state),
        "join": join_view(state, base_url),
    }
    if principal.kind == "moderator":
        here = notifier.board.here(workshop.id)
        online = set(here.participants)
        data["runs"] = runs_view(item_runs(db, workshop))
        data["participants"] = [
            participant_view(p, p.id in online) for p in participants(db, workshop)
        ]
        data["presence"] = presence_view(here.presence(), count_by_language(db, workshop))
        data["display_token"] = state.display_token
    elif principal.kind == "participant":
        me = db.get(Participant, principal.participant_id)
        assert me is not None
        data["me"] = {"id": me.id, "name": me.display_name, "language": me.language}
    return data
