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
    # Each login stores its own id (the user's session token and a random part).
    login_manager.id_attribute = "login_id"
    app.register_blueprint(routes.bp)
