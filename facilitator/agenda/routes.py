"""The organiser's agenda pages: dashboard, upload, workshop page, download, delete.

A thin blueprint: parsing lives in `parsing`, storage and the role rules of
updates and deletions in `services`; each mutation runs in one unit of work
and is committed here, at the edge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from babel.dates import format_interval
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from facilitator.accounts.access import current_account, login_required, workshop_for
from facilitator.accounts.models import Membership, User
from facilitator.accounts.services import (
    CAN_MANAGE,
    CAN_VIEW,
    Forbidden,
    role_in,
    visible_workshops,
)
from facilitator.agenda import labels
from facilitator.agenda.changes import AgendaLoaded, WorkshopDeleted
from facilitator.agenda.days import day_views, shown_zones
from facilitator.agenda.errors import AgendaError, Problem
from facilitator.agenda.exporter import export_agenda
from facilitator.agenda.forms import DeleteWorkshopForm, UploadAgendaForm
from facilitator.agenda.models import Day, Workshop
from facilitator.agenda.parsing import parse_agenda
from facilitator.agenda.schema import AgendaSpec, dump_yaml
from facilitator.agenda.services import delete_workshop, store_agenda
from facilitator.extensions import db
from facilitator.i18n import pick_text
from facilitator.realtime.runtime import current as realtime

bp = Blueprint("agenda", __name__)

YAML_CONTENT_TYPE = "application/yaml; charset=utf-8"
ADMIN_ROLE = "admin"


def _user() -> User:
    user = current_account()
    if user is None:  # login_required has already sent visitors to the login page
        abort(401)
    return user


def _role_code(user: User, workshop: Workshop) -> str:
    role = role_in(db.session, user, workshop)
    if role is not None:
        return str(role)
    return ADMIN_ROLE if user.is_admin else ""


def _may_manage(user: User, workshop: Workshop) -> bool:
    if user.is_admin:
        return True
    role = role_in(db.session, user, workshop)
    return role is not None and role in CAN_MANAGE


@bp.context_processor
def _agenda_labels() -> dict[str, Any]:
    return {
        "workshop_kind_label": labels.workshop_kind_label,
        "item_kind_label": labels.item_kind_label,
        "question_type_label": labels.question_type_label,
        "person_role_label": labels.person_role_label,
        "account_role_label": labels.account_role_label,
    }


# --- the dashboard and uploads ----------------------------------------------------------------


@dataclass(frozen=True)
class DashboardEntry:
    workshop: Workshop
    role: str  # an accounts.models.Role value, or "admin"
    dates: str


def _date_range(days: Sequence[Day]) -> str:
    if not days:
        return ""
    first, last = days[0].date, days[-1].date
    if first == last:
        return str(format_date(first, format="medium"))
    return str(format_interval(first, last, "yMMMd", locale=str(get_locale() or "en")))


def _dashboard_entries(user: User) -> list[DashboardEntry]:
    workshops = visible_workshops(db.session, user)
    roles = {
        workshop_id: str(role)
        for workshop_id, role in db.session.execute(
            select(Membership.workshop_id, Membership.role).where(Membership.user_id == user.id)
        )
    }
    return [
        DashboardEntry(
            workshop=workshop,
            role=roles.get(workshop.id, ADMIN_ROLE if user.is_admin else ""),
            dates=_date_range(workshop.days),
        )
        for workshop in workshops
    ]


def _render_dashboard(
    form: UploadAgendaForm,
    *,
    status: int = 200,
    problems: Sequence[str] = (),
    more_problems: int = 0,
    filename: str = "",
    error: str = "",
) -> tuple[str, int]:
    page = render_template(
        "agenda/dashboard.html",
        entries=_dashboard_entries(_user()),
        form=form,
        problems=problems,
        more_problems=more_problems,
        filename=filename,
        error=error,
    )
    return page, status


def problem_text(problem: Problem, filename: str) -> str:
    """`file:line:col: path: message`, as `facilitator check` prints it, in the UI language."""
    where = f"{filename}:{problem.line}:{problem.column}"
    message = problem.translated(_)
    return f"{where}: {problem.path}: {message}" if problem.path else f"{where}: {message}"


def _upload_name(raw: str | None) -> str:
    """The file's own name, without any folder a browser may send along."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name or "agenda.yaml"


@bp.get("/")
@login_required
def dashboard() -> tuple[str, int]:
    return _render_dashboard(UploadAgendaForm())


@bp.post("/upload")
@login_required
def upload() -> BaseResponse | tuple[str, int]:
    form = UploadAgendaForm()
    if not form.validate_on_submit():
        return _render_dashboard(form, status=400)
    storage = form.file.data
    filename = _upload_name(storage.filename)
    source: bytes = storage.read()
    try:
        parsed = parse_agenda(source, filename)
    except AgendaError as exc:
        problems = [problem_text(problem, filename) for problem in exc.problems]
        return _render_dashboard(
            form, status=400, problems=problems, more_problems=exc.more, filename=filename
        )

    user = _user()
    try:
        with db.factory() as session:
            actor = session.get(User, user.id)
            result = store_agenda(session, parsed.agenda, actor)
            slug = result.workshop.slug
            title = pick_text(result.workshop.title, result.workshop.default_language)
            created = result.created
            # Commit, then show the new program on the workshop's open screens at once.
            changed = [] if created else [AgendaLoaded(result.workshop.id)]
            realtime().commit_then_emit(session, changed)
    except Forbidden:
        error = _(
            "A workshop with the id “%(slug)s” exists and you may not update it; "
            "nothing was changed. Only its organisers can load a new version.",
            slug=parsed.agenda.slug,
        )
        return _render_dashboard(form, status=403, error=error)

    for warning in parsed.warnings:
        flash(_("Warning: %(problem)s", problem=problem_text(warning, filename)), "warning")
    if created:
        flash(_("Workshop “%(title)s” created.", title=title), "success")
    else:
        flash(_("Workshop “%(title)s” updated.", title=title), "success")
    return redirect(url_for(".workshop", slug=slug))


# --- the workshop page ------------------------------------------------------------------------


@bp.get("/w/<slug>")
@login_required
def workshop(slug: str) -> str:
    found = workshop_for(slug, CAN_VIEW)
    user = _user()
    return render_template(
        "agenda/workshop.html",
        workshop=found,
        default_language=found.default_language,
        days=day_views(found),
        zones=shown_zones(found),
        role=_role_code(user, found),
        can_manage=_may_manage(user, found),
    )


# --- download and delete ----------------------------------------------------------------------


def _without_emails(agenda: AgendaSpec) -> AgendaSpec:
    people = [person.model_copy(update={"email": None}) for person in agenda.people or []]
    return agenda.model_copy(update={"people": people})


@bp.get("/w/<slug>/agenda.yaml")
@login_required
def download(slug: str) -> Response:
    found = workshop_for(slug, CAN_VIEW)
    agenda = export_agenda(found)
    if not _may_manage(_user(), found):
        # E-mails are for organisers only, in the file as on the page.
        agenda = _without_emails(agenda)
    response = Response(dump_yaml(agenda), content_type=YAML_CONTENT_TYPE)
    response.headers["Content-Disposition"] = f"attachment; filename={found.slug}.yaml"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/w/<slug>/delete", methods=["GET", "POST"])
@login_required
def delete(slug: str) -> BaseResponse | tuple[str, int]:
    found = workshop_for(slug, CAN_MANAGE)
    form = DeleteWorkshopForm(found.slug)
    if form.validate_on_submit():
        title = pick_text(found.title, found.default_language)
        user = _user()
        try:
            with db.factory() as session:
                actor = session.get(User, user.id)
                target = session.get(Workshop, found.id)
                if actor is None or target is None:
                    abort(404)
                delete_workshop(session, actor, target)
                # Every screen of it closes: its projector, consoles and phones.
                realtime().commit_then_emit(session, [WorkshopDeleted(found.id)])
        except Forbidden:
            abort(403)
        flash(_("Workshop “%(title)s” deleted.", title=title), "success")
        return redirect(url_for(".dashboard"))
    status = 400 if request.method == "POST" else 200
    page = render_template(
        "agenda/delete.html",
        workshop=found,
        default_language=found.default_language,
        form=form,
    )
    return page, status
