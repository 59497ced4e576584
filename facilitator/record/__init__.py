"""The session record: rapporteurs' notes, the compiled record, one exporter per format."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_record(app: Flask) -> None:
    from facilitator.record import routes

    app.register_blueprint(routes.bp)
