"""What each domain event becomes on the wire, and what follows its commit."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from facilitator.database import utcnow
from facilitator.live.models import LiveState
from facilitator.live.services import LiveChanged, item_runs
from facilitator.live.views import live_view, ms, runs_view
from facilitator.participation.services import (
    LanguageChanged,
    ParticipantRemoved,
    ParticipantsChanged,
)
from facilitator.realtime.broadcast import Outgoing
from facilitator.realtime.connections import Principal, connections
from facilitator.realtime.presence import notifier
from facilitator.realtime.rooms import moderators_room, participant_room, workshop_room


def render(db: Session, event: object, seq: Callable[[], int]) -> list[Outgoing]:
    if isinstance(event, LiveChanged):
        state = db.get(LiveState, event.workshop_id)
        assert state is not None
        db.flush()
        number = seq()
        return [
            Outgoing(
                "live.state",
                {"seq": number, "live": live_view(state), "server_ms": ms(utcnow())},
                workshop_room(event.workshop_id),
            ),
            Outgoing(
                "live.runs",
                {"seq": number, "runs": runs_view(item_runs(db, state.workshop))},
                moderators_room(event.workshop_id),
            ),
        ]
    if isinstance(event, ParticipantRemoved):
        return [
            Outgoing(
                "participant.removed",
                {"participant": event.participant_id},
                participant_room(event.participant_id),
            )
        ]
    return []  # counts go out through the presence notifier


def after_commit(events: list[object], disconnect: Callable[[str], object]) -> None:
    for event in events:
        if isinstance(event, ParticipantsChanged):
            notifier.mark(event.workshop_id)
        elif isinstance(event, ParticipantRemoved):
            for sid in connections.sids_of_participant(event.participant_id):
                connections.remove(sid)
                disconnect(sid)
        elif isinstance(event, LanguageChanged):
            for sid in connections.sids_of_participant(event.participant_id):
                connections.replace(
                    sid,
                    Principal(
                        "participant",
                        event.workshop_id,
                        participant_id=event.participant_id,
                        language=event.language,
                    ),
                )
