"""The peak of connected phones: a high-water mark the record reports beside who joined.

The realtime mechanism knows who is connected now (every worker merged), not over time;
a tally recounted whenever a socket of the workshop comes or goes raises the mark.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, update
from sqlalchemy.orm import Session

from facilitator.record.models import RecordSettings
from facilitator.record.services import settings_of


def raise_peak(db: Session, workshop_id: int, connected: int, now: datetime) -> bool:
    """Raise the workshop's peak to `connected` if it is higher; True if it was."""
    settings_of(db, workshop_id)
    done = db.execute(
        update(RecordSettings)
        .where(
            RecordSettings.workshop_id == workshop_id,
            or_(
                RecordSettings.peak_connected.is_(None),
                RecordSettings.peak_connected < connected,
            ),
        )
        .values(peak_connected=connected, peak_connected_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(done, "rowcount", 0))
