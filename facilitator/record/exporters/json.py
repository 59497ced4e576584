"""JSON: everything the record holds (schema: docs/record.schema.json).

pydantic's serializer writes the record's dataclasses straight to bytes (the same bytes
as `json.dumps(dataclasses.asdict(record))`, compact, UTF-8), about twenty times faster
and without building a copy of the record in Python objects first: a 5,000-contribution
record was a quarter of a million of them, and the collection of the garbage they made
could triple an export's time (docs/performance.md, "Record").
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import TypeAdapter

from facilitator.record.data import Record


@cache
def adapter() -> TypeAdapter[Record]:
    return TypeAdapter(Record)


def as_dict(record: Record) -> dict[str, Any]:
    """The record as JSON-ready Python data (what a published version stores)."""
    data: dict[str, Any] = adapter().dump_python(record, mode="json")
    return data


def export(record: Record) -> bytes:
    return adapter().dump_json(record)
