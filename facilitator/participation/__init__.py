"""Joining by code, and the participants of a workshop."""
