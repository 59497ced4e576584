"""The agenda written back as a file, in canonical form."""

from __future__ import annotations

from typing import Any

import yaml

from facilitator.agenda.schema.agenda import AgendaSpec


def agenda_to_data(agenda: AgendaSpec) -> dict[str, Any]:
    """The agenda as plain data in canonical form.

    Unset and default values are left out, times are "HH:MM", dates ISO, and
    items carry `end` (never `duration`). Keys come in the order of the
    format page, `format` first.
    """
    return agenda.model_dump(mode="json", exclude_none=True, exclude_defaults=True)


class _AgendaDumper(yaml.SafeDumper):
    """Safe YAML in the style of hand-written agendas: indented lists, `|` blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_AgendaDumper.add_representer(str, _represent_str)


def dump_yaml(agenda: AgendaSpec) -> str:
    """The agenda as a YAML file in canonical form; parsing it gives `agenda` back."""
    return yaml.dump(
        agenda_to_data(agenda),
        Dumper=_AgendaDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
    )
