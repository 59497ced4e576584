"""The full picture a screen receives on connecting or after missing events."""

from __future__ import annotations

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


def snapshot(db: Session, principal: Principal, base_url: str) -> dict[str, Any]:
    # Every screen syncs on connecting: load the program and its speakers in three
    # queries, not one per item.
    workshop = db.scalar(
        select(Workshop)
        .where(Workshop.id == principal.workshop_id)
        .options(
            selectinload(Workshop.days),
            selectinload(Workshop.program)
            .selectinload(ProgramItem.speaker_links)
            .joinedload(ItemPerson.person),
        )
    )
    assert workshop is not None
    state = live_state(db, workshop)
    data: dict[str, Any] = {
        "seq": state.seq,
        "server_ms": ms(utcnow()),
        "role": principal.kind,
        "workshop": workshop_view(workshop),
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
