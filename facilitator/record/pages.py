"""The record's two screens: the rapporteur's notes beside the live run, and the review of
the draft. Skeletons: the browser lays them out from the JSON routes (routes.py)."""

from __future__ import annotations

from typing import Any

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf

from facilitator.accounts.access import current_account, login_required, workshop_for
from facilitator.accounts.services import CAN_VIEW
from facilitator.agenda.labels import ITEM_KINDS
from facilitator.extensions import db
from facilitator.i18n import current_language
from facilitator.record import exporting, wire
from facilitator.record.exporters import pdf
from facilitator.record.models import MAX_NAME_LENGTH, MAX_NOTE_LENGTH
from facilitator.record.routes import _messages, bp
from facilitator.web import language_name


def _common_strings() -> dict[str, str]:
    return {
        "online": _("Online: saved as you type"),
        "offline": _("Offline: your notes are kept here and sent when back online"),
        "pending": _("Not yet sent: %(count)s", count="{count}"),
        "saving": _("Saving…"),
        "saved": _("Saved"),
        "waiting": _("Waiting to be sent"),
        "refused": _("Refused: %(message)s", message="{message}"),
        "generic": _("That did not work (%(code)s).", code="{code}"),
        "forbidden": _("You may not do this. Log in again if your role has changed."),
        "bad_payload": _("The server did not understand the request."),
        "rate_limited": _("Too many actions at once; wait a moment and try again."),
    }


def _notes_strings() -> dict[str, str]:
    return {
        **_common_strings(),
        "now": _("Now"),
        "skipped": _("Skipped"),
        "phase_waiting": _("Not started"),
        "phase_running": _("Running"),
        "phase_ended": _("Ended"),
        "item_notes": _("Notes on this item"),
        "summary_of": _("Summary of %(name)s's presentation", name="{name}"),
        "answer_of": _("%(name)s's answer", name="{name}"),
        "question": _("Guiding question"),
        "conclusion_of": _("Conclusions of %(name)s", name="{name}"),
        "write_conclusions": _("Write each person's conclusions below"),
        "conflict_title": _("Someone else saved this note meanwhile. Nothing is lost:"),
        "theirs": _("Saved by someone else"),
        "yours": _("Yours, not saved"),
        "keep_mine": _("Keep mine"),
        "take_theirs": _("Take theirs"),
        "add_person": _("Add"),
        "image_sending": _("Sending the image…"),
        "image_added": _("Image added."),
        "image_offline": _("Images are sent only online; try again when back online."),
        "remove_image": _("Remove this image"),
        "no_images": _("No image yet."),
        "not_measured": _("not measured"),
        "attendance_saved": _("Online attendance saved."),
        **_messages(),
    }


def _review_strings() -> dict[str, str]:
    return {
        **_common_strings(),
        "hide": _("Hide"),
        "hidden": _("Hidden from the record"),
        "move_up": _("Move up"),
        "move_down": _("Move down"),
        "text_of": _("Text of %(what)s", what="{what}"),
        "question_text": _("Question"),
        "answer_text": _("Answer"),
        "asked_by": _("Asked by %(name)s", name="{name}"),
        "anonymous": _("anonymous"),
        "answered_by": _("Answered by %(name)s", name="{name}"),
        "caption": _("Caption"),
        "save": _("Save the review"),
        "saved_review": _("The review is saved."),
        "unsaved": _("Changes not saved yet"),
        "published": _("Version %(n)s is published.", n="{n}"),
        "confirm_publish": _(
            "Publish the draft as it is now as a new version? Earlier versions stay."
        ),
        "no_versions": _("Nothing published yet."),
        "version_n": _("Version %(n)s", n="{n}"),
        "draft": _("Draft"),
        "public_link": _("Public read-only link"),
        "share": _("Make a public link"),
        "unshare": _("Remove the public link"),
        "not_shared": _("No public link: only the session's team can read the record."),
        "redact_placeholder": _("A name to replace by […]"),
        "redact_remove": _("Stop redacting %(name)s", name="{name}"),
        "none": _("None recorded."),
        "joined": _("Joined in the app"),
        "peak": _("Peak connected"),
        "online_count": _("Online participation (entered by hand)"),
        "responses": _("Answers: %(n)s", n="{n}"),
        "planned": _("Planned"),
        "actual": _("Actual"),
        "skipped": _("Skipped"),
        **_messages(),
    }


def _base(slug: str) -> dict[str, Any]:
    user = current_account()
    assert user is not None
    return {
        "slug": slug,
        "me": user.id,
        "language": current_language(),
        "csrf_token": generate_csrf(),
        "urls": {
            "screen": url_for("record.screen", slug=slug),
            "notes": url_for("record.save_note", slug=slug),
            "images": url_for("record.add_image", slug=slug),
            "attendance": url_for("record.attendance", slug=slug),
            "draft": url_for("record.draft", slug=slug),
            "edit": url_for("record.edit_draft", slug=slug),
            "publish": url_for("record.publish", slug=slug),
            "share": url_for("record.share", slug=slug),
            "export": url_for("record.export", slug=slug, fmt="FMT"),
            "notes_page": url_for("record.notes_page", slug=slug),
            "review_page": url_for("record.review_page", slug=slug),
        },
    }


@bp.get("/w/<slug>/record/notes")
@login_required
def notes_page(slug: str) -> str:
    workshop = workshop_for(slug, CAN_VIEW)
    pdf.prepare()  # the rapporteur's PDF export will not wait for WeasyPrint to load
    screen = wire.notes_screen(db.session, workshop)
    data = {
        **_base(slug),
        "storage_key": f"record.{slug}.{current_account().id}",  # type: ignore[union-attr]
        "default_language": workshop.default_language,
        "languages": {code: language_name(code) for code in workshop.languages},
        "kinds": {code: str(label) for code, label in ITEM_KINDS.items()},
        "strings": _notes_strings(),
        "max_note": MAX_NOTE_LENGTH,
        "max_name": MAX_NAME_LENGTH,
        "initial": screen,
    }
    return render_template("record/notes.html", workshop=workshop, data=data)


@bp.get("/w/<slug>/record/review")
@login_required
def review_page(slug: str) -> str:
    workshop = workshop_for(slug, CAN_VIEW)
    pdf.prepare()
    languages = {code: language_name(code) for code in exporting.LANGUAGES}
    data = {
        **_base(slug),
        "storage_key": f"review.{slug}.{current_account().id}",  # type: ignore[union-attr]
        "default_language": workshop.default_language,
        "strings": _review_strings(),
        "formats": list(exporting.FORMATS),
        "export_languages": languages,
        "headings": exporting.headings(
            current_language() if current_language() in exporting.LANGUAGES else "en"
        ),
    }
    return render_template(
        "record/review.html",
        workshop=workshop,
        data=data,
        formats=list(exporting.FORMATS),
        export_languages=languages,
    )
