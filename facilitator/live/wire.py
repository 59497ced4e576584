"""What screens receive: plain data (codes and texts in every language, never sentences)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import object_session

from facilitator.agenda.models import ProgramItem, Workshop
from facilitator.live.codes import format_join_code
from facilitator.live.models import ItemRun, LiveState
from facilitator.live.qr import join_url
from facilitator.live.schedule import planned_end, planned_start
from facilitator.record.services import public_path


def ms(moment: datetime | None) -> int | None:
    """Milliseconds since the epoch: what browsers' Date takes."""
    return None if moment is None else int(moment.timestamp() * 1000)


def live_view(state: LiveState) -> dict[str, Any]:
    """The live state every screen of the workshop sees."""
    item = state.current_item
    return {
        "phase": str(state.phase),
        "item": item.key if item is not None else None,
        "timer": {
            "duration_s": state.timer_duration_s,
            "elapsed_s": round(state.timer_elapsed_s, 3),
            "running_since_ms": ms(state.timer_running_since),
        },
        "joining_locked": state.joining_locked,
        "message": (
            {"text": state.message, "at_ms": ms(state.message_at)} if state.message else None
        ),
        "started_ms": ms(state.started_at),
        "schedule_shift_s": state.schedule_shift_s,
        "ended_ms": ms(state.ended_at),
        "record_url": _record_url(state),
    }


def _record_url(state: LiveState) -> str | None:
    """The published record's public page, for the phones' end screen (once shared)."""
    db = object_session(state)
    if state.phase != "ended" or db is None:
        return None
    return public_path(db, state.workshop_id)


def item_view(item: ProgramItem, zone: str) -> dict[str, Any]:
    return {
        "id": item.key,
        "day": item.day.position,
        "title": item.title,
        "kind": item.kind,
        "start_ms": ms(planned_start(item, zone)),
        "end_ms": ms(planned_end(item, zone)),
        "people": [
            {
                "name": person.name,
                "title": person.title,
                "organisation": person.organisation,
                "country": person.country,
            }
            for person in item.people
        ],
    }


def workshop_view(workshop: Workshop) -> dict[str, Any]:
    return {
        "slug": workshop.slug,
        "title": workshop.title,
        "languages": workshop.languages,
        "timezone": workshop.timezone,
        "show_timezones": workshop.show_timezones,
        "days": [
            {"day": day.position, "date": day.date.isoformat(), "title": day.title}
            for day in workshop.days
        ],
        "items": [item_view(item, workshop.timezone) for item in workshop.program],
    }


def join_view(state: LiveState, base_url: str) -> dict[str, Any]:
    return {
        "code": format_join_code(state.join_code),
        "url": join_url(base_url, state.join_code),
    }


def runs_view(runs: list[ItemRun]) -> list[dict[str, Any]]:
    return [
        {"item": run.item.key, "started_ms": ms(run.started_at), "ended_ms": ms(run.ended_at)}
        for run in runs
    ]
