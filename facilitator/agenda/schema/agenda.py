"""The whole agenda file: the workshop's particulars, and every part in its list.

`venue: online` marks an online session; only then may `meeting_url` sit beside it.
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import ConfigDict, Field, model_validator

from facilitator.agenda.schema.base import Spec
from facilitator.agenda.schema.blocks import GuidelineBlockSpec
from facilitator.agenda.schema.cases import CaseStudySpec
from facilitator.agenda.schema.findings import RuleError
from facilitator.agenda.schema.kinds import WorkshopKind
from facilitator.agenda.schema.people import PersonSpec
from facilitator.agenda.schema.program import DaySpec, ProgramItemSpec
from facilitator.agenda.schema.questions import GuidingQuestionSpec
from facilitator.agenda.schema.rules import CROSS_FIELD_RULES
from facilitator.agenda.schema.text import Text
from facilitator.agenda.schema.values import Count, Languages, Slug, TimeZoneName, TimeZones, WebUrl

FORMAT = "facilitator/agenda@1"
MAX_PROGRAM_ITEMS = 2000


class AgendaSpec(Spec):
    """A workshop's agenda (`facilitator/agenda@1`)."""

    model_config = ConfigDict(title="Agenda")

    format: Literal["facilitator/agenda@1"]
    """Exactly facilitator/agenda@1."""
    slug: Slug
    """The workshop's stable id."""
    title: Text
    event: Text | None = None
    """The forum or programme the session belongs to."""
    reference: str | None = None
    """The organiser's session number, e.g. 2.3.2."""
    thematic_line: Text | None = None
    kind: WorkshopKind = WorkshopKind.WORKSHOP
    languages: Annotated[Languages, Field(min_length=1)]
    """BCP 47 codes; the first is the default."""
    interpretation: Languages = []
    """Languages interpreters cover live."""
    timezone: TimeZoneName
    """IANA zone name of every time in the file."""
    show_timezones: TimeZones = []
    """Further IANA zones shown beside every time."""
    days: Annotated[list[DaySpec], Field(min_length=1)]
    venue: Text | None = None
    """A place, or `online`."""
    meeting_url: WebUrl | None = None
    """Only with `venue: online`."""
    audience: Text | None = None
    """Markdown."""
    background: Text | None = None
    """Markdown."""
    objectives: list[Text] = []
    main_question: Text | None = None
    guiding_questions: list[GuidingQuestionSpec] = []
    people: list[PersonSpec] = []
    program: Annotated[list[ProgramItemSpec], Field(min_length=1, max_length=MAX_PROGRAM_ITEMS)]
    guideline_blocks: list[GuidelineBlockSpec] = []
    case_studies: list[CaseStudySpec] = []
    expected_participants: Count | None = None

    @model_validator(mode="after")
    def _check_rules_across_fields(self) -> Self:
        findings = [finding for rule in CROSS_FIELD_RULES for finding in rule(self)]
        if findings:
            raise RuleError(findings)
        return self
