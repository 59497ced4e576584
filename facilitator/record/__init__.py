"""The session record: rapporteurs' notes, the compiled record, one exporter per format."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_record(app: Flask) -> None:
    from facilitator.record import pages, routes, stored

    assert pages.notes_page.__module__ == pages.__name__  # its routes are on routes.bp
    app.register_blueprint(routes.bp)
    app.extensions[routes.EXPORTS_KEY] = stored.Exports()
