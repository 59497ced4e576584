"""The record's settings and review: images, the hand-entered count, the draft's edits,
publishing a version, the public link. No Flask here."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from facilitator.accounts.models import User
from facilitator.agenda.models import Workshop
from facilitator.domain import DomainError
from facilitator.live.models import LiveState
from facilitator.live.services import LiveChanged
from facilitator.record.changes import RecordChanged
from facilitator.record.images import clean_image
from facilitator.record.models import RecordImage, RecordSettings, RecordVersion

MAX_IMAGES = 50
MAX_UPLOAD = 10 * 1024 * 1024  # what a route reads of an upload: one byte more is refused


class RecordRefused(DomainError):
    """too_many_images, unknown_image, not_published, unknown_version."""


def settings_of(db: Session, workshop_id: int) -> RecordSettings:
    found = db.get(RecordSettings, workshop_id)
    if found is None:
        found = RecordSettings(workshop_id=workshop_id, edits={})
        db.add(found)
        db.flush()
    return found


def add_image(
    db: Session, actor: User, workshop: Workshop, raw: bytes, caption: str, now: datetime
) -> tuple[RecordImage, list[object]]:
    count = db.scalar(
        select(func.count(RecordImage.id)).where(RecordImage.workshop_id == workshop.id)
    )
    if (count or 0) >= MAX_IMAGES:
        raise RecordRefused("too_many_images")
    clean = clean_image(raw)
    image = RecordImage(
        workshop_id=workshop.id,
        author_id=actor.id,
        mime=clean.mime,
        width=clean.width,
        height=clean.height,
        data=clean.data,
        caption=caption.strip()[:500],
        created_at=now,
    )
    db.add(image)
    db.flush()
    return image, [RecordChanged(workshop.id, "images")]


def remove_image(db: Session, workshop: Workshop, image_id: int) -> list[object]:
    image = db.get(RecordImage, image_id)
    if image is None or image.workshop_id != workshop.id:
        raise RecordRefused("unknown_image")
    db.delete(image)
    db.flush()
    return [RecordChanged(workshop.id, "images")]


def set_online_count(
    db: Session, workshop: Workshop, count: int | None, label: str | None
) -> list[object]:
    settings = settings_of(db, workshop.id)
    settings.online_count = count
    settings.online_label = label.strip() if label and label.strip() else None
    db.flush()
    return [RecordChanged(workshop.id, "attendance")]


def set_edits(db: Session, workshop: Workshop, edits: dict[str, Any]) -> list[object]:
    """The draft's review: texts replaced, entries hidden, orders, names redacted."""
    settings = settings_of(db, workshop.id)
    settings.edits = {
        "texts": dict(edits.get("texts", {})),
        "hidden": sorted(set(edits.get("hidden", []))),
        "order": {k: list(v) for k, v in edits.get("order", {}).items()},
        "redact": sorted(set(edits.get("redact", []))),
    }
    db.flush()
    return [RecordChanged(workshop.id, "draft")]


def publish(
    db: Session, actor: User, workshop: Workshop, data: dict[str, Any], now: datetime
) -> tuple[RecordVersion, list[object]]:
    """A new published version holding `data` (the compiled record, as JSON)."""
    last = db.scalar(
        select(func.max(RecordVersion.number)).where(RecordVersion.workshop_id == workshop.id)
    )
    version = RecordVersion(
        workshop_id=workshop.id,
        number=(last or 0) + 1,
        data={**data, "version": (last or 0) + 1},
        published_by=actor.id,
        published_at=now,
    )
    db.add(version)
    db.flush()
    return version, [RecordChanged(workshop.id, "published")]


def versions(db: Session, workshop_id: int) -> list[RecordVersion]:
    return list(
        db.scalars(
            select(RecordVersion)
            .where(RecordVersion.workshop_id == workshop_id)
            .order_by(RecordVersion.number)
        )
    )


def version(db: Session, workshop_id: int, number: int | None) -> RecordVersion:
    query = select(RecordVersion).where(RecordVersion.workshop_id == workshop_id)
    if number is None:
        query = query.order_by(RecordVersion.number.desc()).limit(1)
    else:
        query = query.where(RecordVersion.number == number)
    found = db.scalar(query)
    if found is None:
        raise RecordRefused("unknown_version" if number else "not_published")
    return found


def share(db: Session, workshop: Workshop, shared: bool) -> tuple[str | None, list[object]]:
    """Make (or drop) the public read-only link's unguessable token."""
    settings = settings_of(db, workshop.id)
    if shared:
        version(db, workshop.id, None)  # refuses an unpublished record
        settings.public_token = settings.public_token or secrets.token_urlsafe(32)
    else:
        settings.public_token = None
    db.flush()
    events: list[object] = [RecordChanged(workshop.id, "public_link")]
    if db.get(LiveState, workshop.id) is not None:
        # The phones' end screen shows (or stops showing) the link at once.
        events.append(LiveChanged(workshop.id))
    return settings.public_token, events


def public_path(db: Session, workshop_id: int) -> str | None:
    """The published record's public page (`/r/<token>`), or None while it is not shared:
    what the phones' end screen links to."""
    settings = db.get(RecordSettings, workshop_id)
    return f"/r/{settings.public_token}" if settings and settings.public_token else None


def by_token(db: Session, token: str) -> RecordSettings | None:
    if not token:
        return None
    return db.scalar(select(RecordSettings).where(RecordSettings.public_token == token[:64]))
