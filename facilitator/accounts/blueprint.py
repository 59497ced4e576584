"""The accounts blueprint, defined once, and what its route modules share.

Its routes live in one module per job (sign_in, people, invitations), each thin:
the work is in accounts.services.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort
from flask.blueprints import BlueprintSetupState
from flask_babel import lazy_gettext as _l

from facilitator.accounts.access import current_account
from facilitator.accounts.forms import ROLE_LABELS
from facilitator.accounts.models import Role, User
from facilitator.agenda.models import Workshop
from facilitator.extensions import login_manager
from facilitator.i18n import pick_text, text_language

bp = Blueprint("accounts", __name__)


@bp.record_once
def _configure_login_manager(_state: BlueprintSetupState) -> None:
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"


def role_label(role: Role | str) -> str:
    return str(ROLE_LABELS[Role(role)])


@bp.context_processor
def _template_helpers() -> dict[str, Any]:
    return {"role_label": role_label}


def workshop_title(workshop: Workshop) -> dict[str, str]:
    """The title in the viewer's language, and that language for the `lang` attribute."""
    return {
        "workshop_title": pick_text(workshop.title, workshop.default_language),
        "workshop_title_lang": text_language(workshop.title, workshop.default_language),
    }


def user() -> User:
    """The logged-in user, in views that have made sure there is one."""
    account = current_account()
    if account is None:
        abort(login_manager.unauthorized())
    return account
