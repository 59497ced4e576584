"""JSON: everything the record holds (schema: docs/record.schema.json)."""

from __future__ import annotations

import dataclasses
import json as stdlib_json

from facilitator.record.data import Record


def as_dict(record: Record) -> dict[str, object]:
    return dataclasses.asdict(record)


def export(record: Record) -> bytes:
    return stdlib_json.dumps(as_dict(record), ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )
