"""The record over HTTP: rapporteurs' notes (JSON, CSRF), images, the hand-entered count,
the draft's review, publishing, the public link, and every export. Thin: services do it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, request
from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response as BaseResponse

from facilitator.accounts.access import current_account, workshop_for
from facilitator.accounts.services import CAN_VIEW
from facilitator.database import utcnow
from facilitator.domain import DomainError
from facilitator.errors import json_error
from facilitator.extensions import csrf, db
from facilitator.i18n import current_language
from facilitator.realtime.runtime import current as realtime
from facilitator.record import exporting, notes, services, stored, wire
from facilitator.record.exporters import pdf
from facilitator.record.models import Note, RecordImage
from facilitator.record.notes import Where
from facilitator.record.payloads import Attendance, Edits, SaveNote, Share

bp = Blueprint("record", __name__)
EXPORTS_KEY = "facilitator.record.exports"  # the app's stored.Exports


def _exports() -> stored.Exports:
    exports: stored.Exports = current_app.extensions[EXPORTS_KEY]
    return exports


def _messages() -> dict[str, str]:
    return {
        "conflict": _("Someone saved this note meanwhile: both texts are shown; nothing is lost."),
        "not_an_image": _("This file is not an image (PNG, JPEG, GIF or WebP)."),
        "too_large": _("This image is too large (10 MB at most)."),
        "too_many_pixels": _("This image has too many pixels."),
        "too_many_images": _("The record has as many images as it may hold."),
        "not_published": _("The record has not been published yet."),
        "unknown_version": _("There is no such version of the record."),
    }


def _refusal(code: str, status: int = 400) -> BaseResponse:
    db.session.rollback()
    return json_error(
        status, code, _messages().get(code, _("This was refused: %(code)s", code=code))
    )


def _body(model: type[BaseModel]) -> Any:
    body = request.get_json(silent=True)
    try:
        return model.model_validate(body if isinstance(body, dict) else None)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        abort(json_error(400, "bad_payload", f"{where}: {first['msg']}"))


def _screen_language() -> str:
    return current_language() if current_language() in exporting.LANGUAGES else "en"


def _language() -> str:
    wanted = request.args.get("language", "")
    return wanted if wanted in exporting.LANGUAGES else "en"


@bp.get("/w/<slug>/record/notes.json")
def note_list(slug: str) -> BaseResponse:
    workshop = workshop_for(slug, CAN_VIEW)
    return jsonify(
        {"notes": [wire.note_view(db.session, n) for n in notes.notes_of(db.session, workshop.id)]}
    )


@bp.get("/w/<slug>/record/screen.json")
def screen(slug: str) -> BaseResponse:
    """Everything the rapporteur's notes screen needs (it polls: no socket for rapporteurs)."""
    workshop = workshop_for(slug, CAN_VIEW)
    pdf.prepare()  # while a notes screen is open, the PDF worker stays warm
    response = jsonify(wire.notes_screen(db.session, workshop))
    response.headers["Cache-Control"] = "no-cache"
    # Polled every few seconds: an unchanged screen is a 304 with no body.
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/w/<slug>/record/notes/<int:note_id>/history.json")
def note_history(slug: str, note_id: int) -> BaseResponse:
    """Every save of a note, refused ones included: nothing typed is lost."""
    workshop = workshop_for(slug, CAN_VIEW)
    note = db.session.get(Note, note_id)
    if note is None or note.workshop_id != workshop.id:
        abort(404)
    return jsonify(
        {
            "note": wire.note_view(db.session, note),
            "versions": [wire.version_view(v) for v in notes.history(db.session, note)],
        }
    )


@bp.post("/w/<slug>/record/notes")
def save_note(slug: str) -> BaseResponse:
    workshop = workshop_for(slug, CAN_VIEW)
    actor = current_account()
    assert actor is not None
    payload: SaveNote = _body(SaveNote)
    where = Where(payload.kind, payload.item, payload.person, payload.question, payload.name)
    for attempt in (1, 2):
        try:
            saved, events = notes.save_note(
                db.session,
                actor,
                workshop,
                where,
                payload.text,
                payload.language,
                payload.based_on,
                payload.cid,
                utcnow(),
            )
            break
        except DomainError as refusal:
            return _refusal(refusal.code)
        except IntegrityError:
            # The same new note (or the same cid) raced in from another request and won:
            # once more, this save now meets it (a conflict, or the stored answer).
            db.session.rollback()
            if attempt == 2:
                raise
    view = wire.note_view(db.session, saved.note)
    realtime().commit_then_emit(db.session, events)  # a refused save's text is kept too
    if not saved.ok:
        response = jsonify(
            {
                "error": {"code": "conflict", "message": _messages()["conflict"]},
                "note": view,
                "yours": saved.text,
            }
        )
        response.status_code = 409
        return response
    return jsonify({"note": view})


@bp.post("/w/<slug>/record/images")
def add_image(slug: str) -> BaseResponse:
    workshop = workshop_for(slug, CAN_VIEW)
    actor = current_account()
    assert actor is not None
    # A phone's photo is larger than the app-wide limit (agenda files); this route takes
    # up to the image limit, and the image check refuses what is over it.
    request.max_content_length = services.MAX_UPLOAD + 64 * 1024
    csrf.protect()  # here, not before the view: the app-wide check would read the body first
    upload = request.files.get("image")
    if upload is None:
        return _refusal("not_an_image")
    raw = upload.stream.read(services.MAX_UPLOAD + 1)
    try:
        image, events = services.add_image(
            db.session, actor, workshop, raw, request.form.get("caption", ""), utcnow()
        )
    except DomainError as refusal:
        return _refusal(refusal.code, 413 if refusal.code == "too_large" else 400)
    answer = {"id": image.id, "mime": image.mime, "width": image.width, "height": image.height}
    realtime().commit_then_emit(db.session, events)
    response = jsonify(answer)
    response.status_code = 201
    return response


csrf.exempt(add_image)  # checked inside, once the route's own size limit is set


@bp.get("/w/<slug>/record/images/<int:image_id>")
def image(slug: str, image_id: int) -> BaseResponse:
    workshop = workshop_for(slug, CAN_VIEW)
    found = db.session.get(RecordImage, image_id)
    if found is None or found.workshop_id != workshop.id:
        abort(404)
    return Response(found.data, mimetype=found.mime, headers={"X-Content-Type-Options": "nosniff"})


@bp.post("/w/<slug>/record/images/<int:image_id>/delete")
def remove_image(slug: str, image_id: int) -> BaseResponse:
    workshop = workshop_for(slug, CAN_VIEW)
    try:
        events = services.remove_image(db.session, workshop, image_id)
    except DomainError as refusal:
        return _refusal(refusal.code, 404)
    realtime().commit_then_emit(db.session, events)
    return jsonify({"removed": image_id})


@bp.post("/w/<slug>/record/attendance")
def attendance(slug: str) -> BaseResponse:
    workshop = workshop_for(slug, CAN_VIEW)
    payload: Attendance = _body(Attendance)
    events = services.set_online_count(db.session, workshop, payload.online_count, payload.label)
    realtime().commit_then_emit(db.session, events)
    return jsonify({"online_count": payload.online_count, "label": payload.label})


@bp.get("/w/<slug>/record/draft.json")
def draft(slug: str) -> BaseResponse:
    """The draft; `?review=0`: as compiled, before the review's edits (what the review
    screen edits: hidden entries still there, texts as written)."""
    workshop = workshop_for(slug, CAN_VIEW)
    pdf.prepare()  # the review screen is open: an export may follow
    reviewed = request.args.get("review") != "0"
    record = exporting.draft(db.session, workshop, _language(), utcnow(), review=reviewed)
    settings = services.settings_of(db.session, workshop.id)
    answer = {
        "record": exporting.as_dict(record),
        "edits": settings.edits,
        "public_token": settings.public_token,
        "versions": [v.number for v in services.versions(db.session, workshop.id)],
    }
    db.session.commit()
    return jsonify(answer)


@bp.post("/w/<slug>/record/draft")
def edit_draft(slug: str) -> BaseResponse:
    workshop = workshop_for(slug, CAN_VIEW)
    payload: Edits = _body(Edits)
    events = services.set_edits(db.session, workshop, payload.model_dump(exclude={"cid"}))
    realtime().commit_then_emit(db.session, events)
    return jsonify({"ok": True})


@bp.post("/w/<slug>/record/publish")
def publish(slug: str) -> BaseResponse:
    workshop = workshop_for(slug, CAN_VIEW)
    actor = current_account()
    assert actor is not None
    now = utcnow()
    record = exporting.draft(
        db.session,
        workshop,
        workshop.default_language if workshop.default_language in exporting.LANGUAGES else "en",
        now,
    )
    record.status = "published"
    version, events = services.publish(db.session, actor, workshop, exporting.as_dict(record), now)
    number = version.number
    realtime().commit_then_emit(db.session, events)
    if pdf.green_threads():
        # The version's PDF, in the language the review screen will offer it in, laid out
        # now by the PDF worker while nobody waits for it.
        realtime().socketio.start_background_task(
            _exports().make_ahead,
            stored.key_of(version, _screen_language(), "pdf"),
            version.data,
        )
    response = jsonify({"version": number})
    response.status_code = 201
    return response


@bp.post("/w/<slug>/record/share")
def share(slug: str) -> BaseResponse:
    workshop = workshop_for(slug, CAN_VIEW)
    payload: Share = _body(Share)
    try:
        token, events = services.share(db.session, workshop, payload.shared)
    except DomainError as refusal:
        return _refusal(refusal.code, 409)
    realtime().commit_then_emit(db.session, events)
    return jsonify({"public_token": token})


def _download(record: exporting.Record, fmt: str) -> BaseResponse:
    return _file(exporting.filename(record, fmt), exporting.export(record, fmt), fmt)


def _file(name: str, body: bytes, fmt: str) -> BaseResponse:
    return Response(
        body,
        mimetype=exporting.FORMATS[fmt].mime,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/w/<slug>/record.<fmt>")
def export(slug: str, fmt: str) -> BaseResponse:
    """The draft (during the session and after), or `?version=N`, a published one."""
    if fmt not in exporting.FORMATS:
        abort(404)
    workshop = workshop_for(slug, CAN_VIEW)
    pdf.prepare()  # one format often follows another
    number = request.args.get("version", type=int)
    if number is None:
        return _download(exporting.draft(db.session, workshop, _language(), utcnow()), fmt)
    try:
        found = services.version(db.session, workshop.id, number)
    except DomainError as refusal:
        return _refusal(refusal.code, 404)
    return _file(*_exports().export(found, _language(), fmt), fmt)


# The public page shows the record's own stylesheet and embedded images, and runs nothing.
PUBLIC_PAGE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


@bp.get("/r/<token>")
def public_page(token: str) -> BaseResponse:
    """The public read-only link, in the browser: the latest published version, headings
    in `?language=` or the reader's own language."""
    settings = services.by_token(db.session, token)
    if settings is None:
        abort(404)
    try:
        found = services.version(db.session, settings.workshop_id, None)
    except DomainError:
        abort(404)
    wanted = request.args.get("language") or request.accept_languages.best_match(
        exporting.LANGUAGES, default="en"
    )
    _name, body = _exports().export(found, wanted, "html")
    response = Response(body, mimetype="text/html")
    response.headers["Content-Security-Policy"] = PUBLIC_PAGE_POLICY
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/r/<token>.<fmt>")
def public(token: str, fmt: str) -> BaseResponse:
    """The public read-only link: the latest published version, in any format."""
    settings = services.by_token(db.session, token)
    if settings is None or fmt not in exporting.FORMATS:
        abort(404)
    try:
        found = services.version(db.session, settings.workshop_id, None)
    except DomainError:
        abort(404)
    return _file(*_exports().export(found, _language(), fmt), fmt)
