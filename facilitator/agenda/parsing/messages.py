"""Validation errors -> `Problem`s: each in a moderator's words, at the place of its value."""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from facilitator.agenda.errors import N_, Problem
from facilitator.agenda.parsing.document import (
    BOOL_TAG,
    FLOAT_TAG,
    INT_TAG,
    NULL_TAG,
    TIMESTAMP_TAG,
    Document,
    format_path,
)
from facilitator.agenda.parsing.source import Place
from facilitator.agenda.schema import AgendaSpec, FieldPath, Finding, RuleError, did_you_mean
from facilitator.agenda.schema.findings import MUST_BE_TEXT


def _place_of(document: Document, path: FieldPath, at_key: bool = False) -> Place:
    """Where the value at `path` was written, or the closest enclosing value."""
    if at_key and path in document.key_places:
        return document.key_places[path]
    if path not in document.places and path[-1:] == ("end",):
        # An item's end computed from its duration: point at the duration.
        path = (*path[:-1], "duration")
    while path not in document.places:
        path = path[:-1]
    return document.places[path]


def problem_at(document: Document, base: FieldPath, finding: Finding) -> Problem:
    path = (*base, *finding.path)
    template, params = finding.template, finding.params
    if template == MUST_BE_TEXT:
        template, params = _text_expected(document, path)
    line, column = _place_of(document, path, finding.at_key)
    used = {name: value for name, value in params.items() if f"%({name})" in template}
    return Problem(format_path(path), line, column, template, used)


# Where a problem is (line, column, field path), and how to put it into words.
_Pending = tuple[tuple[int, int, str], Callable[[], Problem]]


def first_problems(
    document: Document, error: ValidationError | None, limit: int
) -> tuple[list[Problem], int]:
    """The first `limit` problems in file order, and how many more there are.

    Only those shown are put into words: a did-you-mean costs a fuzzy match, and a
    file of 20,000 unknown keys would spend seconds on sentences nobody reads.
    """
    pending: list[_Pending] = [
        ((problem.line, problem.column, problem.path), partial(_same, problem))
        for problem in document.problems
    ]
    if error is not None:
        pending += _pending_validation(error, document)
    pending.sort(key=lambda entry: entry[0])
    shown = [describe() for _place, describe in pending[:limit]]
    return shown, len(pending) - len(shown)


def _same(problem: Problem) -> Problem:
    return problem


def _pending_validation(error: ValidationError, document: Document) -> list[_Pending]:
    pending: list[_Pending] = []
    for details in error.errors():
        loc = tuple(details["loc"])
        cause = (details.get("ctx") or {}).get("error")
        if details["type"] == "value_error" and isinstance(cause, RuleError):
            for finding in cause.findings:
                problem = problem_at(document, loc, finding)
                pending.append(
                    ((problem.line, problem.column, problem.path), partial(_same, problem))
                )
        else:
            # Unknown keys (and only they) point at the key, as `_unknown_key` says.
            line, column = _place_of(document, loc, details["type"] == "extra_forbidden")
            describe = partial(_described, details, loc, document)
            pending.append(((line, column, format_path(loc)), describe))
    return pending


def _described(details: ErrorDetails, loc: FieldPath, document: Document) -> Problem:
    return problem_at(document, loc, _describe(details, loc, document))


def _describe(details: ErrorDetails, loc: FieldPath, document: Document) -> Finding:
    """A pydantic error in the words of a moderator."""
    kind = details["type"]
    ctx: dict[str, Any] = dict(details.get("ctx") or {})
    translate = _TRANSLATIONS.get(kind)
    if translate is not None:
        return translate(loc, ctx, details["input"])
    return Finding((), N_("this value is not valid: %(detail)s"), {"detail": details["msg"]})


def _missing(loc: FieldPath, ctx: dict[str, Any], value: object) -> Finding:
    return Finding((), N_("the key %(key)r is missing"), {"key": loc[-1]})


def _unknown_key(loc: FieldPath, ctx: dict[str, Any], value: object) -> Finding:
    key = str(loc[-1])
    allowed = _allowed_keys(loc[:-1])
    suggestion = did_you_mean(key, allowed)
    if suggestion is not None:
        template = N_("unknown key %(key)r (did you mean %(suggestion)r?)")
    else:
        template = N_("unknown key %(key)r; the keys allowed here are: %(allowed)s")
    params = {"key": key, "suggestion": suggestion, "allowed": ", ".join(allowed)}
    return Finding((), template, params, at_key=True)


def _not_one_of(loc: FieldPath, ctx: dict[str, Any], value: object) -> Finding:
    expected = str(ctx.get("expected", ""))
    choices = re.findall(r"'([^']*)'", expected)
    suggestion = did_you_mean(value, choices) if isinstance(value, str) else None
    if suggestion is not None:
        template = N_("%(value)r is not one of %(expected)s (did you mean %(suggestion)r?)")
    else:
        template = N_("%(value)r is not one of %(expected)s")
    return Finding((), template, {"value": value, "expected": expected, "suggestion": suggestion})


def _too_short(loc: FieldPath, ctx: dict[str, Any], value: object) -> Finding:
    if ctx.get("min_length") == 1:
        return Finding((), N_("needs at least one entry"))
    return Finding((), N_("needs at least %(min_length)d entries"), ctx)


def _fixed(template: str) -> Callable[[FieldPath, dict[str, Any], object], Finding]:
    def describe(loc: FieldPath, ctx: dict[str, Any], value: object) -> Finding:
        return Finding((), template, {"value": value, **ctx})

    return describe


_TRANSLATIONS: dict[str, Callable[[FieldPath, dict[str, Any], object], Finding]] = {
    "missing": _missing,
    "extra_forbidden": _unknown_key,
    "enum": _not_one_of,
    "literal_error": _fixed(N_("%(value)r is not allowed here; expected %(expected)s")),
    "string_type": _fixed(MUST_BE_TEXT),
    "string_too_short": _fixed(N_("must not be empty")),
    "int_type": _fixed(N_("must be a whole number")),
    "int_parsing": _fixed(N_("must be a whole number")),
    "int_from_float": _fixed(N_("must be a whole number")),
    "list_type": _fixed(N_("must be a list")),
    "model_type": _fixed(N_("must be a mapping of keys and values")),
    "model_attributes_type": _fixed(N_("must be a mapping of keys and values")),
    "dict_type": _fixed(N_("must be a mapping of keys and values")),
    "too_short": _too_short,
    "too_long": _fixed(N_("has %(actual_length)d entries; at most %(max_length)d are allowed")),
    "greater_than_equal": _fixed(N_("must be %(ge)s or more")),
}


def _text_expected(document: Document, path: FieldPath) -> tuple[str, dict[str, object]]:
    """The "must be text" message, with a hint when YAML read a bare word as a non-text."""
    scalar = document.scalars.get(path)
    if scalar is None or scalar.style:  # quoted or a block: YAML kept it as text
        return MUST_BE_TEXT, {}
    hints = {
        BOOL_TAG: N_('must be text: write "%(raw)s" in quotes (unquoted, it reads as yes/no)'),
        INT_TAG: N_('must be text: write "%(raw)s" in quotes (unquoted, it reads as a number)'),
        FLOAT_TAG: N_('must be text: write "%(raw)s" in quotes (unquoted, it reads as a number)'),
        TIMESTAMP_TAG: N_('must be text: write "%(raw)s" in quotes (unquoted, it reads as a date)'),
        NULL_TAG: N_("is empty: it needs a value"),
    }
    return hints.get(scalar.tag, MUST_BE_TEXT), {"raw": scalar.value}


def _allowed_keys(path: FieldPath) -> list[str]:
    model = _model_at(path)
    return list(model.model_fields) if model is not None else []


def _model_at(path: FieldPath) -> type[BaseModel] | None:
    """The model whose mapping sits at `path` in an agenda file."""
    current: object = AgendaSpec
    for segment in path:
        if isinstance(segment, int):
            continue  # list items: the element type was taken with the list
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(segment)
        if info is None:
            return None
        current = _element_type(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


def _element_type(annotation: object) -> object:
    """`list[Day] | None` -> `Day`."""
    while True:
        origin = get_origin(annotation)
        args = get_args(annotation)
        if origin is Annotated or origin is list:
            annotation = args[0]
        elif origin is Union or origin is types.UnionType:
            annotation = next(arg for arg in args if arg is not type(None))
        else:
            return annotation
