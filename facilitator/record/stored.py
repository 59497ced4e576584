"""Exports of published versions, made once and served again: a published version never
changes, so one version, language and format always give the same file (a PDF is a
second or two of layout; the public link may be opened by a whole room). Kept in the
app's memory (one store per app, so tests' apps share nothing), the least recently
served first out past KEPT_BYTES. No Flask."""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock
from typing import Any

from facilitator.record import exporting
from facilitator.record.models import RecordVersion

KEPT_BYTES = 64 * 1024 * 1024

Key = tuple[int, int, int, str, str, str]
Export = tuple[str, bytes]  # file name, body


def key_of(version: RecordVersion, language: str | None, fmt: str) -> Key:
    """A language the record has no headings in keeps the published one ("")."""
    known = language if language in exporting.LANGUAGES else ""
    # The row, its workshop and number, and when it was published: a database made
    # again from nothing does not serve another's files.
    return (
        version.id,
        version.workshop_id,
        version.number,
        version.published_at.isoformat(),
        known,
        fmt,
    )


def _make(data: dict[str, Any], language: str, fmt: str) -> Export:
    record = exporting.from_data(data, language or None)
    return exporting.filename(record, fmt), exporting.export(record, fmt)


class Exports:
    def __init__(self, kept_bytes: int = KEPT_BYTES) -> None:
        self.kept_bytes = kept_bytes
        self._kept: OrderedDict[Key, Export] = OrderedDict()
        self._size = 0
        self._lock = Lock()

    def export(self, version: RecordVersion, language: str | None, fmt: str) -> Export:
        """The file name and bytes of a published version with headings in `language`."""
        key = key_of(version, language, fmt)
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
                return found
        made = _make(version.data, key[4], fmt)
        self._keep(key, made)
        return made

    def make_ahead(self, key: Key, data: dict[str, Any]) -> None:
        """Make an export before anyone asks for it (a background task after publishing;
        `key` and `data` read while the request's database session was open)."""
        with self._lock:
            if key in self._kept:
                return
        self._keep(key, _make(data, key[4], key[5]))

    def _keep(self, key: Key, made: Export) -> None:
        with self._lock:
            if key in self._kept:
                return
            self._kept[key] = made
            self._size += len(made[1])
            while self._size > self.kept_bytes and len(self._kept) > 1:
                _, (_, body) = self._kept.popitem(last=False)
                self._size -= len(body)

    def __contains__(self, key: Key) -> bool:
        with self._lock:
            return key in self._kept
