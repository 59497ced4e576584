"""Every mapped class, imported once so the metadata (and Alembic) sees them all."""

from facilitator.accounts.models import Invitation, Membership, Role, User
from facilitator.agenda.models import (
    CaseStudy,
    Day,
    GuidelineBlock,
    GuidingQuestion,
    ItemBlock,
    ItemPerson,
    ItemQuestion,
    Person,
    ProgramItem,
    Workshop,
)
from facilitator.database import Base
from facilitator.live.models import ItemRun, LiveState, Phase
from facilitator.participation.models import Participant
from facilitator.realtime.models import AppliedMutation, StreamSeq

__all__ = [
    "AppliedMutation",
    "Base",
    "CaseStudy",
    "Day",
    "GuidelineBlock",
    "GuidingQuestion",
    "Invitation",
    "ItemBlock",
    "ItemPerson",
    "ItemQuestion",
    "ItemRun",
    "LiveState",
    "Membership",
    "Participant",
    "Person",
    "Phase",
    "ProgramItem",
    "Role",
    "StreamSeq",
    "User",
    "Workshop",
]
