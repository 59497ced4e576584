"""Participants on the realtime channel: who may connect as a phone, their language,
their removal, and the counts of who joined and who is connected."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import request
from pydantic import Field
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from facilitator.accounts.models import User
from facilitator.agenda.models import Workshop
from facilitator.participation import services
from facilitator.participation.models import Participant
from facilitator.participation.services import (
    LanguageChanged,
    ParticipantRemoved,
    ParticipantsChanged,
    count_by_language,
    participants,
    recognise_in,
)
from facilitator.participation.wire import participant_view, presence_view
from facilitator.realtime import protocol
from facilitator.realtime.connections import MODERATORS, PARTICIPANTS, Principal
from facilitator.realtime.protocol import Mutation as Payload
from facilitator.realtime.registry import (
    Context,
    Effects,
    Feature,
    Message,
    Refused,
    RenderContext,
    SnapshotContext,
    TallyContext,
    keep,
)
from facilitator.realtime.rooms import moderators, participant

feature = Feature("participation")

PARTICIPANT_COOKIE = "facilitator_participant"
PRESENCE = "presence.changed"

Result = tuple[Any, Sequence[object]]


class Remove(Payload):
    participant: int = Field(ge=1, le=protocol.MAX_INT)


class Language(Payload):
    language: str = Field(min_length=2, max_length=35)


class ProfileStep(Payload):
    """What a participant may add after joining; null (or left out) clears the field."""

    organisation: str | None = Field(default=None, max_length=services.MAX_ORGANISATION)
    country: str | None = Field(default=None, max_length=2)
    stakeholder_type: str | None = Field(default=None, max_length=64)
    organisation_type: str | None = Field(default=None, max_length=64)


@feature.identifies("participant")
def _participant(db: Session, auth: dict[str, Any]) -> Principal:
    given = auth.get("token") or request.cookies.get(PARTICIPANT_COOKIE)
    me = recognise_in(db, str(auth.get("workshop", ""))[:64], str(given) if given else None)
    if me is None:
        raise Refused(protocol.FORBIDDEN, "not a participant of this workshop")
    return Principal("participant", me.workshop_id, participant_id=me.id, language=me.language)


@feature.guard
def _not_removed(db: Session, principal: Principal) -> None:
    if principal.kind != "participant":
        return
    me = db.get(Participant, principal.participant_id)
    if me is None or me.removed_at is not None:  # a deleted workshop takes its participants
        raise Refused(protocol.FORBIDDEN, "you were removed from this workshop")
    keep(db, me)


@feature.preload
def _participants(db: Session, principals: Sequence[Principal]) -> None:
    """A batch's senders in one read: each guard above then finds its own in the session."""
    ids = {p.participant_id for p in principals if p.kind == "participant"}
    if ids:
        keep(db, *db.scalars(_PARTICIPANTS, {"ids": list(ids)}))


_PARTICIPANTS = select(Participant).where(Participant.id.in_(bindparam("ids", expanding=True)))


@feature.mutation("participant.remove", Remove, MODERATORS)
def _remove(ctx: Context, data: Remove) -> Result:
    user = ctx.db.get(User, ctx.principal.user_id)
    workshop = ctx.db.get(Workshop, ctx.principal.workshop_id)
    assert user is not None and workshop is not None
    return None, services.remove(ctx.db, user, workshop, data.participant, ctx.now)


@feature.mutation("participant.language", Language, PARTICIPANTS)
def _language(ctx: Context, data: Language) -> Result:
    me = ctx.db.get(Participant, ctx.principal.participant_id)
    assert me is not None
    return {"language": data.language}, services.change_language(ctx.db, me, data.language)


@feature.mutation("participant.profile", ProfileStep, PARTICIPANTS)
def _profile(ctx: Context, data: ProfileStep) -> Result:
    me = ctx.db.get(Participant, ctx.principal.participant_id)
    assert me is not None
    profile = services.Profile(
        language=me.language,
        organisation=data.organisation,
        country=data.country,
        stakeholder_type=data.stakeholder_type,
        organisation_type=data.organisation_type,
    )
    events = services.update_profile(ctx.db, me, profile)
    stored = {
        "organisation": me.organisation,
        "country": me.country,
        "stakeholder_type": me.stakeholder_type,
        "organisation_type": me.organisation_type,
    }
    return stored, events


@feature.renders(ParticipantRemoved, "participant.removed")
def _removed(_ctx: RenderContext, event: ParticipantRemoved) -> list[Message]:
    # Not sequenced: the phone is disconnected right after, and shows it at once.
    return [
        Message(
            "participant.removed",
            {"participant": event.participant_id},
            participant(event.workshop_id, event.participant_id),
            sequenced=False,
        )
    ]


@feature.after_commit(ParticipantsChanged)
def _recount(effects: Effects, event: ParticipantsChanged) -> None:
    effects.mark(PRESENCE, event.workshop_id)


@feature.after_commit(ParticipantRemoved)
def _disconnect(effects: Effects, event: ParticipantRemoved) -> None:
    effects.disconnect_participant(event.participant_id)


@feature.after_commit(LanguageChanged)
def _relabel(effects: Effects, event: LanguageChanged) -> None:
    effects.relabel_participant(event.participant_id, event.language)


@feature.tally(PRESENCE, moderators, on_connection=True)
def _presence(ctx: TallyContext, workshop_id: int) -> dict[str, Any] | None:
    workshop = ctx.db.get(Workshop, workshop_id)
    if workshop is None:
        return None
    return presence_view(ctx.here(workshop_id).presence(), count_by_language(ctx.db, workshop))


@feature.snapshot
def _snapshot(ctx: SnapshotContext) -> dict[str, Any]:
    principal = ctx.principal
    if principal.kind == "moderator":
        workshop = ctx.db.get(Workshop, principal.workshop_id)
        assert workshop is not None
        here = ctx.here(workshop.id)
        online = set(here.participants)
        return {
            "participants": [
                participant_view(p, p.id in online) for p in participants(ctx.db, workshop)
            ],
            "presence": presence_view(here.presence(), count_by_language(ctx.db, workshop)),
        }
    if principal.kind == "participant":
        me = ctx.db.get(Participant, principal.participant_id)
        assert me is not None
        return {"me": {"id": me.id, "name": me.display_name, "language": me.language}}
    return {}
