"""What moderators' screens receive about participants: plain data, never sentences."""

from __future__ import annotations

from typing import Any

from facilitator.participation.models import Participant
from facilitator.realtime.connections import Presence


def participant_view(participant: Participant, connected: bool) -> dict[str, Any]:
    return {
        "id": participant.id,
        "name": participant.display_name,
        "language": participant.language,
        "organisation": participant.organisation,
        "country": participant.country,
        "stakeholder_type": participant.stakeholder_type,
        "organisation_type": participant.organisation_type,
        "connected": connected,
    }


def presence_view(presence: Presence, joined: dict[str, int]) -> dict[str, Any]:
    return {
        "connected": {"total": presence.participants, "by_language": presence.by_language},
        "joined": {"total": sum(joined.values()), "by_language": joined},
        "moderators": presence.moderators,
        "displays": presence.displays,
    }
