"""The breakout phase inside a worker of simulated phones: placeholder until it lands."""

from __future__ import annotations

from typing import Any

from facilitator.bench.phones import Phone


async def run(phones: list[Phone], order: dict[str, Any]) -> dict[str, Any]:
    return {"event": "boards", "phones": len(phones), "order": sorted(order)}
