"""Case studies: reference cases shown to participants and cited in the record."""

from __future__ import annotations

from pydantic import ConfigDict

from facilitator.agenda.schema.base import Spec
from facilitator.agenda.schema.text import Text
from facilitator.agenda.schema.values import Identifier, Name, SlugLike


class CasePersonSpec(Spec):
    model_config = ConfigDict(title="CasePerson")

    name: Name
    title: Text | None = None


class CaseOrganisationSpec(Spec):
    model_config = ConfigDict(title="CaseOrganisation")

    name: Name
    type: SlugLike | None = None
    people: list[CasePersonSpec] = []


class CaseStudySpec(Spec):
    """A reference case shown to participants and cited in the record."""

    model_config = ConfigDict(title="CaseStudy")

    id: Identifier
    """Unique among the case studies."""
    title: Text
    description: Text | None = None
    """Markdown."""
    territory: Text | None = None
    organisations: list[CaseOrganisationSpec] = []
