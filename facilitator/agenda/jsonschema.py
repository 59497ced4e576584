"""The JSON Schema of the agenda format, for editors that complete and check YAML.

`python -m facilitator.agenda.jsonschema` rewrites docs/agenda.schema.json;
a test keeps the committed file equal to `agenda_json_schema()`. The schema
gives the shape of each value; rules across fields (references, times within
a day, languages of translations) are checked by the loader only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from facilitator.agenda.schema import FORMAT, AgendaSpec
from facilitator.agenda.schema.text import TEXT_JSON_SCHEMA

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "agenda.schema.json"
TEXT_REF = {"$ref": "#/$defs/Text"}


def agenda_json_schema() -> dict[str, Any]:
    schema = _refer_to_text(_defs_named_by_title(AgendaSpec.model_json_schema()))
    assert isinstance(schema, dict)
    schema["$defs"]["Text"] = TEXT_JSON_SCHEMA
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"Agenda ({FORMAT})"
    return schema


def _defs_named_by_title(schema: dict[str, Any]) -> dict[str, Any]:
    """`$defs/PersonSpec` -> `$defs/Person`: the published names are the models' titles.

    pydantic names a definition after its class; the classes are `…Spec` so that code
    never confuses them with the tables, which is no concern of an editor's.
    """
    names = {name: node.get("title", name) for name, node in schema.get("$defs", {}).items()}
    renamed = json.dumps(schema)
    for old, new in names.items():
        renamed = renamed.replace(f'"#/$defs/{old}"', f'"#/$defs/{new}"')
    result: dict[str, Any] = json.loads(renamed)
    result["$defs"] = {names[name]: node for name, node in result.get("$defs", {}).items()}
    return result


def _refer_to_text(node: object) -> object:
    """Replace each inline copy of the text schema by a reference to one definition."""
    if isinstance(node, dict) and node.get("anyOf") == TEXT_JSON_SCHEMA["anyOf"]:
        # Keep what the field adds (its title, its own description).
        extra = {
            key: value
            for key, value in node.items()
            if key != "anyOf" and (key, value) != ("description", TEXT_JSON_SCHEMA["description"])
        }
        return {**extra, **TEXT_REF}
    if isinstance(node, dict):
        return {key: _refer_to_text(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_refer_to_text(item) for item in node]
    return node


def render_schema() -> str:
    """The schema as the committed file holds it."""
    return json.dumps(agenda_json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    SCHEMA_PATH.parent.mkdir(parents=True, exist_ok=True)
    SCHEMA_PATH.write_text(render_schema(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")


if __name__ == "__main__":
    main()
