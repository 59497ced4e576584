"""Who may open a workshop's pages: the helpers other blueprints use in their views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn, TypeVar, cast

import flask_login
from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from facilitator.accounts.models import Role, User
from facilitator.accounts.services import Forbidden, require_role
from facilitator.agenda.models import Workshop
from facilitator.errors import Refused
from facilitator.extensions import db, login_manager

__all__ = ["current_account", "login_required", "workshop_for"]

View = TypeVar("View", bound=Callable[..., Any])


def login_required(view: View) -> View:
    """Flask-Login's decorator, with the view's type kept (Flask-Login has no type hints)."""
    return cast(View, flask_login.login_required(view))


def current_account() -> User | None:
    """The logged-in User (the real object, not the proxy), or None for a visitor."""
    if not current_user.is_authenticated:
        return None
    user = current_user._get_current_object()
    return user if isinstance(user, User) else None


def _unauthorised() -> NoReturn:
    # Flask-Login's answer: a redirect to the login page with ?next=, or 401.
    abort(login_manager.unauthorized())


def workshop_for(slug: str, allowed: frozenset[Role]) -> Workshop:
    """The workshop at `slug` if the current user is an admin or holds an allowed role.

    A visitor is sent to log in; an unknown slug is a 404; any other user a 403.
    """
    user = current_account()
    if user is None:
        _unauthorised()
    workshop = db.session.scalar(select(Workshop).where(Workshop.slug == slug))
    if workshop is None:
        raise Refused(
            404,
            _("There is no workshop at this address; it may have been deleted."),
            title=_("No such workshop"),
        )
    try:
        require_role(db.session, user, workshop, allowed)
    except Forbidden:
        abort(403)
    return workshop
