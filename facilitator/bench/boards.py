"""The breakout phase, inside a worker of simulated phones (`bench.phones`).

Orders from the bench, in turn (each answered by one line `{"event": "boards", ...}`):

  {"do": "boards", "step": "listen"}
      every phone follows `breakouts.moved` as static/breakouts does: at a random moment
      within the message's `sync_within_ms` it asks `live.sync`, which moves its socket to
      its group's room, and reads its group and board from the snapshot.
      Answer: {"listening": n}
  {"do": "boards", "step": "placed", "wait_s": w}
      wait until every phone is in a group and synced. Answer: {"placed": n, "unplaced": n}
  {"do": "boards", "step": "write", "start": t0, "seconds": s}
      each phone, about every 5 s (2.5 to 7.5), adds a card to a column of its group's
      block or edits one of its own; every other time it also puts a dot on a card of its
      group (or takes one back when it has none left). Answer: {"edits":
      [[card, version, group, submitted_t, acked_t], ...], "refused": {code: n}, "votes": n}
  {"do": "boards", "step": "report", "expect": [[card, version, group], ...], "wait_s": w}
      wait until each phone has every expected card version of its own group. Answer:
      {"arrivals": {"card:version": [phones, last_t]}, "members": {group: n},
       "cross_group": n, "duplicates": n, "gaps": n, "disconnects": n}

`cross_group`: events a phone received on the stream of a group it is not in.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import socketio

from facilitator.bench.phones import CONNECT_TIMEOUT_S, Phone
from facilitator.bench.streams import snapshot_streams

GROUP_EVENTS = (
    "breakouts.card",
    "breakouts.votes",
    "breakouts.group",
    "breakouts.synthesis",
    "breakouts.assessment",
    "breakouts.message",
)
MEAN_GAP_S = 5.0


@dataclass
class Member:
    """What one phone knows of its group and board."""

    phone: Phone
    group: int | None = None
    synced_group: int | None = None  # the group its last snapshot put it in
    block: str | None = None
    columns: int = 1
    cards: set[int] = field(default_factory=set)  # the group's cards it knows of
    mine: dict[int, int] = field(default_factory=dict)  # own card -> version
    my_votes: set[int] = field(default_factory=set)
    votes_left: int = 0
    arrived: dict[tuple[int, int], float] = field(default_factory=dict)  # (card, version)
    doubled: int = 0
    cross_group: int = 0
    syncing: asyncio.Task[None] | None = None

    def heard(self, data: Any, now: float) -> None:
        """Any group event: on another group's stream it should never have come."""
        stream = data.get("stream") if isinstance(data, dict) else None
        # Not the stream of the group it was last told it is in:
        if (
            isinstance(stream, str)
            and stream.startswith("group:")
            and stream != f"group:{self.group}"
        ):
            self.cross_group += 1

    def heard_card(self, data: Any, now: float) -> None:
        self.heard(data, now)
        card = data.get("card") if isinstance(data, dict) else None
        if not isinstance(card, dict):
            return
        key = (int(card["id"]), int(card["version"]))
        if key in self.arrived:
            self.doubled += 1
        else:
            self.arrived[key] = now
        if not card.get("removed"):
            self.cards.add(key[0])

    def moved(self, data: Any, _now: float) -> None:
        group = data.get("group") if isinstance(data, dict) else None
        self.group = group if isinstance(group, int) else None
        within = data.get("sync_within_ms") if isinstance(data, dict) else None
        delay = random.uniform(0, within / 1000) if isinstance(within, int) and within > 0 else 0.0
        if self.syncing is None or self.syncing.done():
            self.syncing = asyncio.create_task(self.sync(delay))

    async def sync(self, delay: float = 0.0) -> None:
        """As the phone's screen does on `breakouts.moved`: at a random moment within the
        server's window (a whole round moved at once), a snapshot, and its group."""
        await asyncio.sleep(delay)
        while True:
            wanted = self.group
            try:
                answer = await self.phone.client.call("live.sync", {}, timeout=CONNECT_TIMEOUT_S)
            except (socketio.exceptions.SocketIOError, TimeoutError):
                return
            if isinstance(answer, dict) and answer.get("ok"):
                self.read(answer["data"])
            if self.group == wanted:
                return

    def read(self, snapshot: dict[str, Any]) -> None:
        self.phone.synced = snapshot_streams(snapshot)
        part = snapshot.get("breakouts") or {}
        group, board = part.get("group"), part.get("board")
        self.synced_group = group["id"] if isinstance(group, dict) else None
        self.group = self.synced_group
        if not isinstance(board, dict):
            return
        blocks = board.get("blocks") or []
        if blocks:
            self.block = blocks[0]["key"]
            self.columns = max(1, len(blocks[0].get("prompts") or []))
        self.cards = {c["id"] for c in board.get("cards", []) if not c.get("removed")}
        self.my_votes = set(board.get("my_votes") or [])
        self.votes_left = int(board.get("votes_left") or 0)


MEMBERS: dict[int, Member] = {}  # phone index -> its member state, in this worker


def listen(phones: list[Phone]) -> int:
    for phone in phones:
        if not phone.connected:
            continue
        member = MEMBERS.setdefault(phone.index, Member(phone))
        phone.watch["breakouts.moved"] = member.moved
        phone.watch["breakouts.card"] = member.heard_card
        for event in GROUP_EVENTS[1:]:
            phone.watch[event] = member.heard
    return len(MEMBERS)


async def placed(wait_s: float) -> dict[str, Any]:
    deadline = time.monotonic() + wait_s

    def waiting() -> list[Member]:
        return [
            m
            for m in MEMBERS.values()
            if not m.phone.disconnected and (m.synced_group is None or m.block is None)
        ]

    while waiting() and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    return {"placed": len(MEMBERS) - len(waiting()), "unplaced": len(waiting())}


async def call(phone: Phone, event: str, payload: dict[str, Any]) -> tuple[Any, str | None]:
    """The answer's data, or None and the refusal's code."""
    try:
        answer = await phone.client.call(
            event, {"cid": str(uuid.uuid4()), **payload}, timeout=CONNECT_TIMEOUT_S
        )
    except (socketio.exceptions.SocketIOError, TimeoutError):
        return None, "timeout"
    if isinstance(answer, dict) and answer.get("ok"):
        return answer.get("data"), None
    error = answer.get("error") if isinstance(answer, dict) else None
    return None, str(error.get("code") if isinstance(error, dict) else answer)


class Writing:
    def __init__(self) -> None:
        self.edits: list[list[Any]] = []
        self.refused: Counter[str] = Counter()
        self.votes = 0


async def write_card(member: Member, rng: random.Random, done: Writing) -> None:
    phone = member.phone
    kind = rng.choice(("idea", "challenge", "actor"))
    text = f"Card from phone {phone.index}: {kind} {rng.randint(1, 999)}"
    if not member.mine or (len(member.mine) < 4 and rng.random() < 0.4):
        event = "breakouts.card.add"
        payload: dict[str, Any] = {
            "group": member.group,
            "block": member.block,
            "column": rng.randrange(member.columns),
            "text": text,
        }
    else:
        card = rng.choice(sorted(member.mine))
        event = "breakouts.card.edit"
        payload = {"card": card, "text": text, "version": member.mine[card]}
    submitted = time.monotonic()
    data, code = await call(phone, event, payload)
    acked = time.monotonic()
    if code is not None:
        done.refused[f"{event.rsplit('.', 1)[1]}:{code}"] += 1
        return
    card_id, version = int(data["card"]), int(data["version"])
    member.mine[card_id] = version
    member.cards.add(card_id)
    done.edits.append([card_id, version, member.group, submitted, acked])


async def vote(member: Member, rng: random.Random, done: Writing) -> None:
    if member.votes_left > 0:
        choices = sorted(member.cards - member.my_votes)
        voted = True
    else:
        choices = sorted(member.my_votes)
        voted = False
    if not choices:
        return
    card = rng.choice(choices)
    data, code = await call(member.phone, "breakouts.vote", {"card": card, "voted": voted})
    if code is not None:
        done.refused[f"vote:{code}"] += 1
        return
    done.votes += 1
    (member.my_votes.add if voted else member.my_votes.discard)(card)
    member.votes_left = int(data.get("votes_left", member.votes_left))


async def write(order: dict[str, Any]) -> dict[str, Any]:
    done = Writing()
    end = float(order["start"]) + float(order["seconds"])

    async def one(member: Member) -> None:
        rng = random.Random(f"board-{member.phone.index}")
        turn = 0
        wake = float(order["start"]) + rng.uniform(0, MEAN_GAP_S)
        while wake < end:  # a turn due after the end is not waited for
            await asyncio.sleep(max(0.0, wake - time.monotonic()))
            if time.monotonic() >= end or member.phone.disconnected:
                return
            await write_card(member, rng, done)
            if turn % 2 == 1:
                await vote(member, rng, done)
            turn += 1
            wake += rng.uniform(MEAN_GAP_S / 2, MEAN_GAP_S * 1.5)

    await asyncio.gather(*(one(m) for m in MEMBERS.values() if m.block is not None))
    return {"edits": done.edits, "refused": dict(done.refused), "votes": done.votes}


def group_gaps_and_doubles(phone: Phone) -> tuple[int, int]:
    """Missing and repeated seqs of group streams, since the phone's last snapshot."""
    seen: dict[str, set[int]] = {}
    doubled = 0
    for (stream, seq), n in phone.keys.items():
        if stream.startswith("group:"):
            seen.setdefault(stream, set()).add(seq)
            doubled += n - 1
    missing = 0
    for stream, seqs in seen.items():
        if stream not in phone.synced:
            continue  # a group it left: what came before the move is not its to miss
        first = phone.synced[stream] + 1
        missing += sum(1 for n in range(first, max(seqs) + 1) if n not in seqs)
    return missing, doubled


async def report(order: dict[str, Any]) -> dict[str, Any]:
    expect: dict[int, list[tuple[int, int]]] = {}
    for card, version, group in order["expect"]:
        expect.setdefault(int(group), []).append((int(card), int(version)))
    live = [m for m in MEMBERS.values() if not m.phone.disconnected and m.group is not None]

    def lacking() -> bool:
        return any(k not in m.arrived for m in live for k in expect.get(m.group or 0, ()))

    deadline = time.monotonic() + float(order["wait_s"])
    while lacking() and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    arrivals: dict[str, list[float]] = {}
    for member in live:
        for card, version in expect.get(member.group or 0, ()):
            moment = member.arrived.get((card, version))
            if moment is not None:
                entry = arrivals.setdefault(f"{card}:{version}", [0, 0.0])
                entry[0] += 1
                entry[1] = max(entry[1], moment)
    gaps = doubled = 0
    for member in live:
        missing, twice = group_gaps_and_doubles(member.phone)
        gaps += missing
        doubled += max(twice, member.doubled)
    for phone_member in MEMBERS.values():
        for event in (*GROUP_EVENTS, "breakouts.moved"):
            phone_member.phone.watch.pop(event, None)
    return {
        "arrivals": arrivals,
        "members": dict(Counter(str(m.group) for m in live)),
        "cross_group": sum(m.cross_group for m in MEMBERS.values()),
        "duplicates": doubled,
        "gaps": gaps,
        "disconnects": sum(1 for m in MEMBERS.values() if m.phone.disconnected),
    }


async def run(phones: list[Phone], order: dict[str, Any]) -> dict[str, Any]:
    step = order["step"]
    if step == "listen":
        answer: dict[str, Any] = {"listening": listen(phones)}
    elif step == "placed":
        answer = await placed(float(order["wait_s"]))
    elif step == "write":
        answer = await write(order)
    else:
        answer = await report(order)
    return {"event": "boards", "step": step, **answer}
