"""The join code on paper and on screens: QR images, and the printable handout."""

from __future__ import annotations

from typing import Any

from flask import make_response, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from facilitator.accounts.access import workshop_for
from facilitator.accounts.services import CAN_RUN
from facilitator.agenda.models import Workshop
from facilitator.errors import phone_page
from facilitator.extensions import db
from facilitator.i18n import pick_text, supported_languages
from facilitator.live.codes import format_join_code
from facilitator.live.opening import open_live
from facilitator.live.qr import join_url, qr_png, qr_svg
from facilitator.participation.blueprint import bp, canonical, open_by_code, page, page_limit
from facilitator.public_url import base_url


def _join_url_of(code: str) -> str:
    return join_url(base_url(), code)


@bp.get("/j/<code>/qr.svg")
@phone_page
@page_limit
def qr_svg_image(code: str) -> Response:
    found = canonical(code)
    open_by_code(found)
    svg = qr_svg(_join_url_of(found), title=_("QR code to join the session"))
    response = make_response(svg)
    response.mimetype = "image/svg+xml"
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.get("/j/<code>/qr.png")
@phone_page
@page_limit
def qr_png_image(code: str) -> Response:
    found = canonical(code)
    workshop, _state = open_by_code(found)
    response = make_response(qr_png(_join_url_of(found)))
    response.mimetype = "image/png"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{workshop.slug}-join-{found}.png"'
    )
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


def _instructions(code: str, url: str) -> list[str]:
    return [
        _("Scan the QR code with your phone's camera."),
        _("Or open %(url)s and type the code %(code)s.", url=url, code=code),
        _("No account is needed: choose your language, and a name if you wish."),
    ]


def _handout_blocks(workshop: Workshop, code: str, enter_url: str) -> list[dict[str, Any]]:
    """For each of the workshop's languages: its title and the instructions in it.

    Nothing is said twice: a title given once for several languages, or
    instructions not translated yet, are shown once.
    """
    blocks: list[dict[str, Any]] = []
    titles: set[str] = set()
    interface = supported_languages()
    for language in workshop.languages:
        title = workshop.title.get(language)
        instructions: list[str] = []
        if language.split("-")[0] in interface:
            with force_locale(language.split("-")[0]):
                instructions = _instructions(code, enter_url)
        if title in titles:
            title = None
        if any(block["instructions"] == instructions for block in blocks):
            instructions = []
        if title:
            titles.add(title)
        if title or instructions:
            blocks.append({"language": language, "title": title, "instructions": instructions})
    if not titles:
        title = pick_text(workshop.title, workshop.default_language)
        blocks.insert(
            0, {"language": workshop.default_language, "title": title, "instructions": []}
        )
    return blocks


@bp.get("/w/<slug>/handout")
def handout(slug: str) -> Response:
    """A printable A4 page to put on tables: titles, a big QR code, the code and the URL."""
    workshop = workshop_for(slug, CAN_RUN)
    state = open_live(db.session, workshop)  # the first look at its code makes the row
    url = _join_url_of(state.join_code)
    shown_code = format_join_code(state.join_code)
    enter_url = base_url().rstrip("/") + url_for(".enter_code")
    return page(
        "participation/handout.html",
        workshop=workshop,
        blocks=_handout_blocks(workshop, shown_code, enter_url),
        code=shown_code,
        workshop_code=state.join_code,
        url=url,
        qr=qr_svg(url, title=_("QR code to join the session"), inline=True),
    )
