"""YAML nodes -> plain data, keeping where each value was written.

The data is built from the nodes here (not by PyYAML's constructor) so that each
value's line and column are kept, so that aliases can be counted as they expand,
and so that only plain tags get through.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import yaml

from facilitator.agenda.errors import N_, Problem
from facilitator.agenda.parsing.source import (
    MAX_DEPTH,
    TOO_DEEP,
    Place,
    Refused,
    compose,
    decode,
    mark_place,
)
from facilitator.agenda.schema import MAX_PROGRAM_ITEMS, FieldPath

# Values produced by expanding aliases (`*name`): generous for reuse, far
# below what a "billion laughs" file asks for.
MAX_ALIAS_VALUES = 10_000

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

TAG_NOT_ALLOWED = N_(
    "the tag %(tag)s is not allowed: agenda files hold only text, numbers, dates,"
    " lists and mappings"
)


@dataclass
class Document:
    """Plain data built from the YAML, and where each value of it was written."""

    data: object = None
    places: dict[FieldPath, Place] = field(default_factory=dict)
    key_places: dict[FieldPath, Place] = field(default_factory=dict)
    scalars: dict[FieldPath, yaml.ScalarNode] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def read_document(source: bytes | str) -> Document:
    text = decode(source)
    root = compose(text)
    document = _DocumentBuilder().build_document(root)
    _check_top_level(document)
    return document


def _check_top_level(document: Document) -> None:
    if not isinstance(document.data, dict):
        raise Refused(
            document.places[()],
            N_(
                "the file must be a mapping of keys and values, starting with"
                " format: facilitator/agenda@1"
            ),
        )
    program = document.data.get("program")
    if isinstance(program, list) and len(program) > MAX_PROGRAM_ITEMS:
        raise Refused(
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
        self.document = Document()
        self._seen: set[int] = set()  # nodes built once: seeing one again is an alias
        self._open: set[int] = set()  # nodes being built: seeing one again is a loop
        self._alias_values = 0
        self._loader = yaml.SafeLoader("")  # only for its scalar constructors

    def build_document(self, root: yaml.Node) -> Document:
        self.document.data = self._build(root, (), depth=0, in_alias=False)
        return self.document

    def _build(self, node: yaml.Node, path: FieldPath, depth: int, in_alias: bool) -> object:
        place = mark_place(node.start_mark)
        if depth > MAX_DEPTH:
            raise Refused(place, TOO_DEEP)
        if id(node) in self._open:
            raise Refused(place, N_("an alias refers to the value that contains it"))
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
            raise Refused(
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
        raise Refused(
            mark_place(node.start_mark),
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
                self.document.key_places[(*path, key)] = mark_place(key_node.start_mark)
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
                raise Refused(
                    mark_place(source.start_mark),
                    N_("<< must be followed by a mapping or a list of mappings"),
                )
            if id(source) in self._open:
                raise Refused(
                    mark_place(source.start_mark),
                    N_("an alias refers to the value that contains it"),
                )
        return list(sources)

    def _key(self, node: yaml.Node) -> str | None:
        if isinstance(node, yaml.ScalarNode) and _is_plain_scalar_tag(node.tag):
            # A key is a name: `no:` (Norwegian) or `1:` stay as written.
            return str(node.value)
        if isinstance(node, yaml.ScalarNode):
            raise Refused(
                mark_place(node.start_mark),
                TAG_NOT_ALLOWED,
                tag=_shown_tag(node.tag),
            )
        self.document.problems.append(
            Problem(
                "",
                *mark_place(node.start_mark),
                N_("a key must be a plain word, not a list or mapping"),
            )
        )
        return None

    def _report_duplicate_key(self, key_node: yaml.Node, path: FieldPath) -> None:
        self.document.problems.append(
            Problem(
                format_path(path),
                *mark_place(key_node.start_mark),
                N_("the key %(key)r is given twice in this mapping"),
                {"key": path[-1]},
            )
        )


def format_path(path: FieldPath) -> str:
    """('program', 3, 'people', 0) -> 'program[3].people[0]'."""
    text = ""
    for segment in path:
        if isinstance(segment, int):
            text += f"[{segment}]"
        else:
            text += f".{segment}" if text else segment
    return text
