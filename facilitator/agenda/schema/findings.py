"""Broken rules of the agenda format: each with a place and a translatable message.

A rule that fails raises `RuleError`, a `ValueError` that pydantic reports as a
`value_error`, carrying structured `Finding`s (a path relative to the model that
found it, an `N_` template and its parameters), so that `parsing` can point at the
offending line and show the message in the reader's language.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from facilitator.agenda.errors import N_

FieldPath = tuple[str | int, ...]

# Shared by several rules, and recognised by `parsing` (which adds a hint to the first).
MUST_BE_TEXT = N_("must be text")
LISTED_TWICE = N_("%(value)r is listed twice")


@dataclass(frozen=True)
class Finding:
    """A broken rule at `path` (relative to the model that found it).

    `at_key` points the reader at the mapping key rather than its value (for
    a key that is itself wrong, like an unknown language).
    """

    path: FieldPath
    template: str
    params: Mapping[str, object] = field(default_factory=dict)
    at_key: bool = False

    @property
    def message(self) -> str:
        return self.template % dict(self.params)


class RuleError(ValueError):
    """One or more broken rules; pydantic reports it as a `value_error`."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = tuple(findings)
        super().__init__("; ".join(finding.message for finding in self.findings))

    @classmethod
    def single(cls, template: str, path: FieldPath = (), **params: object) -> RuleError:
        return cls([Finding(path, template, params)])


def did_you_mean(value: str, choices: Iterable[str]) -> str | None:
    """The closest of `choices` to a misspelt `value`, if any is close."""
    matches = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None
