"""Run-of-show: the live state of a workshop, its timer and the moderator's controls."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_live(app: Flask) -> None:
    from facilitator.live import routes
    from facilitator.participation import routes as participation_routes

    app.register_blueprint(routes.bp)
    app.register_blueprint(participation_routes.bp)
