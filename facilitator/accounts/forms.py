"""The account forms. Labels and messages are lazy: they are rendered in the viewer's language."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length

from facilitator.accounts.models import INVITABLE_ROLES, Role
from facilitator.accounts.services import MAX_EMAIL_LENGTH, MAX_NAME_LENGTH, MIN_PASSWORD_LENGTH

ROLE_LABELS = {
    Role.ORGANISER: _l("Organiser"),
    Role.MODERATOR: _l("Moderator"),
    Role.RAPPORTEUR: _l("Rapporteur"),
}


def new_password_field(label: Any) -> Any:
    """A new password, with the length rule the services enforce (registration, change)."""
    return PasswordField(
        label,
        validators=[
            DataRequired(message=_l("Choose a password.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                message=_l("Use at least %(min)d characters.", min=MIN_PASSWORD_LENGTH),
            ),
        ],
        description=_l("At least %(min)d characters.", min=MIN_PASSWORD_LENGTH),
        render_kw={"autocomplete": "new-password", "minlength": MIN_PASSWORD_LENGTH},
    )


def password_again_field(label: Any) -> Any:
    """The same password typed twice: equal to the form's `password` field."""
    return PasswordField(
        label,
        validators=[
            DataRequired(message=_l("Type the password again.")),
            EqualTo("password", message=_l("The two passwords differ.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class LoginForm(FlaskForm):  # type: ignore[misc]
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(message=_l("Enter your e-mail address.")),
            Length(max=MAX_EMAIL_LENGTH),
        ],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me logged in on this device"))


class RegisterForm(FlaskForm):  # type: ignore[misc]
    name = StringField(
        _l("Your name"),
        validators=[
            DataRequired(message=_l("Enter your name.")),
            Length(
                max=MAX_NAME_LENGTH,
                message=_l("Use at most %(max)d characters.", max=MAX_NAME_LENGTH),
            ),
        ],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(message=_l("Enter your e-mail address.")),
            Length(
                max=MAX_EMAIL_LENGTH,
                message=_l("Use at most %(max)d characters.", max=MAX_EMAIL_LENGTH),
            ),
        ],
        render_kw={"autocomplete": "email", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = new_password_field(_l("Password"))
    confirm = password_again_field(_l("Password again"))


class InvitationForm(FlaskForm):  # type: ignore[misc]
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(role.value, ROLE_LABELS[role]) for role in INVITABLE_ROLES],
        default=Role.MODERATOR.value,
    )


class PasswordChangeForm(FlaskForm):  # type: ignore[misc]
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    password = new_password_field(_l("New password"))
    confirm = password_again_field(_l("New password again"))
