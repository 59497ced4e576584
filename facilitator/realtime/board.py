"""Who is connected to a workshop, over every worker process.

One process (the default) asks its own registry. Several workers joined by
Redis (`FACILITATOR_MESSAGE_QUEUE=redis://…`) each publish what they hold of a
workshop under a key of their own, with a time to live that they keep
renewing, and list themselves in the workshop's set of workers; a console's
counts merge the other workers' keys with this worker's registry. A worker that
dies stops renewing, and its phones drop out of the counts when its key expires.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any, Protocol

from facilitator.realtime.connections import Connections, Here

log = logging.getLogger(__name__)

KEY_TTL_S = 15
RENEW_EVERY_S = 5.0


class PresenceBoard(Protocol):
    def publish(self, workshop_id: int) -> None:
        """Make this worker's sockets of the workshop known to the others."""

    def renew(self) -> None:
        """Keep this worker's entries alive; called about once a second."""

    def here(self, workshop_id: int) -> Here:
        """Everyone connected to the workshop, on every worker."""


class LocalBoard:
    def __init__(self, connections: Connections) -> None:
        self._connections = connections

    def publish(self, workshop_id: int) -> None:
        return None

    def renew(self) -> None:
        return None

    def here(self, workshop_id: int) -> Here:
        return self._connections.here(workshop_id)


class RedisBoard:
    def __init__(
        self,
        connections: Connections,
        client: Any,  # redis.Redis
        prefix: str,
        worker: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._connections = connections
        self._client = client
        self._prefix = prefix
        self.worker = worker or uuid.uuid4().hex
        self._clock = clock
        self._renewed = clock()
        self._published: set[int] = set()

    def _key(self, workshop_id: int, worker: str) -> str:
        return f"{self._prefix}:{workshop_id}:{worker}"

    def _workers_key(self, workshop_id: int) -> str:
        return f"{self._prefix}:{workshop_id}"

    def publish(self, workshop_id: int) -> None:
        here = self._connections.here(workshop_id)
        key = self._key(workshop_id, self.worker)
        if here.empty:
            self._client.delete(key)
            self._client.srem(self._workers_key(workshop_id), self.worker)
            self._published.discard(workshop_id)
            return
        value = {
            "participants": {str(pid): lang for pid, lang in here.participants.items()},
            "moderators": sorted(here.moderators),
            "displays": here.displays,
        }
        with self._client.pipeline() as pipe:
            pipe.set(key, json.dumps(value), ex=KEY_TTL_S)
            pipe.sadd(self._workers_key(workshop_id), self.worker)
            pipe.expire(self._workers_key(workshop_id), KEY_TTL_S * 4)
            pipe.execute()
        self._published.add(workshop_id)

    def renew(self) -> None:
        if self._clock() - self._renewed < RENEW_EVERY_S:
            return
        self._renewed = self._clock()
        for workshop_id in self._published | self._connections.workshops():
            self.publish(workshop_id)

    def here(self, workshop_id: int) -> Here:
        """This worker from its registry (fresher than its key), the others from Redis."""
        merged = self._connections.here(workshop_id)
        others = [
            worker.decode() if isinstance(worker, bytes) else str(worker)
            for worker in self._client.smembers(self._workers_key(workshop_id))
        ]
        others = [worker for worker in others if worker != self.worker]
        if not others:
            return merged
        values = self._client.mget([self._key(workshop_id, w) for w in others])
        gone = [worker for worker, raw in zip(others, values, strict=True) if raw is None]
        if gone:  # died, or left without saying: their keys expired
            self._client.srem(self._workers_key(workshop_id), *gone)
        for raw in values:
            if raw is None:
                continue
            try:
                merged = merged.merge(_decode(raw))
            except (ValueError, KeyError, TypeError):
                log.warning("ignored a malformed presence entry in Redis")
        return merged


def _decode(raw: bytes | str) -> Here:
    value = json.loads(raw)
    return Here(
        participants={int(pid): str(lang) for pid, lang in value["participants"].items()},
        moderators=frozenset(int(uid) for uid in value["moderators"]),
        displays=int(value["displays"]),
    )


def make_board(connections: Connections, message_queue: str | None, channel: str) -> PresenceBoard:
    """Redis when the workers share one; this process's registry otherwise."""
    if message_queue and message_queue.startswith(("redis://", "rediss://", "unix://")):
        import redis

        return RedisBoard(connections, redis.Redis.from_url(message_queue), f"{channel}:presence")
    return LocalBoard(connections)
