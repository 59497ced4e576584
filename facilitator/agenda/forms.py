"""The organiser's forms for agendas: upload a file, confirm a deletion."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import StringField
from wtforms.validators import DataRequired, ValidationError

AGENDA_EXTENSIONS = ("yaml", "yml")


class UploadAgendaForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    file = FileField(
        _l("Agenda file (.yaml)"),
        validators=[
            FileRequired(message=_l("Choose an agenda file to upload.")),
            FileAllowed(AGENDA_EXTENSIONS, message=_l("An agenda file ends in .yaml.")),
        ],
    )


class DeleteWorkshopForm(FlaskForm):  # type: ignore[misc]
    confirm = StringField(
        _l("Type the workshop's id to confirm"),
        validators=[DataRequired(message=_l("Type the workshop's id to confirm."))],
    )

    def __init__(self, slug: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slug = slug

    def validate_confirm(self, field: StringField) -> None:
        if (field.data or "").strip() != self.slug:
            raise ValidationError(_l("That is not this workshop's id; nothing was deleted."))
