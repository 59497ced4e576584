"""docs/record.schema.json is generated from the record's types and kept current."""

from __future__ import annotations

from facilitator.record.jsonschema import SCHEMA_PATH, render


def test_the_record_schema_in_docs_is_current() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render(), (
        "run: python -m facilitator.record.jsonschema"
    )
