"""The people of a workshop: who they are, and what they present."""

from __future__ import annotations

from pydantic import ConfigDict

from facilitator.agenda.schema.base import Spec
from facilitator.agenda.schema.kinds import PersonRole
from facilitator.agenda.schema.text import Text
from facilitator.agenda.schema.values import (
    CountryCode,
    Email,
    Identifier,
    LanguageCode,
    Name,
    SlugLike,
    WebUrl,
)


class MaterialSpec(Spec):
    """A file or page that goes with a presentation."""

    model_config = ConfigDict(title="Material")

    label: Name
    """What the link is, e.g. Slides."""
    url: WebUrl
    """http or https address."""
    language: LanguageCode | None = None
    """Language of the material."""


class PresentationSpec(Spec):
    """What a person presents."""

    model_config = ConfigDict(title="Presentation")

    title: Text
    abstract: Text | None = None
    """Markdown."""
    materials: list[MaterialSpec] = []


class PersonSpec(Spec):
    """A speaker, moderator, rapporteur, panelist or organiser."""

    model_config = ConfigDict(title="Person")

    id: Identifier
    """Unique among the people."""
    name: Name
    roles: list[PersonRole] = []
    title: Text | None = None
    """Job title."""
    organisation: str | None = None
    organisation_type: SlugLike | None = None
    """Free, slug-like; used to group people in the record."""
    country: CountryCode | None = None
    """ISO 3166-1 alpha-2 code."""
    email: Email | None = None
    """Never shown to participants."""
    presentation: PresentationSpec | None = None
