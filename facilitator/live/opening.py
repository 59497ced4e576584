"""Opening a workshop's live row from a page: the one commit pages make to show a code.

Services only add and flush; this is the edge's part (commit, and the race).
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from facilitator.agenda.models import Workshop
from facilitator.live.models import LiveState
from facilitator.live.services import live_state


def open_live(db: Session, workshop: Workshop) -> LiveState:
    """The live row, made and committed on first opening.

    Two first openings at once (a console and a handout, say) race on the unique
    workshop id: the loser rolls back and takes the winner's row and code.
    """
    state = live_state(db, workshop)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        state = live_state(db, workshop)
    return state
