"""The breakout phase (issue 11): placeholder until the phase lands."""

from __future__ import annotations

from typing import Any


async def run(*_args: Any) -> dict[str, Any]:
    return {}
