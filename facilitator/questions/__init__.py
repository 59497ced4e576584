"""Guiding questions and live polls: one class per question type, answers, results."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_questions(app: Flask) -> None:
    from facilitator.questions import routes

    app.register_blueprint(routes.bp)
