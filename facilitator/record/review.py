"""The draft's review applied to a compiled record: replaced texts, hidden entries,
orders within a section, and redacted names (replaced everywhere they appear)."""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass
from typing import Any, TypeVar

from facilitator.record.data import Entry, Record

REDACTED = "[…]"
T = TypeVar("T")

SECTIONS = ("item_notes", "summaries", "conclusions", "audience_qa", "images", "breakouts")


def _ordered(entries: list[T], order: list[str], hidden: set[str]) -> list[T]:
    kept = [e for e in entries if getattr(e, "id", None) not in hidden]
    rank = {entry_id: i for i, entry_id in enumerate(order)}
    return sorted(kept, key=lambda e: rank.get(getattr(e, "id", ""), len(rank)))


def _redact(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(REDACTED, value)
    if isinstance(value, list):
        return [_redact(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: _redact(v, pattern) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            if f.name not in ("id", "data_base64", "about_key", "key", "format", "slug"):
                setattr(value, f.name, _redact(getattr(value, f.name), pattern))
    return value


def apply_edits(record: Record, edits: dict[str, Any]) -> Record:
    texts: dict[str, str] = edits.get("texts") or {}
    hidden = set(edits.get("hidden") or [])
    order: dict[str, list[str]] = edits.get("order") or {}
    for name in SECTIONS:
        setattr(record, name, _ordered(getattr(record, name), order.get(name, []), hidden))
    record.contributions = [c for c in record.contributions if c.source not in hidden]
    for question in record.guiding_questions:
        question.answers = _ordered(question.answers, order.get(question.key, []), hidden)
    entries: list[Entry] = [
        *record.item_notes,
        *record.summaries,
        *record.conclusions,
        *(a for q in record.guiding_questions for a in q.answers),
    ]
    for entry in entries:
        if entry.id in texts:
            entry.text = texts[entry.id]
    for qa in record.audience_qa:
        if f"{qa.id}:question" in texts:
            qa.question = texts[f"{qa.id}:question"]
        if f"{qa.id}:answer" in texts:
            qa.answer = texts[f"{qa.id}:answer"]
    for image in record.images:
        if image.id in texts:
            image.caption = texts[image.id]
    for group in record.breakouts:  # a group's text is its synthesis
        if group.id in texts:
            group.synthesis = texts[group.id]
    for row in record.contributions:  # the CSV's rows say what the record says
        if row.source is None:
            continue
        suffix = {"audience_question": ":question", "qa_answer": ":answer"}.get(row.kind, "")
        if row.source + suffix in texts:
            row.text = texts[row.source + suffix]
    names = [n.strip() for n in edits.get("redact") or [] if n and n.strip()]
    if names:
        pattern = re.compile(
            "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)), re.IGNORECASE
        )
        _redact(record, pattern)
    return record
