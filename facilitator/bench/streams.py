"""Which stream and seq a server event carries, before and after per-audience streams.

The protocol numbers each audience's events on a stream of its own ("workshop",
"moderators", "participant"): an event carries `"stream"` and `"seq"`, and a snapshot
`"streams": {name: last seq}`. Before that change there was one workshop seq: an event
had `"seq"` alone and a snapshot a top-level `"seq"`. The bench reads both.
"""

from __future__ import annotations

from typing import Any

WORKSHOP = "workshop"

Key = tuple[str, int]  # (stream, seq): one sequenced event, the same for every screen


def event_key(data: Any) -> Key | None:
    """The (stream, seq) an event carries; None for an unsequenced one."""
    if not isinstance(data, dict):
        return None
    seq = data.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool):
        return None
    stream = data.get("stream", WORKSHOP)
    return (stream if isinstance(stream, str) else WORKSHOP), seq


def snapshot_streams(snapshot: Any) -> dict[str, int]:
    """The last seq of each stream a snapshot includes."""
    if not isinstance(snapshot, dict):
        return {}
    streams = snapshot.get("streams")
    if isinstance(streams, dict):
        return {str(k): v for k, v in streams.items() if isinstance(v, int)}
    seq = snapshot.get("seq")
    return {WORKSHOP: seq} if isinstance(seq, int) else {}


def label(key: Key) -> str:
    """A key as JSON can carry it between processes."""
    return f"{key[0]}:{key[1]}"


def parse(text: str) -> Key:
    stream, _, seq = text.rpartition(":")
    return stream, int(seq)
