"""Agenda text as stored and as written: a mapping per language, or a plain string.

The database keeps every text as a mapping; the file keeps a plain string where
only the default language is given. Storing and exporting both go through here.
"""

from __future__ import annotations

from typing import Any, overload

from facilitator.agenda.models import TextMap

Text = str | TextMap

# The text fields of nested mappings: scale labels, a person's presentation.
SCALE_TEXTS = ("min_label", "max_label")
PRESENTATION_TEXTS = ("title", "abstract")


@overload
def to_map(text: Text, default: str) -> TextMap: ...
@overload
def to_map(text: Text | None, default: str) -> TextMap | None: ...
def to_map(text: Text | None, default: str) -> TextMap | None:
    """Store every text as a mapping; a plain string is in the default language."""
    if text is None:
        return None
    return {default: text} if isinstance(text, str) else dict(text)


def from_map(text: TextMap | None, default: str) -> Text | None:
    """Give back the plain string where only the default language is there."""
    if text is None:
        return None
    if set(text) == {default}:
        return text[default]
    return dict(text)


def nested_to_map(value: Any, default: str, text_keys: tuple[str, ...]) -> Any:
    """Store the text fields of a nested mapping (scale labels, presentation) as mappings."""
    if value is None:
        return None
    return {key: to_map(item, default) if key in text_keys else item for key, item in value.items()}


def nested_from_map(value: Any, default: str, text_keys: tuple[str, ...]) -> Any:
    if value is None:
        return None
    return {
        key: from_map(item, default) if key in text_keys else item for key, item in value.items()
    }
