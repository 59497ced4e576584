"""Agenda text -> YAML nodes: size, encoding, syntax and nesting checked first.

A problem found here stops reading the file at once (`Refused`): there is no
data yet to check any further.
"""

from __future__ import annotations

from typing import Any, Protocol

import yaml

from facilitator.agenda.errors import N_, Problem

MAX_SOURCE_BYTES = 1024 * 1024
# Real agendas nest about eight levels deep.
MAX_DEPTH = 64

Place = tuple[int, int]  # 1-based line and column

TOO_DEEP = N_("the file is nested too deeply")


class Refused(Exception):
    """A problem that stops reading the file at once."""

    def __init__(self, place: Place, template: str, **params: object) -> None:
        super().__init__(template)
        self.problem = Problem("", place[0], place[1], template, params)


def decode(source: bytes | str) -> str:
    raw = source.encode("utf-8", "surrogatepass") if isinstance(source, str) else source
    if len(raw) > MAX_SOURCE_BYTES:
        raise Refused(
            (1, 1),
            N_("the file is larger than %(limit)s; agenda files may not be larger"),
            limit="1 MiB",
        )
    if isinstance(source, str):
        return source.removeprefix("\ufeff")
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Refused(
            _byte_place(raw, error.start),
            N_("the file is not UTF-8 text (the byte %(byte)s cannot be read); save it as UTF-8"),
            byte=f"0x{raw[error.start]:02X}",
        ) from None


def _byte_place(raw: bytes, offset: int) -> Place:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", "replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, column


def _text_place(text: str, offset: int) -> Place:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


class _Mark(Protocol):
    """A position as both PyYAML and libyaml report it: 0-based."""

    line: int
    column: int


def mark_place(mark: _Mark | None) -> Place:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


# libyaml's loader is several times faster; its composer recurses in C, so the
# nesting is checked first on the (non-recursive) event stream.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NESTING_STARTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_NESTING_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def compose(text: str) -> yaml.Node:
    try:
        _check_nesting(text)
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        place = mark_place(error.problem_mark or error.context_mark)
        raise Refused(
            place, N_("this is not valid YAML: %(detail)s"), detail=_yaml_error_detail(error)
        ) from None
    except yaml.reader.ReaderError as error:
        raise Refused(
            _reader_error_place(text, error.position),
            N_("the file contains a character that is not allowed: %(character)s"),
            character=f"U+{error.character:04X}" if isinstance(error.character, int) else "?",
        ) from None
    except UnicodeEncodeError:
        raise Refused((1, 1), N_("the file contains text that is not valid Unicode")) from None
    if root is None:
        raise Refused((1, 1), N_("the file is empty: it holds no agenda"))
    return root


def _yaml_error_detail(error: yaml.MarkedYAMLError) -> str:
    """PyYAML's own words, with where the unfinished construct began."""
    context = error.context or ""
    if context and error.context_mark is not None:
        line, column = mark_place(error.context_mark)
        context += f" (from line {line}, column {column})"
    return ": ".join(part for part in (context, error.problem) if part)


def _check_nesting(text: str) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, _NESTING_STARTS):
            depth += 1
            if depth > MAX_DEPTH:
                raise Refused(mark_place(event.start_mark), TOO_DEEP)
        elif isinstance(event, _NESTING_ENDS):
            depth -= 1


def _reader_error_place(text: str, position: int) -> Place:
    if _LOADER is yaml.SafeLoader:
        return _text_place(text, position)
    return _byte_place(text.encode("utf-8"), position)  # libyaml counts bytes
