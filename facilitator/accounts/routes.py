"""Log in and out, a workshop's people and invitation links. Thin: the work is in services."""

from __future__ import annotations

from typing import Any, NoReturn

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import login_user, logout_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from facilitator.accounts.access import current_account, login_required, workshop_for
from facilitator.accounts.forms import (
    ROLE_LABELS,
    InvitationForm,
    LoginForm,
    RegisterForm,
)
from facilitator.accounts.models import Invitation, Role, User
from facilitator.accounts.services import (
    CAN_MANAGE,
    AccountError,
    accept_invitation,
    authenticate,
    create_invitation,
    create_user,
    holds_at_least,
    members,
    open_invitation,
    pending_invitations,
    remove_member,
    revoke_invitation,
    role_in,
)
from facilitator.agenda.models import Workshop
from facilitator.extensions import db, limiter, login_manager
from facilitator.i18n import pick_text, text_language
from facilitator.web import safe_next

bp = Blueprint("accounts", __name__)


# The link just made, shown once on the next view of the people page.
NEW_INVITATION_KEY = "accounts.new_invitation"


@bp.record_once
def _configure_login_manager(_state: BlueprintSetupState) -> None:
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader: the id kept in the session cookie, back to a User."""
    try:
        key = int(user_id)
    except (TypeError, ValueError):
        return None
    return db.session.get(User, key)


def role_label(role: Role | str) -> str:
    return str(ROLE_LABELS[Role(role)])


@bp.context_processor
def _template_helpers() -> dict[str, Any]:
    return {"role_label": role_label}


def _workshop_title(workshop: Workshop) -> dict[str, str]:
    """The title in the viewer's language, and that language for the `lang` attribute."""
    return {
        "workshop_title": pick_text(workshop.title, workshop.default_language),
        "workshop_title_lang": text_language(workshop.title, workshop.default_language),
    }


def _user() -> User:
    """The logged-in user, in views that have made sure there is one."""
    user = current_account()
    if user is None:
        abort(login_manager.unauthorized())
    return user


def _error_page(status: int, title: str, message: str) -> Response:
    response = make_response(
        render_template("accounts/error.html", title=title, message=message), status
    )
    return response


# --- errors of this blueprint's pages -------------------------------------------------


@bp.errorhandler(429)
def _too_many_requests(_error: HTTPException) -> Response:
    response = _error_page(
        429,
        _("Too many attempts"),
        _("Too many attempts from your network. Please wait a minute, then try again."),
    )
    response.headers.setdefault("Retry-After", "60")
    return response


@bp.errorhandler(CSRFError)
def _csrf_failed(_error: CSRFError) -> Response:
    return _error_page(
        400,
        _("The form could not be sent"),
        _(
            "The form's security token was missing or out of date. "
            "Go back, reload the page and try again."
        ),
    )


# --- logging in and out ---------------------------------------------------------------


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


# --- a workshop's people --------------------------------------------------------------


def invitation_url(token: str) -> str:
    """The full link to send, on the public address when the app sits behind one."""
    public = current_app.config.get("PUBLIC_URL")
    if public:
        return str(public).rstrip("/") + url_for("accounts.invitation", token=token)
    return url_for("accounts.invitation", token=token, _external=True)


def _take_new_invitation(workshop: Workshop) -> tuple[str, Invitation] | None:
    """The link made just before, once; None when there is none for this workshop."""
    stored = session.get(NEW_INVITATION_KEY)
    if not isinstance(stored, dict) or stored.get("workshop") != workshop.id:
        return None
    session.pop(NEW_INVITATION_KEY, None)
    invitation = db.session.get(Invitation, stored.get("id"))
    if invitation is None or invitation.workshop_id != workshop.id:
        return None
    return invitation_url(str(stored.get("token"))), invitation


def _people_page(workshop: Workshop, form: InvitationForm, status: int = 200) -> Response:
    user = _user()
    response = make_response(
        render_template(
            "accounts/people.html",
            workshop=workshop,
            **_workshop_title(workshop),
            members=members(db.session, workshop),
            invitations=pending_invitations(db.session, workshop),
            new_invitation=_take_new_invitation(workshop),
            form=form,
            me=user,
        ),
        status,
    )
    # The page may show a secret link: keep it out of every cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/w/<slug>/people")
@login_required
def people(slug: str) -> Response:
    workshop = workshop_for(slug, CAN_MANAGE)
    return _people_page(workshop, InvitationForm())


@bp.post("/w/<slug>/invitations")
@login_required
def create_invitation_link(slug: str) -> Response:
    workshop = workshop_for(slug, CAN_MANAGE)
    form = InvitationForm()
    if not form.validate_on_submit():
        return _people_page(workshop, form, status=400)
    try:
        invitation, token = create_invitation(
            db.session,
            _user(),
            workshop,
            Role(form.role.data),
            secret_key=current_app.config["SECRET_KEY"],
            max_age_seconds=int(current_app.config["INVITATION_MAX_AGE_SECONDS"]),
        )
    except AccountError:
        db.session.rollback()
        abort(403)
    db.session.commit()
    session[NEW_INVITATION_KEY] = {"workshop": workshop.id, "id": invitation.id, "token": token}
    return redirect(url_for("accounts.people", slug=workshop.slug))


@bp.post("/w/<slug>/invitations/<int:invitation_id>/revoke")
@login_required
def revoke(slug: str, invitation_id: int) -> Response:
    workshop = workshop_for(slug, CAN_MANAGE)
    try:
        revoke_invitation(db.session, _user(), workshop, invitation_id)
    except AccountError as exc:
        db.session.rollback()
        if exc.code == "invitation_used":
            flash(_("That invitation has already been used."), "error")
            return redirect(url_for("accounts.people", slug=workshop.slug))
        abort(404 if exc.code == "invitation_not_found" else 403)
    db.session.commit()
    flash(_("The invitation is revoked; its link no longer works."), "success")
    return redirect(url_for("accounts.people", slug=workshop.slug))


@bp.post("/w/<slug>/people/<int:user_id>/remove")
@login_required
def remove(slug: str, user_id: int) -> Response:
    workshop = workshop_for(slug, CAN_MANAGE)
    me = _user()
    try:
        membership = remove_member(db.session, me, workshop, user_id)
    except AccountError as exc:
        db.session.rollback()
        if exc.code == "last_organiser":
            flash(_("A workshop needs at least one organiser; invite another first."), "error")
            return redirect(url_for("accounts.people", slug=workshop.slug))
        abort(404 if exc.code == "not_member" else 403)
    name = membership.user.display_name
    db.session.commit()
    flash(_("%(name)s no longer has a role in this workshop.", name=name), "success")
    if user_id == me.id and not me.is_admin:
        return redirect(url_for("agenda.dashboard"))
    return redirect(url_for("accounts.people", slug=workshop.slug))


# --- invitation links -----------------------------------------------------------------

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
    abort(_error_page(status, str(title), str(message)))


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
            **_workshop_title(invitation.workshop),
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
