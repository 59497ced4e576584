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

__all__ = [
    "Base",
    "CaseStudy",
    "Day",
    "GuidelineBlock",
    "GuidingQuestion",
    "Invitation",
    "ItemBlock",
    "ItemPerson",
    "ItemQuestion",
    "Membership",
    "Person",
    "ProgramItem",
    "Role",
    "User",
    "Workshop",
]
