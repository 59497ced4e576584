"""Logging in and out, and changing one's password."""

from __future__ import annotations

from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter.util import get_remote_address
from flask_login import login_user, logout_user
from werkzeug.wrappers import Response

from facilitator.accounts.access import current_account, login_required
from facilitator.accounts.blueprint import bp, user
from facilitator.accounts.forms import LoginForm, PasswordChangeForm
from facilitator.accounts.models import User
from facilitator.accounts.services import (
    AccountError,
    authenticate,
    change_password,
    end_all_logins,
    normalise_email,
    user_of_login,
)
from facilitator.errors import Refused
from facilitator.extensions import db, limiter
from facilitator.ratelimits import throttles
from facilitator.web import safe_next


def load_user(login_id: str) -> User | None:
    """Flask-Login's user loader: the id a session or remember cookie holds, back to a User.

    A cookie made before the user's last logout or password change names an
    old token and finds nobody.
    """
    return user_of_login(db.session, str(login_id))


def _refuse_while_locked(wait: int) -> None:
    """Too many wrong passwords for this account: refused unheard, from any address."""
    if wait:
        raise Refused(
            429,
            ngettext(
                "Too many failed log-ins for this account. Try again in %(num)d second.",
                "Too many failed log-ins for this account. Try again in %(num)d seconds.",
                wait,
            ),
            title=_("Too many attempts"),
            error_code="rate_limited",
            retry_after=wait,
        )


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
        email = normalise_email(form.email.data or "")
        throttle = throttles(current_app)
        _refuse_while_locked(throttle.login_wait(email))
        user = authenticate(db.session, email, form.password.data or "")
        if user is None:
            throttle.login_failed(email)  # known e-mail or not: nothing tells them apart
            # One message for an unknown e-mail and a wrong password.
            error = _("Wrong e-mail address or password.")
        else:
            throttle.login_succeeded(email)
            login_user(user, remember=bool(form.remember.data))
            return redirect(target)
    return render_template("accounts/login.html", form=form, error=error, next=kept_next)


@bp.post("/logout")
def logout() -> Response:
    account = current_account()
    if account is not None:
        # Every copy of this login's cookies, and the user's other logins, end too.
        end_all_logins(db.session, account)
        db.session.commit()
    logout_user()
    flash(_("You are logged out."), "success")
    return redirect(url_for("accounts.login"))


def _password_page(form: PasswordChangeForm, status: int = 200) -> Response:
    response = make_response(render_template("accounts/password.html", form=form), status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password() -> Response:
    form = PasswordChangeForm()
    if not form.validate_on_submit():
        return _password_page(form, 400 if form.is_submitted() else 200)
    me = user()
    # The same count as the log-in form's: a borrowed browser is no way round it.
    throttle = throttles(current_app)
    _refuse_while_locked(throttle.login_wait(me.email))
    try:
        change_password(db.session, me, form.current.data or "", form.password.data or "")
    except AccountError as exc:
        db.session.rollback()
        if exc.code == "wrong_password":
            throttle.login_failed(me.email)
            form.current.errors.append(_("Your current password is not this one."))
        else:
            form.password.errors.append(_("This password is too short."))
        return _password_page(form, 400)
    db.session.commit()
    # Every other login ended with the old token; this browser logs in again on the new one.
    remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    login_user(me, remember=remembered)
    flash(_("Your password is changed; you are logged out everywhere else."), "success")
    return redirect(url_for("agenda.dashboard"))
