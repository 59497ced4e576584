"""The workshop and the participant behind a realtime event's sender.

The guards loaded both already (`realtime.registry.keep`): these are identity-map reads,
no queries.
"""

from __future__ import annotations

from facilitator.agenda.models import Workshop
from facilitator.participation.models import Participant
from facilitator.realtime.registry import Context


def sender_workshop(ctx: Context) -> Workshop:
    workshop = ctx.db.get(Workshop, ctx.principal.workshop_id)
    assert workshop is not None
    return workshop


def sender_participant(ctx: Context) -> Participant:
    me = ctx.db.get(Participant, ctx.principal.participant_id)
    assert me is not None
    return me
