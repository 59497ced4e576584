"""Per-participant rate limits of what participants write: answers, Q&A questions, votes.

Separate budgets, each refused with its own code, keyed on the participant (a whole
venue shares one address); on top of the mechanism's limit of socket events per sender.
One limiter per app, kept on `app.extensions`; settings override the defaults.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from facilitator.ratelimits import SCHEME
from facilitator.realtime.registry import Refused

KEY = "facilitator.writing_limits"
DEFAULTS = {
    "answers": ("ANSWER_RATE", "30/minute"),
    "questions": ("QA_QUESTION_RATE", "5/minute"),
    "votes": ("QA_VOTE_RATE", "60/minute"),
}
CODES = {
    "answers": "answers_rate_limited",
    "questions": "questions_rate_limited",
    "votes": "votes_rate_limited",
}


class WritingLimits:
    def __init__(self, config: Any) -> None:
        storage = config.get("MESSAGE_QUEUE") or f"{SCHEME}://"
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage))
        self._items: dict[str, RateLimitItem] = {
            budget: parse(str(config.get(name) or default))
            for budget, (name, default) in DEFAULTS.items()
        }

    def allow(self, budget: str, participant_id: int) -> bool:
        return bool(self._limiter.hit(self._items[budget], "writing", budget, str(participant_id)))


def check(budget: str, participant_id: int | None) -> None:
    """Refuse with `<budget>_rate_limited` when the participant is over that budget."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    limits = app.extensions.get(KEY)
    if limits is None:
        limits = app.extensions.setdefault(KEY, WritingLimits(app.config))
    if participant_id is not None and not limits.allow(budget, participant_id):
        raise Refused(CODES[budget], "too many; wait a moment", limit=budget)
