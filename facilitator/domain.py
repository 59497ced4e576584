"""The one base of every refusal a service raises: a stable code, for tests, screens and acks.

Services raise a subclass (InvalidTransition, JoinRefused, AccountError …); the edges
(a socket acknowledgement, an HTTP page) turn any DomainError into an answer carrying its
code, so the realtime mechanism needs no list of each feature's exceptions.
"""

from __future__ import annotations


class DomainError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code
