"""A process of chaos phones (`bench/chaosphone.py`), spoken to in JSON lines.

in  {"base_url", "slug", "code", "languages", "phones": [[index, address], ...],
     "outbox_dir", "cut_s": [lo, hi], "mutation_s": [lo, hi], "reload_share", "seed"}
out {"event": "ready"}
in  {"until": t}        -> every phone joins, then lives (cuts, reloads, mutations)
                           until time.monotonic() t
out {"event": "joined", "failures": n}
out {"event": "settled", "unsettled": n}      (no more cuts, outboxes emptied)
in  {"live": {...}, "languages": {"<participant id>": "<language>"}}
out {"event": "report", "acked": [[cid, participant id, language], ...], "resync_ms": [...],
     "mismatches": [...], "cuts", "reloads", "interrupted", "refused", "errors"}
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import sys
import time
from typing import Any

from facilitator.bench.chaosphone import ChaosPhone
from facilitator.bench.phones import read_line, say

JOIN_SPREAD_S = 5.0
SETTLE_S = 90.0


async def run_phone(phone: ChaosPhone, until: float, delay: float) -> None:
    await asyncio.sleep(delay)
    await phone.join()
    if phone.token is None:
        return
    try:
        await phone.live(until)
    except Exception as exc:  # one broken phone is reported, not fatal to the others
        phone.ledger.error(f"live {type(exc).__name__}: {exc}")


async def settle(phone: ChaosPhone) -> bool:
    if phone.token is None:
        return False
    try:
        return await phone.settle(SETTLE_S)
    except Exception as exc:
        phone.ledger.error(f"settle {type(exc).__name__}: {exc}")
        return False


def report(phones: list[ChaosPhone], expect: dict[str, Any]) -> dict[str, Any]:
    mismatches = []
    acked = []
    for phone in phones:
        wrong = phone.verdict(expect["live"], expect["languages"])
        if wrong is not None:
            mismatches.append(wrong)
        acked += [[cid, phone.pid, language] for cid, language in phone.ledger.acked]
    refused: dict[str, int] = {}
    for phone in phones:
        for code, n in phone.ledger.refused.items():
            refused[code] = refused.get(code, 0) + n
    return {
        "event": "report",
        "acked": acked,
        "resync_ms": [round(t, 1) for p in phones for t in p.ledger.resync_ms],
        "slow": [[began, round(ms, 1)] for p in phones for began, ms in p.ledger.slow],
        "mismatches": mismatches,
        "unjoined": sum(1 for p in phones if p.token is None),
        "cuts": sum(p.ledger.cuts for p in phones),
        "abrupt": sum(p.ledger.abrupt for p in phones),
        "reloads": sum(p.ledger.reloads for p in phones),
        "interrupted": sum(p.ledger.interrupted for p in phones),
        "refused": refused,
        "errors": [e for p in phones for e in p.ledger.errors][:10],
    }


async def main() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=1 << 24)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    config = await read_line(reader, 60)
    rng = random.Random(config["seed"])
    phones = [
        ChaosPhone(index, address, config, random.Random(rng.random()))
        for index, address in config["phones"]
    ]
    say({"event": "ready"})
    try:
        order = await read_line(reader, 120)
        until = float(order["until"])
        started = time.monotonic()
        tasks = [
            asyncio.create_task(run_phone(p, until, rng.uniform(0, JOIN_SPREAD_S))) for p in phones
        ]
        await asyncio.sleep(JOIN_SPREAD_S + 1)
        say({"event": "joined", "failures": sum(1 for p in phones if p.token is None)})
        await asyncio.wait(tasks, timeout=max(0.0, until - started) + 120)
        settled = await asyncio.gather(*(settle(p) for p in phones))
        say({"event": "settled", "unsettled": settled.count(False)})
        expect = await read_line(reader, 300)
        say(report(phones, expect))
    finally:
        for phone in phones:
            await phone.close_client()
            if phone.http is not None:
                with contextlib.suppress(Exception):
                    await phone.http.close()


if __name__ == "__main__":
    asyncio.run(main())
