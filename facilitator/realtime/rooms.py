"""The only place room names are built, and the audiences whose streams are sent to them."""

from __future__ import annotations

from dataclasses import dataclass


def workshop_room(workshop_id: int) -> str:
    """Every screen of a workshop: moderators, projectors, phones."""
    return f"w:{workshop_id}"


def moderators_room(workshop_id: int) -> str:
    return kind_room(workshop_id, "moderator")


def kind_room(workshop_id: int, kind: str) -> str:
    """Every screen of one kind in a workshop (`w:<id>:moderators`, `:displays`,
    `:participants`): counts are paced per kind, a projector animating four a second
    while a phone on the venue's Wi-Fi needs one."""
    return f"w:{workshop_id}:{kind}s"  # w:<workshop id>:<kind>s


def participant_room(participant_id: int) -> str:
    """Every device of one participant (a phone and a laptop, say)."""
    return f"p:{participant_id}"


GROUP_ROOM_PREFIX = "g:"


def group_room(group_id: int) -> str:
    """A part of the room (a breakout group): its members' devices, and the moderators."""
    return f"{GROUP_ROOM_PREFIX}{group_id}"


@dataclass(frozen=True)
class Audience:
    """Who receives an event: one room, with a sequence of its own.

    `stream` is the name a client knows the sequence by; the room name is unique in
    the whole database, so it also keys the stream's counter.
    """

    stream: str
    workshop_id: int
    room: str


def everyone(workshop_id: int) -> Audience:
    return Audience("workshop", workshop_id, workshop_room(workshop_id))


def moderators(workshop_id: int) -> Audience:
    return Audience("moderators", workshop_id, moderators_room(workshop_id))


def displays(workshop_id: int) -> Audience:
    """The projectors and speakers' tablets: unsequenced counts only (tallies)."""
    return Audience("displays", workshop_id, kind_room(workshop_id, "display"))


def phones(workshop_id: int) -> Audience:
    """Every participant's device: unsequenced counts only (tallies)."""
    return Audience("phones", workshop_id, kind_room(workshop_id, "participant"))


def participant(workshop_id: int, participant_id: int) -> Audience:
    return Audience("participant", workshop_id, participant_room(participant_id))


def group(workshop_id: int, group_id: int) -> Audience:
    """One group's stream. Its name carries the id: a screen that follows several groups
    (a moderator's) or moves from one to another (a phone's) keeps their numbers apart."""
    return Audience(f"group:{group_id}", workshop_id, group_room(group_id))
