"""Logging in and out."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import login_user, logout_user
from werkzeug.wrappers import Response

from facilitator.accounts.access import current_account
from facilitator.accounts.blueprint import bp
from facilitator.accounts.forms import LoginForm
from facilitator.accounts.models import User
from facilitator.accounts.services import authenticate
from facilitator.extensions import db, limiter
from facilitator.web import safe_next


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader: the id kept in the session cookie, back to a User."""
    try:
        key = int(user_id)
    except (TypeError, ValueError):
        return None
    return db.session.get(User, key)


def _login_rate_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"], key_func=get_remote_address)
def login() -> Response | str:
    requested = request.args.get("next")
    kept_next = requested if safe_next(requested, "") else None
    target = safe_next(requested, url_for("agenda.dashboard"))
    if request.method == "GET" and current_account() is not None:
        return redirect(target)

    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = authenticate(db.session, form.email.data or "", form.password.data or "")
        if user is None:
            # One message for an unknown e-mail and a wrong password.
            error = _("Wrong e-mail address or password.")
        else:
            login_user(user, remember=bool(form.remember.data))
            return redirect(target)
    return render_template("accounts/login.html", form=form, error=error, next=kept_next)


@bp.post("/logout")
def logout() -> Response:
    logout_user()
    flash(_("You are logged out."), "success")
    return redirect(url_for("accounts.login"))
