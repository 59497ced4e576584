"""The answer phase, inside a worker of simulated phones (`bench.phones`).

Order (one JSON line from the bench):

  {"do": "answers", "start": t0, "spread_s": s, "per_phone": k, "wait_s": w,
   "questions": [{"id", "type", "options", "min", "max"}, ...], "qa": [id, ...]}

Each phone, at its own random moment within `spread_s` of `start` (a monotonic time),
answers `per_phone` times back to back, each acknowledged before the next, a question
of each type in turns (phone i starts with question i mod 3); an answer to a question
it has answered already changes that answer (`answer`: its id), as a participant who
changes their mind does. A third of the phones (index mod 3 == 0) also upvote one
audience question at a moment of their own within the spread.

Report:

  {"event": "answers", "submits": [[answer_id, nth, submitted_t, acked_t, question], ...],
   "values": {answer_id: last acknowledged value}, "refused": {code: n}, "timeouts": n,
   "votes": n, "vote_refused": {code: n}, "mine_missing": n, "gaps": n, "duplicates": n}

`nth` counts the submits of one answer (0 for the first): the console receives one
`answer.changed` per submit, in order, so the bench pairs the nth of each.
`mine_missing`: acknowledged submits whose `answer.mine` never reached the phone.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import Counter
from typing import Any

import socketio

from facilitator.bench.phones import CONNECT_TIMEOUT_S, Phone

WORDS = [
    *("trust", "cooperation", "housing", "energy", "food", "care", "finance", "land"),
    *("water", "mobility", "youth", "climate", "jobs", "culture", "health", "education"),
    *("procurement", "commons", "repair", "digital"),
]


def value_for(question: dict[str, Any], rng: random.Random) -> Any:
    """A plausible answer of the question's type."""
    kind = question["type"]
    if kind == "words":
        return rng.sample(WORDS, rng.randint(1, 3))
    if kind == "choice":
        return rng.randrange(int(question["options"]))
    if kind == "scale":
        return rng.randint(int(question["min"]), int(question["max"]))
    raise ValueError(f"the bench does not answer {kind!r} questions")


class Tally:
    """What the phones of one worker did in the phase."""

    def __init__(self) -> None:
        self.submits: list[list[Any]] = []
        self.values: dict[int, Any] = {}
        self.refused: Counter[str] = Counter()
        self.timeouts = 0
        self.votes = 0
        self.vote_refused: Counter[str] = Counter()


async def call(phone: Phone, event: str, payload: dict[str, Any]) -> Any:
    try:
        return await phone.client.call(
            event, {"cid": str(uuid.uuid4()), **payload}, timeout=CONNECT_TIMEOUT_S
        )
    except (socketio.exceptions.SocketIOError, TimeoutError):
        return None


async def answer(phone: Phone, order: dict[str, Any], tally: Tally, mine: Counter[int]) -> None:
    rng = random.Random(f"answers-{phone.index}")
    questions = order["questions"]
    await asyncio.sleep(
        max(0.0, order["start"] + rng.uniform(0, order["spread_s"]) - time.monotonic())
    )
    answers: dict[int, int] = {}  # question -> my answer's id
    sent: Counter[int] = Counter()  # answer id -> submits so far
    for k in range(int(order["per_phone"])):
        question = questions[(phone.index + k) % len(questions)]
        payload: dict[str, Any] = {"question": question["id"], "value": value_for(question, rng)}
        if question["id"] in answers:
            payload["answer"] = answers[question["id"]]
        submitted = time.monotonic()
        reply = await call(phone, "answer.submit", payload)
        acked = time.monotonic()
        if reply is None:
            tally.timeouts += 1
            continue
        if not isinstance(reply, dict) or not reply.get("ok"):
            code = reply.get("error", {}).get("code") if isinstance(reply, dict) else None
            tally.refused[str(code)] += 1
            continue
        answer_id = int(reply["data"]["answer"])
        answers[question["id"]] = answer_id
        tally.submits.append([answer_id, sent[answer_id], submitted, acked, question["id"]])
        tally.values[answer_id] = reply["data"]["value"]
        sent[answer_id] += 1
        mine[question["id"]] += 1


async def upvote(phone: Phone, order: dict[str, Any], tally: Tally) -> None:
    rng = random.Random(f"votes-{phone.index}")
    await asyncio.sleep(
        max(0.0, order["start"] + rng.uniform(0, order["spread_s"]) - time.monotonic())
    )
    qa = order["qa"]
    reply = await call(phone, "qa.vote", {"question": qa[phone.index % len(qa)], "voted": True})
    if isinstance(reply, dict) and reply.get("ok"):
        tally.votes += 1
    else:
        code = reply.get("error", {}).get("code") if isinstance(reply, dict) else "timeout"
        tally.vote_refused[str(code)] += 1


async def run(phones: list[Phone], order: dict[str, Any]) -> dict[str, Any]:
    live = [p for p in phones if p.connected and not p.disconnected]
    tally = Tally()
    expected: dict[int, Counter[int]] = {p.index: Counter() for p in live}
    received: dict[int, Counter[int]] = {p.index: Counter() for p in live}

    def watcher(counts: Counter[int]) -> Any:
        def seen(data: Any, _now: float) -> None:
            if isinstance(data, dict) and isinstance(data.get("question"), int):
                counts[data["question"]] += 1

        return seen

    for phone in live:
        phone.watch["answer.mine"] = watcher(received[phone.index])
    jobs = [answer(p, order, tally, expected[p.index]) for p in live]
    jobs += [upvote(p, order, tally) for p in live if order["qa"] and p.index % 3 == 0]
    await asyncio.gather(*jobs)

    def missing() -> int:
        return sum(
            max(0, n - received[i][q]) for i, counts in expected.items() for q, n in counts.items()
        )

    deadline = time.monotonic() + float(order["wait_s"])
    while missing() and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    for phone in live:
        phone.watch.pop("answer.mine", None)
    return {
        "event": "answers",
        "submits": tally.submits,
        "values": {str(k): v for k, v in tally.values.items()},
        "refused": dict(tally.refused),
        "timeouts": tally.timeouts,
        "votes": tally.votes,
        "vote_refused": dict(tally.vote_refused),
        "mine_missing": missing(),
        "gaps": sum(p.gaps() for p in live),
        "duplicates": sum(n - 1 for p in live for n in p.keys.values() if n > 1),
        "disconnects": sum(1 for p in live if p.disconnected),
    }
