"""The participation blueprint, assembled: each module registers its routes on it when imported."""

from __future__ import annotations

from facilitator.participation import api, handout, join_routes
from facilitator.participation.blueprint import bp

__all__ = ["api", "bp", "handout", "join_routes"]
