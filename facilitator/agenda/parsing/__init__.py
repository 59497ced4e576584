"""Reading an agenda file: bytes -> checked `AgendaSpec`, or every problem with its line.

The text is composed into YAML nodes with PyYAML's safe loader (`source`), the
plain data is built from the nodes with the place of each value (`document`), and
the data is checked by `schema.AgendaSpec`; each error is translated into a
`Problem` at the place of the offending value (`messages`).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from facilitator.agenda.errors import AgendaError, Problem
from facilitator.agenda.parsing.document import read_document
from facilitator.agenda.parsing.messages import problem_at, problems_from_validation
from facilitator.agenda.parsing.source import MAX_SOURCE_BYTES, Refused
from facilitator.agenda.schema import AgendaSpec, agenda_warnings

__all__ = ["MAX_SOURCE_BYTES", "ParsedAgenda", "parse_agenda"]


@dataclass(frozen=True)
class ParsedAgenda:
    """A valid agenda, and what in it is allowed but probably a mistake."""

    agenda: AgendaSpec
    warnings: list[Problem]


def parse_agenda(source: bytes | str, filename: str = "<agenda>") -> ParsedAgenda:
    """Read and check an agenda file; raise `AgendaError` with every problem found."""
    try:
        document = read_document(source)
    except Refused as refusal:
        raise AgendaError(filename, [refusal.problem]) from None
    try:
        agenda = AgendaSpec.model_validate(document.data)
    except ValidationError as error:
        problems = [*document.problems, *problems_from_validation(error, document)]
        raise AgendaError(filename, _in_file_order(problems)) from None
    if document.problems:
        raise AgendaError(filename, _in_file_order(document.problems))
    warnings = [problem_at(document, (), finding) for finding in agenda_warnings(agenda)]
    return ParsedAgenda(agenda, warnings)


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda problem: (problem.line, problem.column, problem.path))
