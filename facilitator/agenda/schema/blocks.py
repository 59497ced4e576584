"""Guideline blocks: the thematic blocks breakout groups work on."""

from __future__ import annotations

from pydantic import ConfigDict

from facilitator.agenda.schema.base import Spec
from facilitator.agenda.schema.questions import ScaleSpec
from facilitator.agenda.schema.text import Text
from facilitator.agenda.schema.values import Identifier


class GuidelineBlockSpec(Spec):
    """A thematic block that breakout groups work on."""

    model_config = ConfigDict(title="GuidelineBlock")

    id: Identifier
    """Unique among the guideline blocks."""
    title: Text
    description: Text | None = None
    """Markdown."""
    prompts: list[Text] = []
    """What a group works out."""
    assessment: ScaleSpec | None = None
    """Optional self-assessment scale."""
