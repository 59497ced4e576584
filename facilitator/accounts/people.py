"""A workshop's people: its members, and the invitation links its organisers make."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from facilitator.accounts.access import login_required, workshop_for
from facilitator.accounts.blueprint import bp, user, workshop_title
from facilitator.accounts.changes import AccessRevoked
from facilitator.accounts.forms import InvitationForm
from facilitator.accounts.models import Invitation, Role
from facilitator.accounts.services import (
    CAN_MANAGE,
    CAN_RUN,
    AccountError,
    create_invitation,
    members,
    pending_invitations,
    remove_member,
    revoke_invitation,
)
from facilitator.agenda.models import Workshop
from facilitator.extensions import db
from facilitator.live.services import rotate_display_token
from facilitator.realtime.runtime import current as realtime

# The link just made, shown once on the next view of the people page.
NEW_INVITATION_KEY = "accounts.new_invitation"


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
    me = user()
    response = make_response(
        render_template(
            "accounts/people.html",
            workshop=workshop,
            **workshop_title(workshop),
            members=members(db.session, workshop),
            invitations=pending_invitations(db.session, workshop),
            new_invitation=_take_new_invitation(workshop),
            form=form,
            me=me,
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
            user(),
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
        revoke_invitation(db.session, user(), workshop, invitation_id)
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
    me = user()
    try:
        membership = remove_member(db.session, me, workshop, user_id)
    except AccountError as exc:
        db.session.rollback()
        if exc.code == "last_organiser":
            flash(_("A workshop needs at least one organiser; invite another first."), "error")
            return redirect(url_for("accounts.people", slug=workshop.slug))
        abort(404 if exc.code == "not_member" else 403)
    name = membership.user.display_name
    # Their open consoles close; a display link they could see is replaced.
    events: list[object] = [AccessRevoked(workshop.id, user_id)]
    if membership.role in CAN_RUN:
        events += rotate_display_token(db.session, workshop)
    realtime().commit_then_emit(db.session, events)
    flash(_("%(name)s no longer has a role in this workshop.", name=name), "success")
    if user_id == me.id and not me.is_admin:
        return redirect(url_for("agenda.dashboard"))
    return redirect(url_for("accounts.people", slug=workshop.slug))
