"""The agenda file format `facilitator/agenda@1` as pydantic models.

`AgendaSpec.model_validate(data)` enforces every rule of the format: the shape
of each value (the types of `values`, `codes`, `text`), each part's own rules
(the models of `program`, `people`, `questions`, `blocks`, `cases`) and the
rules that span fields (`rules`). A broken rule raises `findings.RuleError`, so
that `parsing` can point at the offending line and show the message in the
reader's language; `dump` writes an agenda back in canonical form.

What the rest of the app uses is importable from here.
"""

from __future__ import annotations

from facilitator.agenda.schema.agenda import FORMAT, MAX_PROGRAM_ITEMS, AgendaSpec
from facilitator.agenda.schema.blocks import GuidelineBlockSpec
from facilitator.agenda.schema.cases import CaseOrganisationSpec, CasePersonSpec, CaseStudySpec
from facilitator.agenda.schema.codes import known_countries, known_languages, known_timezones
from facilitator.agenda.schema.dump import agenda_to_data, dump_yaml
from facilitator.agenda.schema.findings import FieldPath, Finding, RuleError, did_you_mean
from facilitator.agenda.schema.kinds import ItemKind, PersonRole, QuestionType, WorkshopKind
from facilitator.agenda.schema.people import MaterialSpec, PersonSpec, PresentationSpec
from facilitator.agenda.schema.program import DaySpec, ProgramItemSpec
from facilitator.agenda.schema.questions import GuidingQuestionSpec, ScaleSpec
from facilitator.agenda.schema.rules import agenda_warnings
from facilitator.agenda.schema.values import duration_minutes

__all__ = [
    "FORMAT",
    "MAX_PROGRAM_ITEMS",
    "AgendaSpec",
    "CaseOrganisationSpec",
    "CasePersonSpec",
    "CaseStudySpec",
    "DaySpec",
    "FieldPath",
    "Finding",
    "GuidelineBlockSpec",
    "GuidingQuestionSpec",
    "ItemKind",
    "MaterialSpec",
    "PersonRole",
    "PersonSpec",
    "PresentationSpec",
    "ProgramItemSpec",
    "QuestionType",
    "RuleError",
    "ScaleSpec",
    "WorkshopKind",
    "agenda_to_data",
    "agenda_warnings",
    "did_you_mean",
    "dump_yaml",
    "duration_minutes",
    "known_countries",
    "known_languages",
    "known_timezones",
]
