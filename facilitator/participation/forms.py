"""What a participant sends to join: the phone's form and the JSON API's body.

Choices (languages, countries, stakeholder types) are checked once, by the
service; the form only carries them, so both ways of joining refuse the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from pydantic import BaseModel, ConfigDict, Field
from wtforms import RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from facilitator.participation.services import (
    MAX_NAME,
    MAX_ORGANISATION,
    ORGANISATION_TYPES,
    STAKEHOLDER_TYPES,
)

STAKEHOLDER_LABELS: Mapping[str, Any] = {
    "local-government": _l("Local government"),
    "national-government": _l("National government"),
    "sse-organisation": _l("Social and solidarity economy organisation"),
    "civil-society": _l("Civil society"),
    "academia": _l("Academia or research"),
    "international-organisation": _l("International organisation"),
    "private-sector": _l("Private sector"),
    "other": _l("Other"),
}
assert set(STAKEHOLDER_LABELS) == set(STAKEHOLDER_TYPES)

ORGANISATION_TYPE_LABELS: Mapping[str, Any] = {
    "cooperative": _l("Cooperative"),
    "mutual": _l("Mutual society"),
    "association": _l("Association or NGO"),
    "foundation": _l("Foundation"),
    "social-enterprise": _l("Social enterprise"),
    "network": _l("Network or federation"),
    "public-body": _l("Public administration"),
    "company": _l("Company"),
    "research": _l("University or research centre"),
    "informal": _l("Informal group"),
    "other": _l("Other"),
}
assert set(ORGANISATION_TYPE_LABELS) == set(ORGANISATION_TYPES)

MAX_CODE = 32  # a code typed with dashes and spaces is still short


class JoinForm(FlaskForm):  # type: ignore[misc]
    display_name = StringField(
        _l("Your name (optional)"),
        validators=[
            Length(max=MAX_NAME, message=_l("Use at most %(max)d characters.", max=MAX_NAME))
        ],
        description=_l("Leave it empty to take part anonymously."),
        render_kw={"autocomplete": "name", "maxlength": MAX_NAME},
    )
    language = RadioField(
        _l("Your language"),
        validators=[DataRequired(message=_l("Choose a language."))],
        validate_choice=False,  # the service refuses a language the workshop does not have
    )
    organisation = StringField(
        _l("Organisation (optional)"),
        validators=[
            Length(
                max=MAX_ORGANISATION,
                message=_l("Use at most %(max)d characters.", max=MAX_ORGANISATION),
            )
        ],
        render_kw={"autocomplete": "organization", "maxlength": MAX_ORGANISATION},
    )
    country = SelectField(_l("Country (optional)"), validate_choice=False)
    stakeholder_type = SelectField(_l("Type of organisation (optional)"), validate_choice=False)


class ApiJoin(BaseModel):
    """The body of POST /api/join."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(min_length=1, max_length=MAX_CODE)
    language: str = Field(min_length=2, max_length=35)
    display_name: str | None = Field(default=None, max_length=MAX_NAME)
    organisation: str | None = Field(default=None, max_length=MAX_ORGANISATION)
    country: str | None = Field(default=None, max_length=2)
    stakeholder_type: str | None = Field(default=None, max_length=64)


class Restore(BaseModel):
    """The body of POST /j/<code>/restore: the token the phone kept."""

    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=1, max_length=64)
