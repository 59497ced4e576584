"""The accounts blueprint, assembled: each module registers its routes on it when imported."""

from __future__ import annotations

from facilitator.accounts import invitations, people, sign_in
from facilitator.accounts.blueprint import bp
from facilitator.accounts.sign_in import load_user

__all__ = ["bp", "invitations", "load_user", "people", "sign_in"]
