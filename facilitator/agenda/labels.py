"""Translatable labels for the agenda format's fixed values (kinds, question types, roles).

The file keeps codes (`qa`, `co-creation`); screens show these labels in the
viewer's language. Each mapping is keyed by the code as it appears in the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

# `kind` at the top level of an agenda.
WORKSHOP_KINDS: Mapping[str, Any] = {
    "workshop": _l("Workshop"),
    "co-creation": _l("Co-creation session"),
    "panel": _l("Panel"),
    "webinar": _l("Webinar"),
    "course": _l("Course"),
    "meeting": _l("Meeting"),
}

# `kind` of a program item.
ITEM_KINDS: Mapping[str, Any] = {
    "logistics": _l("Logistics"),
    "introduction": _l("Introduction"),
    "presentation": _l("Presentation"),
    "discussion": _l("Discussion"),
    "qa": _l("Questions and answers"),
    "breakout": _l("Breakout groups"),
    "closing": _l("Closing"),
    "break": _l("Break"),
}

# `type` of a guiding question.
QUESTION_TYPES: Mapping[str, Any] = {
    "open": _l("Open answer"),
    "choice": _l("Single choice"),
    "multi": _l("Multiple choice"),
    "scale": _l("Scale"),
    "words": _l("Word cloud"),
}

# `roles` of a person in the agenda.
PERSON_ROLES: Mapping[str, Any] = {
    "moderator": _l("Moderator"),
    "speaker": _l("Speaker"),
    "rapporteur": _l("Rapporteur"),
    "panelist": _l("Panelist"),
    "organiser": _l("Organiser"),
}

# A user's role in a workshop (accounts.models.Role values), plus the site admin.
ACCOUNT_ROLES: Mapping[str, Any] = {
    "organiser": _l("Organiser"),
    "moderator": _l("Moderator"),
    "rapporteur": _l("Rapporteur"),
    "admin": _l("Administrator"),
}


def label(mapping: Mapping[str, Any], code: str | None) -> str:
    """The label of `code` in the UI language; an unknown code is shown as it is."""
    if code is None:
        return ""
    found = mapping.get(code)
    return str(found) if found is not None else code


def workshop_kind_label(code: str | None) -> str:
    return label(WORKSHOP_KINDS, code)


def item_kind_label(code: str | None) -> str:
    return label(ITEM_KINDS, code)


def question_type_label(code: str | None) -> str:
    return label(QUESTION_TYPES, code)


def person_role_label(code: str | None) -> str:
    return label(PERSON_ROLES, code)


def account_role_label(code: str | None) -> str:
    return label(ACCOUNT_ROLES, code)
