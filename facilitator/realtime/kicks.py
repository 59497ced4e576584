"""Closing sockets on every worker: a role taken away, a workshop deleted, a display
link replaced.

A socket lives on one worker process; the worker that commits the change may not hold
it. With several workers joined by Redis, a kick is published on the deployment's
channel and every worker closes its own matching sockets; with one process it is
applied at once. A kicked socket leaves every room: it receives nothing more.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from facilitator.realtime.connections import Principal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Kick:
    """Close the sockets of one workshop: all of them, or one kind, or one user's."""

    workshop_id: int
    kind: str | None = None
    user_id: int | None = None

    def matches(self, principal: Principal) -> bool:
        return (
            principal.workshop_id == self.workshop_id
            and (self.kind is None or principal.kind == self.kind)
            and (self.user_id is None or principal.user_id == self.user_id)
        )


class Kicker(Protocol):
    def send(self, kick: Kick) -> None:
        """Close the matching sockets on every worker."""

    def start(self, start_task: Callable[..., Any]) -> None:
        """Listen for other workers' kicks (once per process)."""


class LocalKicker:
    def __init__(self, apply: Callable[[Kick], None]) -> None:
        self._apply = apply

    def send(self, kick: Kick) -> None:
        self._apply(kick)

    def start(self, start_task: Callable[..., Any]) -> None:
        return None


class RedisKicker:
    """Applies a kick here at once, and publishes it for the other workers."""

    def __init__(self, client: Any, channel: str, apply: Callable[[Kick], None]) -> None:
        self._client = client  # redis.Redis
        self._channel = channel
        self._apply = apply
        self.worker = uuid.uuid4().hex
        self._started = False

    def send(self, kick: Kick) -> None:
        self._apply(kick)
        self._client.publish(self._channel, json.dumps({"from": self.worker, **asdict(kick)}))

    def start(self, start_task: Callable[..., Any]) -> None:
        if self._started:
            return
        self._started = True
        start_task(self._listen)

    def _listen(self) -> None:
        pubsub = self._client.pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(self._channel)
        while True:
            try:
                message = pubsub.get_message(timeout=1.0)
                if message is not None:
                    self.receive(message["data"])
            except Exception:  # a broken message or a Redis hiccup must not end the listener
                log.exception("a kick from another worker was not applied")

    def receive(self, raw: bytes | str) -> None:
        value = json.loads(raw)
        if value.pop("from", None) == self.worker:
            return  # applied when sent
        self._apply(
            Kick(
                int(value["workshop_id"]),
                None if value.get("kind") is None else str(value["kind"]),
                None if value.get("user_id") is None else int(value["user_id"]),
            )
        )


def make_kicker(message_queue: str | None, channel: str, apply: Callable[[Kick], None]) -> Kicker:
    """Redis when the workers share one; this process alone otherwise."""
    if message_queue and message_queue.startswith(("redis://", "rediss://", "unix://")):
        import redis

        return RedisKicker(redis.Redis.from_url(message_queue), f"{channel}:kicks", apply)
    return LocalKicker(apply)
