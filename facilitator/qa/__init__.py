"""Audience Q&A: participants ask and upvote, moderators curate, speakers read."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_qa(app: Flask) -> None:
    from facilitator.qa import routes

    app.register_blueprint(routes.bp)
