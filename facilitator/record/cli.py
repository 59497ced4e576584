"""`facilitator record SLUG`: the draft record, exported, from the command line."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import select

from facilitator.agenda.models import Workshop
from facilitator.database import utcnow
from facilitator.extensions import db
from facilitator.record import exporting


def export_record(app: Flask, slug: str, fmt: str, language: str) -> bytes:
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.slug == slug))
        if workshop is None:
            raise click.ClickException(f"no workshop {slug!r}")
        record = exporting.draft(db.session, workshop, language, utcnow())
        return exporting.export(record, fmt)
