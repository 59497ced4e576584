"""Reading an agenda file: bytes -> checked `AgendaSpec`, or every problem with its line.

The text is composed into YAML nodes with PyYAML's safe loader (`source`), the
plain data is built from the nodes with the place of each value (`document`), and
the data is checked by `schema.AgendaSpec`; each error is translated into a
`Problem` at the place of the offending value (`messages`).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from facilitator.agenda.errors import MAX_PROBLEMS, AgendaError, Problem
from facilitator.agenda.parsing.document import read_document
from facilitator.agenda.parsing.messages import first_problems, problem_at
from facilitator.agenda.parsing.source import MAX_SOURCE_BYTES, Refused
from facilitator.agenda.schema import AgendaSpec, agenda_warnings

__all__ = ["MAX_SOURCE_BYTES", "ParsedAgenda", "parse_agenda"]


@dataclass(frozen=True)
class ParsedAgenda:
    """A valid agenda, and what in it is allowed but probably a mistake."""

    agenda: AgendaSpec
    warnings: list[Problem]


def parse_agenda(source: bytes | str, filename: str = "<agenda>") -> ParsedAgenda:
    """Read and check an agenda file; raise `AgendaError` with its first problems and a count."""
    try:
        document = read_document(source)
    except Refused as refusal:
        raise AgendaError(filename, [refusal.problem]) from None
    try:
        agenda = AgendaSpec.model_validate(document.data)
    except ValidationError as error:
        raise AgendaError(filename, *first_problems(document, error, MAX_PROBLEMS)) from None
    if document.problems:
        raise AgendaError(filename, *first_problems(document, None, MAX_PROBLEMS))
    warnings = [problem_at(document, (), finding) for finding in agenda_warnings(agenda)]
    return ParsedAgenda(agenda, warnings)
