"""Per-sender rate limits, keyed on the participant or user, never on the IP address:
a whole venue shares one address."""

from __future__ import annotations

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from facilitator.ratelimits import SCHEME
from facilitator.realtime.connections import Principal


class SenderLimits:
    def __init__(
        self,
        storage_uri: str | None = None,  # several workers pass their Redis
        participant: str = "60/minute",
        staff: str = "600/minute",
    ) -> None:
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri or f"{SCHEME}://"))
        self._participant: RateLimitItem = parse(participant)
        self._staff: RateLimitItem = parse(staff)

    def allow(self, principal: Principal) -> bool:
        item = self._participant if principal.kind == "participant" else self._staff
        return bool(self._limiter.hit(item, "socket", principal.actor))
