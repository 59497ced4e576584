"""The only place room names are built."""

from __future__ import annotations


def workshop_room(workshop_id: int) -> str:
    """Every screen of a workshop: moderators, projectors, phones."""
    return f"w:{workshop_id}"


def moderators_room(workshop_id: int) -> str:
    return f"w:{workshop_id}:moderators"


def participant_room(participant_id: int) -> str:
    """Every device of one participant (a phone and a laptop, say)."""
    return f"p:{participant_id}"
