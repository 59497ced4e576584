"""The program part of snapshots, built once per agenda version."""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from facilitator.agenda.models import ItemPerson, ProgramItem, Workshop
from facilitator.live.wire import workshop_view


class ProgramCache:
    """A room of phones each asks for a snapshot on connecting, and the program in it
    (days, items, speakers) only changes when the agenda is loaded again, which gives
    the workshop a new `updated_at`. Keyed on it, a cache in each worker process stays
    right with several workers too."""

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
            view = workshop_view(load_program(db, workshop_id))
            with self._lock:
                self._views[key] = view
                while len(self._views) > self._size:
                    self._views.popitem(last=False)
        return workshop, view


def load_program(db: Session, workshop_id: int) -> Workshop:
    """The workshop with its days, items and speakers, in three queries, not one per item."""
    workshop = db.scalar(
        select(Workshop)
        .where(Workshop.id == workshop_id)
        .options(
            selectinload(Workshop.days),
            selectinload(Workshop.program)
            .selectinload(ProgramItem.speaker_links)
            .joinedload(ItemPerson.person),
        )
    )
    assert workshop is not None
    return workshop
