"""Organiser accounts, workshop roles and invitation links."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_accounts(app: Flask) -> None:
    from facilitator.accounts import routes
    from facilitator.extensions import login_manager

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.user_loader(routes.load_user)
    app.register_blueprint(routes.bp)
