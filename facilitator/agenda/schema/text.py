"""Translatable text: a string in the workshop's first language, or {language: string}.

Blank strings are refused (leave an optional key out instead). Which languages a
text may hold is a rule across fields (`rules.text_language_findings`).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from facilitator.agenda.errors import N_
from facilitator.agenda.schema.codes import LANGUAGE_PATTERN
from facilitator.agenda.schema.findings import MUST_BE_TEXT, Finding, RuleError


def _parse_text(value: object) -> str | dict[str, str]:
    if isinstance(value, str):
        if not value.strip():
            raise RuleError.single(N_("is empty; write the text or leave the key out"))
        return value
    if not isinstance(value, dict):
        # Reported like any other text field, with a hint about quotes.
        raise PydanticCustomError("string_type", "Input should be a valid string")
    findings = [
        Finding((key,), MUST_BE_TEXT) for key, text in value.items() if not isinstance(text, str)
    ]
    findings += [
        Finding((key,), N_("is empty; write the text or leave the language out"))
        for key, text in value.items()
        if isinstance(text, str) and not text.strip()
    ]
    if findings:
        raise RuleError(findings)
    return {str(key): text for key, text in value.items()}


TEXT_JSON_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "minLength": 1},
        {
            "type": "object",
            "propertyNames": {"pattern": LANGUAGE_PATTERN},
            "additionalProperties": {"type": "string", "minLength": 1},
            "minProperties": 1,
        },
    ],
    "description": "A string, or a mapping from language code to string.",
}
Text = Annotated[
    str | dict[str, str],
    PlainValidator(_parse_text),
    WithJsonSchema(TEXT_JSON_SCHEMA),
]
"""Translatable text: a string in the first language, or {language: string}."""
