"""The record's JSON Schema, from its typed data: `python -m facilitator.record.jsonschema`
rewrites docs/record.schema.json; a test checks it is current."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from facilitator.record.data import FORMAT, Record

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "record.schema.json"


def record_schema() -> dict[str, Any]:
    schema = TypeAdapter(Record).json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://facilitator.example/schemas/record.schema.json",
        "title": f"The session record ({FORMAT})",
        **schema,
    }


def render() -> str:
    return json.dumps(record_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    SCHEMA_PATH.write_text(render(), encoding="utf-8")
