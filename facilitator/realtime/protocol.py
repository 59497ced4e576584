"""The shape of acknowledgements and the payloads every mutation shares."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

# Error codes a client may receive; docs/protocol.md explains each.
BAD_PAYLOAD = "bad_payload"
FORBIDDEN = "forbidden"
RATE_LIMITED = "rate_limited"
INTERNAL = "internal_error"
NOT_CONNECTED = "not_connected"

CID_PATTERN = r"^[A-Za-z0-9-]{8,36}$"
MAX_INT = 2**31 - 1  # every number in a payload has bounds: none reaches the database unchecked


class Payload(BaseModel):
    """Every payload: unknown keys are refused, so a typo is an error, not a no-op.

    Strict types too: "5" is not a number of minutes, nor "no" a boolean (JSON has both).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Mutation(Payload):
    cid: str = Field(pattern=CID_PATTERN, description="client-made id (a UUID)")


def ok(data: Any = None) -> dict[str, Any]:
    return {"ok": True, "data": data}


def error(code: str, message: str, **details: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if details:
        body["details"] = details
    return {"ok": False, "error": body}
