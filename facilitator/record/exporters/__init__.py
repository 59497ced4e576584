"""One module per export format; each turns a `Record` into bytes."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from facilitator.record.data import Record


@dataclass(frozen=True)
class Format:
    module: str
    mime: str
    extension: str


FORMATS = {
    "md": Format("markdown", "text/markdown; charset=utf-8", "md"),
    "html": Format("html", "text/html; charset=utf-8", "html"),
    "pdf": Format("pdf", "application/pdf", "pdf"),
    "docx": Format(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "json": Format("json", "application/json", "json"),
    "csv": Format("csv", "text/csv; charset=utf-8", "csv"),
    "ics": Format("ics", "text/calendar; charset=utf-8", "ics"),
}


def exporter(name: str) -> Callable[[Record], bytes]:
    module = importlib.import_module(f"facilitator.record.exporters.{FORMATS[name].module}")
    export: Callable[[Record], bytes] = module.export
    return export
