"""Reading an agenda file: bytes -> checked `Agenda`, or every problem with its line.

The YAML is composed into nodes with PyYAML's safe loader, and the plain
data is built from the nodes here (not by PyYAML's constructor) so that each
value's line and column are kept, so that aliases can be counted as they
expand, and so that only plain tags get through. The data is then checked by
`schema.Agenda`; each error is translated into a `Problem` at the place of the
offending value.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any, Protocol, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from facilitator.agenda.errors import N_, AgendaError, Problem
from facilitator.agenda.schema import (
    MAX_PROGRAM_ITEMS,
    MUST_BE_TEXT,
    Agenda,
    FieldPath,
    Finding,
    RuleError,
    agenda_warnings,
    did_you_mean,
)

MAX_SOURCE_BYTES = 1024 * 1024
# Values produced by expanding aliases (`*name`): generous for reuse, far
# below what a "billion laughs" file asks for.
MAX_ALIAS_VALUES = 10_000
# Real agendas nest about eight levels deep.
MAX_DEPTH = 64

_TAG = "tag:yaml.org,2002:"
NULL_TAG, BOOL_TAG, INT_TAG, FLOAT_TAG = _TAG + "null", _TAG + "bool", _TAG + "int", _TAG + "float"
STR_TAG, TIMESTAMP_TAG = _TAG + "str", _TAG + "timestamp"
SEQ_TAG, MAP_TAG = _TAG + "seq", _TAG + "map"
MERGE_TAG = _TAG + "merge"

_ScalarConstructor = Callable[[yaml.SafeLoader, yaml.ScalarNode], object]
_SCALAR_CONSTRUCTORS: dict[str, _ScalarConstructor] = {
    NULL_TAG: yaml.SafeLoader.construct_yaml_null,
    BOOL_TAG: yaml.SafeLoader.construct_yaml_bool,
    INT_TAG: yaml.SafeLoader.construct_yaml_int,
    FLOAT_TAG: yaml.SafeLoader.construct_yaml_float,
    TIMESTAMP_TAG: yaml.SafeLoader.construct_yaml_timestamp,
}

Place = tuple[int, int]  # 1-based line and column

TOO_DEEP = N_("the file is nested too deeply")
TAG_NOT_ALLOWED = N_(
    "the tag %(tag)s is not allowed: agenda files hold only text, numbers, dates,"
    " lists and mappings"
)


@dataclass(frozen=True)
class ParsedAgenda:
    """A valid agenda, and what in it is allowed but probably a mistake."""

    agenda: Agenda
    warnings: list[Problem]


class _Refused(Exception):
    """A problem that stops reading the file at once."""

    def __init__(self, place: Place, template: str, **params: object) -> None:
        super().__init__(template)
        self.problem = Problem("", place[0], place[1], template, params)


def parse_agenda(source: bytes | str, filename: str = "<agenda>") -> ParsedAgenda:
    """Read and check an agenda file; raise `AgendaError` with every problem found."""
    try:
        document = _read_document(source)
    except _Refused as refusal:
        raise AgendaError(filename, [refusal.problem]) from None
    try:
        agenda = Agenda.model_validate(document.data)
    except ValidationError as error:
        problems = [*document.problems, *_problems_from_validation(error, document)]
        raise AgendaError(filename, _in_file_order(problems)) from None
    if document.problems:
        raise AgendaError(filename, _in_file_order(document.problems))
    warnings = [_problem_at(document, (), finding) for finding in agenda_warnings(agenda)]
    return ParsedAgenda(agenda, warnings)


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda problem: (problem.line, problem.column, problem.path))


# --- Text -> nodes -> data --------------------------------------------------------


@dataclass
class _Document:
    """Plain data built from the YAML, and where each value of it was written."""

    data: object = None
    places: dict[FieldPath, Place] = field(default_factory=dict)
    key_places: dict[FieldPath, Place] = field(default_factory=dict)
    scalars: dict[FieldPath, yaml.ScalarNode] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _read_document(source: bytes | str) -> _Document:
    text = _decode(source)
    root = _compose(text)
    document = _DocumentBuilder().build_document(root)
    _check_top_level(document)
    return document


def _decode(source: bytes | str) -> str:
    raw = source.encode("utf-8", "surrogatepass") if isinstance(source, str) else source
    if len(raw) > MAX_SOURCE_BYTES:
        raise _Refused(
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
        raise _Refused(
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


def _mark_place(mark: _Mark | None) -> Place:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


# libyaml's loader is several times faster; its composer recurses in C, so the
# nesting is checked first on the (non-recursive) event stream.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NESTING_STARTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_NESTING_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _compose(text: str) -> yaml.Node:
    try:
        _check_nesting(text)
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        place = _mark_place(error.problem_mark or error.context_mark)
        raise _Refused(
            place, N_("this is not valid YAML: %(detail)s"), detail=_yaml_error_detail(error)
        ) from None
    except yaml.reader.ReaderError as error:
        raise _Refused(
            _reader_error_place(text, error.position),
            N_("the file contains a character that is not allowed: %(character)s"),
            character=f"U+{error.character:04X}" if isinstance(error.character, int) else "?",
        ) from None
    except UnicodeEncodeError:
        raise _Refused((1, 1), N_("the file contains text that is not valid Unicode")) from None
    if root is None:
        raise _Refused((1, 1), N_("the file is empty: it holds no agenda"))
    return root


def _yaml_error_detail(error: yaml.MarkedYAMLError) -> str:
    """PyYAML's own words, with where the unfinished construct began."""
    context = error.context or ""
    if context and error.context_mark is not None:
        line, column = _mark_place(error.context_mark)
        context += f" (from line {line}, column {column})"
    return ": ".join(part for part in (context, error.problem) if part)


def _check_nesting(text: str) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, _NESTING_STARTS):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(_mark_place(event.start_mark), TOO_DEEP)
        elif isinstance(event, _NESTING_ENDS):
            depth -= 1


def _reader_error_place(text: str, position: int) -> Place:
    if _LOADER is yaml.SafeLoader:
        return _text_place(text, position)
    return _byte_place(text.encode("utf-8"), position)  # libyaml counts bytes


def _check_top_level(document: _Document) -> None:
    if not isinstance(document.data, dict):
        raise _Refused(
            document.places[()],
            N_(
                "the file must be a mapping of keys and values, starting with"
                " format: facilitator/agenda@1"
            ),
        )
    program = document.data.get("program")
    if isinstance(program, list) and len(program) > MAX_PROGRAM_ITEMS:
        raise _Refused(
            document.places[("program",)],
            N_("the program has %(count)d items; at most %(limit)d are allowed"),
            count=len(program),
            limit=MAX_PROGRAM_ITEMS,
        )


def _is_plain_scalar_tag(tag: str) -> bool:
    return tag == STR_TAG or tag in _SCALAR_CONSTRUCTORS


def _shown_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


class _DocumentBuilder:
    """Builds plain data from nodes, recording places and refusing what is unsafe."""

    def __init__(self) -> None:
        self.document = _Document()
        self._seen: set[int] = set()  # nodes built once: seeing one again is an alias
        self._open: set[int] = set()  # nodes being built: seeing one again is a loop
        self._alias_values = 0
        self._loader = yaml.SafeLoader("")  # only for its scalar constructors

    def build_document(self, root: yaml.Node) -> _Document:
        self.document.data = self._build(root, (), depth=0, in_alias=False)
        return self.document

    def _build(self, node: yaml.Node, path: FieldPath, depth: int, in_alias: bool) -> object:
        place = _mark_place(node.start_mark)
        if depth > MAX_DEPTH:
            raise _Refused(place, TOO_DEEP)
        if id(node) in self._open:
            raise _Refused(place, N_("an alias refers to the value that contains it"))
        in_alias = in_alias or id(node) in self._seen
        if in_alias:
            self._count_alias_value(place)
        self._seen.add(id(node))
        self.document.places[path] = place
        self._open.add(id(node))
        try:
            return self._build_node(node, path, depth, in_alias)
        finally:
            self._open.discard(id(node))

    def _count_alias_value(self, place: Place) -> None:
        self._alias_values += 1
        if self._alias_values > MAX_ALIAS_VALUES:
            raise _Refused(
                place,
                N_("aliases (*name) expand to more than %(limit)d values; the file is refused"),
                limit=MAX_ALIAS_VALUES,
            )

    def _build_node(self, node: yaml.Node, path: FieldPath, depth: int, in_alias: bool) -> object:
        if isinstance(node, yaml.MappingNode) and node.tag == MAP_TAG:
            return self._build_mapping(node, path, depth, in_alias)
        if isinstance(node, yaml.SequenceNode) and node.tag == SEQ_TAG:
            return [
                self._build(item, (*path, index), depth + 1, in_alias)
                for index, item in enumerate(node.value)
            ]
        if isinstance(node, yaml.ScalarNode) and _is_plain_scalar_tag(node.tag):
            return self._build_scalar(node, path)
        raise _Refused(
            _mark_place(node.start_mark),
            TAG_NOT_ALLOWED,
            tag=_shown_tag(node.tag),
        )

    def _build_scalar(self, node: yaml.ScalarNode, path: FieldPath) -> object:
        self.document.scalars[path] = node
        if node.tag == STR_TAG:
            return node.value
        if node.tag in (INT_TAG, FLOAT_TAG) and not node.style and ":" in node.value:
            return node.value  # YAML 1.1 reads 18:00 as 1080 (base 60); a time is meant
        try:
            return _SCALAR_CONSTRUCTORS[node.tag](self._loader, node)
        except (ValueError, yaml.YAMLError):
            return node.value  # e.g. 2021-13-01: the field then says what it expects

    def _build_mapping(
        self, node: yaml.MappingNode, path: FieldPath, depth: int, in_alias: bool
    ) -> dict[str, object]:
        result: dict[str, object] = {}
        for key_node, value_node, merged in self._pairs(node):
            key = self._key(key_node)
            if key is None:
                continue
            if key in result:
                if not merged:
                    self._report_duplicate_key(key_node, (*path, key))
                continue
            if not merged:
                self.document.key_places[(*path, key)] = _mark_place(key_node.start_mark)
            result[key] = self._build(value_node, (*path, key), depth + 1, in_alias or merged)
        return result

    def _pairs(self, node: yaml.MappingNode) -> Iterator[tuple[yaml.Node, yaml.Node, bool]]:
        """The mapping's own pairs, then those merged in with `<<: *name`."""
        merges = []
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG:
                merges.append(value_node)
            else:
                yield key_node, value_node, False
        for source in merges:
            for merged in self._merge_sources(source):
                for key_node, value_node, _ in self._pairs(merged):
                    yield key_node, value_node, True

    def _merge_sources(self, node: yaml.Node) -> list[yaml.MappingNode]:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                raise _Refused(
                    _mark_place(source.start_mark),
                    N_("<< must be followed by a mapping or a list of mappings"),
                )
            if id(source) in self._open:
                raise _Refused(
                    _mark_place(source.start_mark),
                    N_("an alias refers to the value that contains it"),
                )
        return list(sources)

    def _key(self, node: yaml.Node) -> str | None:
        if isinstance(node, yaml.ScalarNode) and _is_plain_scalar_tag(node.tag):
            # A key is a name: `no:` (Norwegian) or `1:` stay as written.
            return str(node.value)
        if isinstance(node, yaml.ScalarNode):
            raise _Refused(
                _mark_place(node.start_mark),
                TAG_NOT_ALLOWED,
                tag=_shown_tag(node.tag),
            )
        self.document.problems.append(
            Problem(
                "",
                *_mark_place(node.start_mark),
                N_("a key must be a plain word, not a list or mapping"),
            )
        )
        return None

    def _report_duplicate_key(self, key_node: yaml.Node, path: FieldPath) -> None:
        self.document.problems.append(
            Problem(
                _format_path(path),
                *_mark_place(key_node.start_mark),
                N_("the key %(key)r is given twice in this mapping"),
                {"key": path[-1]},
            )
        )


# --- Validation errors -> problems ------------------------------------------------


def _format_path(path: FieldPath) -> str:
    """('program', 3, 'people', 0) -> 'program[3].people[0]'."""
    text = ""
    for segment in path:
        if isinstance(segment, int):
            text += f"[{segment}]"
        else:
            text += f".{segment}" if text else segment
    return text


def _place_of(document: _Document, path: FieldPath, at_key: bool = False) -> Place:
    """Where the value at `path` was written, or the closest enclosing value."""
    if at_key and path in document.key_places:
        return document.key_places[path]
    if path not in document.places and path[-1:] == ("end",):
        # An item's end computed from its duration: point at the duration.
        path = (*path[:-1], "duration")
    while path not in document.places:
        path = path[:-1]
    return document.places[path]


def _problem_at(document: _Document, base: FieldPath, finding: Finding) -> Problem:
    path = (*base, *finding.path)
    template, params = finding.template, finding.params
    if template == MUST_BE_TEXT:
        template, params = _text_expected(document, path)
    line, column = _place_of(document, path, finding.at_key)
    used = {name: value for name, value in params.items() if f"%({name})" in template}
    return Problem(_format_path(path), line, column, template, used)


def _problems_from_validation(error: ValidationError, document: _Document) -> list[Problem]:
    problems = []
    for details in error.errors():
        loc = tuple(details["loc"])
        cause = (details.get("ctx") or {}).get("error")
        if details["type"] == "value_error" and isinstance(cause, RuleError):
            problems += [_problem_at(document, loc, finding) for finding in cause.findings]
        else:
            problems.append(_problem_at(document, loc, _describe(details, loc, document)))
    return problems


def _describe(details: ErrorDetails, loc: FieldPath, document: _Document) -> Finding:
    """A pydantic error in the words of a moderator."""
    kind = details["type"]
    ctx: dict[str, Any] = dict(details.get("ctx") or {})
    translate = _TRANSLATIONS.get(kind)
    if translate is not None:
        return translate(loc, ctx, details["input"])
    return Finding((), N_("this value is not valid: %(detail)s"), {"detail": details["msg"]})


def _missing(loc: FieldPath, ctx: dict[str, Any], value: object) -> Finding:
    return Finding((), N_("the key %(key)r is missing"), {"key": loc[-1]})


def _unknown_key(loc: FieldPath, ctx: dict[str, Any], value: object) -> Finding:
    key = str(loc[-1])
    allowed = _allowed_keys(loc[:-1])
    suggestion = did_you_mean(key, allowed)
    if suggestion is not None:
        template = N_("unknown key %(key)r (did you mean %(suggestion)r?)")
    else:
        template = N_("unknown key %(key)r; the keys allowed here are: %(allowed)s")
    params = {"key": key, "suggestion": suggestion, "allowed": ", ".join(allowed)}
    return Finding((), template, params, at_key=True)


def _not_one_of(loc: FieldPath, ctx: dict[str, Any], value: object) -> Finding:
    expected = str(ctx.get("expected", ""))
    choices = re.findall(r"'([^']*)'", expected)
    suggestion = did_you_mean(value, choices) if isinstance(value, str) else None
    if suggestion is not None:
        template = N_("%(value)r is not one of %(expected)s (did you mean %(suggestion)r?)")
    else:
        template = N_("%(value)r is not one of %(expected)s")
    return Finding((), template, {"value": value, "expected": expected, "suggestion": suggestion})


def _too_short(loc: FieldPath, ctx: dict[str, Any], value: object) -> Finding:
    if ctx.get("min_length") == 1:
        return Finding((), N_("needs at least one entry"))
    return Finding((), N_("needs at least %(min_length)d entries"), ctx)


def _fixed(template: str) -> Callable[[FieldPath, dict[str, Any], object], Finding]:
    def describe(loc: FieldPath, ctx: dict[str, Any], value: object) -> Finding:
        return Finding((), template, {"value": value, **ctx})

    return describe


_TRANSLATIONS: dict[str, Callable[[FieldPath, dict[str, Any], object], Finding]] = {
    "missing": _missing,
    "extra_forbidden": _unknown_key,
    "enum": _not_one_of,
    "literal_error": _fixed(N_("%(value)r is not allowed here; expected %(expected)s")),
    "string_type": _fixed(MUST_BE_TEXT),
    "string_too_short": _fixed(N_("must not be empty")),
    "int_type": _fixed(N_("must be a whole number")),
    "int_parsing": _fixed(N_("must be a whole number")),
    "int_from_float": _fixed(N_("must be a whole number")),
    "list_type": _fixed(N_("must be a list")),
    "model_type": _fixed(N_("must be a mapping of keys and values")),
    "model_attributes_type": _fixed(N_("must be a mapping of keys and values")),
    "dict_type": _fixed(N_("must be a mapping of keys and values")),
    "too_short": _too_short,
    "too_long": _fixed(N_("has %(actual_length)d entries; at most %(max_length)d are allowed")),
    "greater_than_equal": _fixed(N_("must be %(ge)s or more")),
}


def _text_expected(document: _Document, path: FieldPath) -> tuple[str, dict[str, object]]:
    """The "must be text" message, with a hint when YAML read a bare word as a non-text."""
    scalar = document.scalars.get(path)
    if scalar is None or scalar.style:  # quoted or a block: YAML kept it as text
        return MUST_BE_TEXT, {}
    hints = {
        BOOL_TAG: N_('must be text: write "%(raw)s" in quotes (unquoted, it reads as yes/no)'),
        INT_TAG: N_('must be text: write "%(raw)s" in quotes (unquoted, it reads as a number)'),
        FLOAT_TAG: N_('must be text: write "%(raw)s" in quotes (unquoted, it reads as a number)'),
        TIMESTAMP_TAG: N_('must be text: write "%(raw)s" in quotes (unquoted, it reads as a date)'),
        NULL_TAG: N_("is empty: it needs a value"),
    }
    return hints.get(scalar.tag, MUST_BE_TEXT), {"raw": scalar.value}


def _allowed_keys(path: FieldPath) -> list[str]:
    model = _model_at(path)
    return list(model.model_fields) if model is not None else []


def _model_at(path: FieldPath) -> type[BaseModel] | None:
    """The model whose mapping sits at `path` in an agenda file."""
    current: object = Agenda
    for segment in path:
        if isinstance(segment, int):
            continue  # list items: the element type was taken with the list
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(segment)
        if info is None:
            return None
        current = _element_type(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


def _element_type(annotation: object) -> object:
    """`list[Day] | None` -> `Day`."""
    while True:
        origin = get_origin(annotation)
        args = get_args(annotation)
        if origin is Annotated or origin is list:
            annotation = args[0]
        elif origin is Union or origin is types.UnionType:
            annotation = next(arg for arg in args if arg is not type(None))
        else:
            return annotation
