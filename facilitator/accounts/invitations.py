"""Invitation links: the page a link opens, accepting it, registering through it."""

from __future__ import annotations

from typing import NoReturn

from flask import current_app, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_user
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from facilitator.accounts.access import current_account
from facilitator.accounts.blueprint import bp, role_label, workshop_title
from facilitator.accounts.forms import RegisterForm
from facilitator.accounts.models import Invitation, Role
from facilitator.accounts.services import (
    AccountError,
    accept_invitation,
    create_user,
    holds_at_least,
    open_invitation,
    role_in,
)
from facilitator.agenda.models import Workshop
from facilitator.errors import Refused
from facilitator.extensions import db

_INVALID = (
    404,
    _l("This invitation link is not valid"),
    _l("Check that you copied the whole link, or ask the organiser for a new one."),
)
_INVITATION_ERRORS = {
    "invitation_expired": (
        410,
        _l("This invitation has expired"),
        _l("Invitation links work for a limited time. Ask the organiser for a new one."),
    ),
    "invitation_used": (
        410,
        _l("This invitation has already been used"),
        _l("Each invitation link works once. Ask the organiser for a new one."),
    ),
}


def _invitation_refused(code: str) -> NoReturn:
    status, title, message = _INVITATION_ERRORS.get(code, _INVALID)
    raise Refused(status, str(message), title=str(title), error_code=code)


def _open(token: str) -> Invitation:
    try:
        return open_invitation(db.session, token, secret_key=current_app.config["SECRET_KEY"])
    except AccountError as exc:
        _invitation_refused(exc.code)


def _invitation_page(
    token: str, invitation: Invitation, form: RegisterForm | None = None, status: int = 200
) -> Response:
    user = current_account()
    current_role = role_in(db.session, user, invitation.workshop) if user else None
    response = make_response(
        render_template(
            "accounts/invitation.html",
            token=token,
            invitation=invitation,
            workshop=invitation.workshop,
            **workshop_title(invitation.workshop),
            user=user,
            current_role=current_role,
            already=user is not None
            and holds_at_least(db.session, user, invitation.workshop, invitation.role),
            form=form or RegisterForm(),
            login_url=url_for("accounts.login", next=url_for("accounts.invitation", token=token)),
        ),
        status,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _welcome(workshop: Workshop, role: Role) -> Response:
    flash(_("Welcome! Your role in this workshop: %(role)s.", role=role_label(role)), "success")
    return redirect(url_for("agenda.workshop", slug=workshop.slug))


@bp.get("/invite/<token>")
def invitation(token: str) -> Response:
    return _invitation_page(token, _open(token))


@bp.post("/invite/<token>/accept")
def accept(token: str) -> Response:
    user = current_account()
    if user is None:
        return redirect(url_for("accounts.invitation", token=token))
    invitation = _open(token)
    workshop = invitation.workshop
    try:
        membership = accept_invitation(
            db.session, token, user, secret_key=current_app.config["SECRET_KEY"]
        )
    except AccountError as exc:
        db.session.rollback()
        if exc.code == "already_member":
            flash(_("You already take part in this workshop."), "info")
            return redirect(url_for("agenda.workshop", slug=workshop.slug))
        _invitation_refused(exc.code)
    role = membership.role
    db.session.commit()
    return _welcome(workshop, role)


@bp.post("/invite/<token>/register")
def register(token: str) -> Response:
    if current_account() is not None:
        return redirect(url_for("accounts.invitation", token=token))
    invitation = _open(token)
    workshop = invitation.workshop
    form = RegisterForm()
    if not form.validate_on_submit():
        return _invitation_page(token, invitation, form)
    try:
        # One transaction: the account exists only if the invitation is accepted.
        user = create_user(
            db.session, form.email.data or "", form.password.data or "", form.name.data or ""
        )
        membership = accept_invitation(
            db.session, token, user, secret_key=current_app.config["SECRET_KEY"]
        )
        role = membership.role
        db.session.commit()
    except IntegrityError:  # the same e-mail registered a moment ago
        db.session.rollback()
        form.email.errors.append(_("An account with this e-mail address already exists."))
        return _invitation_page(token, _open(token), form)
    except AccountError as exc:
        db.session.rollback()
        field_errors = {
            "email_taken": (
                form.email,
                _(
                    "An account with this e-mail address already exists. "
                    "Log in to accept the invitation."
                ),
            ),
            "invalid_email": (form.email, _("Enter a valid e-mail address.")),
            "invalid_name": (form.name, _("This name is too long.")),
            "weak_password": (form.password, _("This password is too short.")),
        }
        if exc.code not in field_errors:
            _invitation_refused(exc.code)
        field, message = field_errors[exc.code]
        field.errors.append(message)
        return _invitation_page(token, _open(token), form)
    login_user(user)
    return _welcome(workshop, role)
