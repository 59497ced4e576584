"""The agenda format: schema, parsing, storage, export and the organiser's pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_agenda(app: Flask) -> None:
    from facilitator.agenda import routes

    app.register_blueprint(routes.bp)
