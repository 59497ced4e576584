"""The answer phase (issue 10): every phone answers a poll while a third upvote Q&A.

The moderator writes three questions live (words, choice, scale), opens them and
reveals their results (the projector shows them live, the demanding case), and adds
three audience questions. Then every phone answers within `spread_s` seconds
(bench/answering.py) and the bench measures, from outside:

- each submit until its acknowledgement, and until the moderator's console has the
  `answer.changed` it causes (one per submit, on the moderators' stream);
- the projector's messages, per 1-s window (tallies are coalesced: a few a second);
- afterwards, in the database itself, that every acknowledged answer is stored exactly
  once, with the value its phone was last acknowledged.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from facilitator.bench.options import ACK_TIMEOUT_S, BenchError, cpu_s, note, percentile, rounded
from facilitator.bench.screens import Screen
from facilitator.bench.workers import Worker

SPREAD_S = 5.0  # every phone answers within this many seconds
WAIT_S = 15.0  # for the last events to arrive, after the last acknowledgement
SCALE = {"min": 1, "max": 5}
RESULTS = {"question.results"}  # what redraws the projector's results
OPTIONS = 4


async def mutate(screen: Screen, event: str, payload: dict[str, Any]) -> Any:
    """One acknowledged mutation of a staff screen; its answer's data."""
    if screen.gone:
        raise BenchError(screen.gone)
    answer = await screen.client.call(
        event, {"cid": str(uuid.uuid4()), **payload}, timeout=ACK_TIMEOUT_S
    )
    if not isinstance(answer, dict) or not answer.get("ok"):
        raise BenchError(f"{event} was refused: {answer}")
    return answer.get("data")


async def prepare_questions(moderator: Screen, language: str) -> dict[str, Any]:
    """Three live questions, open and revealed, and three audience questions."""
    questions = []
    for kind in ("words", "choice", "scale"):
        draft: dict[str, Any] = {"type": kind, "text": {language: f"Bench {kind} question"}}
        if kind == "choice":
            draft["options"] = [{language: f"Option {i + 1}"} for i in range(OPTIONS)]
        if kind == "scale":
            draft["scale"] = SCALE
        made = await mutate(moderator, "question.create", draft)
        qid = int(made["question"])
        await mutate(moderator, "question.open", {"question": qid})
        await mutate(moderator, "question.reveal", {"question": qid, "revealed": True})
        questions.append({"id": qid, "type": kind, "options": OPTIONS, **SCALE})
    qa = []
    for n in range(3):
        text = f"Bench audience question {n + 1}?"
        made = await mutate(
            moderator, "qa.add", {"text": text, "name": "Bench", "language": language}
        )
        qa.append(int(made["question"]))
    return {"questions": questions, "qa": qa}


def audit(database: Path, questions: list[int], values: dict[int, Any]) -> dict[str, int]:
    """What the database holds: every acknowledged answer once, with its last value."""
    marks = ",".join("?" * len(questions))
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as db:
        rows = db.execute(
            f"SELECT id, participant_id, question_id, value FROM answer "
            f"WHERE question_id IN ({marks})",
            questions,
        ).fetchall()
        votes = db.execute("SELECT count(*) FROM qa_vote").fetchone()[0]
    # SQLite hands back a JSON column's number as a number, and anything else as its text.
    stored = {row[0]: json.loads(row[3]) if isinstance(row[3], str) else row[3] for row in rows}
    pairs = Counter((row[1], row[2]) for row in rows)
    wrong = sum(1 for a, v in values.items() if stored.get(a, object()) != v)
    wrong += sum(1 for a in stored if a not in values)  # stored, never acknowledged
    return {
        "answers_stored": len(rows),
        "answers_expected": len(values),
        "answers_wrong": wrong,
        "answers_doubled": sum(n - 1 for n in pairs.values() if n > 1),
        "votes_stored": int(votes),
    }


def busiest_second(moments: list[float]) -> int:
    """The most moments within any 1-s window [t, t + 1)."""
    ordered = sorted(moments)
    best, first = 0, 0
    for last, moment in enumerate(ordered):
        while ordered[first] <= moment - 1.0:
            first += 1
        best = max(best, last - first + 1)
    return best


async def run(
    moderator: Screen,
    display: Screen,
    workers: list[Worker],
    participants: int,
    per_phone: int,
    language: str,
    database: Path,
    pid: int,
) -> dict[str, Any]:
    prepared = await prepare_questions(moderator, language)
    await asyncio.sleep(1.0)  # the open questions' tally reaches the phones
    console: dict[int, list[float]] = {}

    def arrived(data: Any, now: float) -> None:
        answer = data.get("answer") if isinstance(data, dict) else None
        if isinstance(answer, dict) and isinstance(answer.get("id"), int):
            console.setdefault(answer["id"], []).append(now)

    moderator.watch["answer.changed"] = arrived
    display.log = []
    start = time.monotonic() + 0.5
    order = {
        "do": "answers",
        "start": start,
        "spread_s": SPREAD_S,
        "per_phone": per_phone,
        "wait_s": WAIT_S,
        **prepared,
    }
    note(f"{participants} phones answer {per_phone} time(s) each, within {SPREAD_S:g} s")
    cpu_before = cpu_s(pid)
    for worker in workers:
        await worker.send(order)
    budget = 120 + SPREAD_S + WAIT_S + per_phone * participants / 50
    reports = [await w.receive("answers", budget) for w in workers]
    submits = [s for r in reports for s in r["submits"]]
    last_ack = max((s[3] for s in submits), default=start)
    cpu = cpu_s(pid) - cpu_before
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline and any(len(console.get(a, ())) <= n for a, n, *_ in submits):
        await asyncio.sleep(0.1)
    moderator.watch.pop("answer.changed", None)
    shown, display.log = display.log, None
    ended = time.monotonic()

    ack_ms = [(s[3] - s[2]) * 1000 for s in submits]
    console_ms = [
        (console[a][n] - t) * 1000 for a, n, t, *_ in submits if len(console.get(a, ())) > n
    ]
    console_lost = len(submits) - len(console_ms)
    values = {int(k): v for r in reports for k, v in r["values"].items()}
    first = min((s[2] for s in submits), default=start)
    refused: Counter[str] = Counter()
    for r in reports:
        refused.update(r["refused"])
        if r["timeouts"]:
            refused["timeout"] += r["timeouts"]
    in_phase = [(t, name) for t, name in shown if start <= t <= ended]
    lost = console_lost + sum(r["mine_missing"] + r["gaps"] for r in reports)
    return {
        "answers": len(submits),
        **audit(database, [q["id"] for q in prepared["questions"]], values),
        "answers_per_phone": per_phone,
        "answers_refused": dict(refused),
        "answers_per_s": rounded(len(submits) / (last_ack - first), 1) if submits else None,
        "answers_phase_s": round(last_ack - first, 2) if submits else None,
        "submit_ack_p50_ms": rounded(percentile(ack_ms, 0.5)),
        "submit_ack_p95_ms": rounded(percentile(ack_ms, 0.95)),
        "submit_to_console_p50_ms": rounded(percentile(console_ms, 0.5)),
        "submit_to_console_p95_ms": rounded(percentile(console_ms, 0.95)),
        "submit_to_console_max_ms": rounded(max(console_ms, default=None)),
        # The projector's results (coalesced: a few a second), and everything it was sent.
        "projector_updates_per_s": busiest_second([t for t, n in in_phase if n in RESULTS]),
        "projector_messages_per_s": busiest_second([t for t, _ in in_phase]),
        "projector_messages": dict(Counter(name for _, name in in_phase)),
        "votes": sum(r["votes"] for r in reports),
        "votes_refused": dict(sum((Counter(r["vote_refused"]) for r in reports), Counter())),
        "answers_lost_events": lost,
        "answers_duplicates": sum(r["duplicates"] for r in reports),  # the whole run's so far
        "answers_disconnects": sum(r["disconnects"] for r in reports),
        "answers_server_cpu_s": round(cpu, 2),
    }
