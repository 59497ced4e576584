"""Guiding questions put to participants, and the scales they (and blocks) use."""

from __future__ import annotations

from typing import Self

from pydantic import ConfigDict, model_validator

from facilitator.agenda.errors import N_
from facilitator.agenda.schema.base import Spec
from facilitator.agenda.schema.findings import Finding, RuleError
from facilitator.agenda.schema.kinds import QuestionType
from facilitator.agenda.schema.text import Text
from facilitator.agenda.schema.values import Identifier, Whole


class ScaleSpec(Spec):
    """A range of whole numbers, with optional labels for its two ends."""

    model_config = ConfigDict(title="Scale")

    min: Whole
    """Lowest value."""
    max: Whole
    """Highest value, above `min`."""
    min_label: Text | None = None
    """What the lowest value means."""
    max_label: Text | None = None
    """What the highest value means."""

    @model_validator(mode="after")
    def _min_below_max(self) -> Self:
        if self.min >= self.max:
            raise RuleError.single(
                N_("the highest value %(max)d must be above the lowest value %(min)d"),
                path=("max",),
                min=self.min,
                max=self.max,
            )
        return self


class GuidingQuestionSpec(Spec):
    """A question put to participants."""

    model_config = ConfigDict(title="GuidingQuestion")

    id: Identifier
    """Unique among the guiding questions."""
    text: Text
    """The question."""
    type: QuestionType = QuestionType.OPEN
    """How it is answered: open, words (a word cloud), choice, multi, scale or rank."""
    options: list[Text] | None = None
    """The options of a choice, multi or rank question: 2 to 12."""
    scale: ScaleSpec | None = None
    """The range of a scale question."""

    @model_validator(mode="after")
    def _options_and_scale_fit_type(self) -> Self:
        findings = [*self._option_findings(), *self._scale_findings()]
        if findings:
            raise RuleError(findings)
        return self

    def _option_findings(self) -> list[Finding]:
        if self.type not in (QuestionType.CHOICE, QuestionType.MULTI, QuestionType.RANK):
            if self.options is None:
                return []
            return [Finding(("options",), N_("only choice, multi and rank questions have options"))]
        count = 0 if self.options is None else len(self.options)
        if not 2 <= count <= 12:
            return [
                Finding(
                    ("options",),
                    N_("a %(type)s question needs 2 to 12 options, not %(count)d"),
                    {"type": self.type.value, "count": count},
                )
            ]
        assert self.options is not None
        return [
            Finding(("options", index), N_("this option repeats an earlier one"))
            for index, option in enumerate(self.options)
            if option in self.options[:index]
        ]

    def _scale_findings(self) -> list[Finding]:
        if self.type is QuestionType.SCALE and self.scale is None:
            return [
                Finding(("scale",), N_("a scale question needs a scale, like {min: 1, max: 5}"))
            ]
        if self.type is not QuestionType.SCALE and self.scale is not None:
            return [Finding(("scale",), N_("only scale questions have a scale"))]
        return []
