"""The database of a chaos run: prepared fresh (SQLite file or a throwaway PostgreSQL
schema), and audited at the end against what the clients saw acknowledged."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from facilitator.bench.options import BenchError
from facilitator.bench.servers import MODERATOR_EMAIL, seed_file

# Three languages, so a participant.language has an effect to check.
CHAOS_SEED = "2020-gsef-local-governments-sse-partnership.yaml"
POSTGRES_URL = os.environ.get(
    "FACILITATOR_TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test"
)


def chaos_seed() -> Path:
    return seed_file().parent / CHAOS_SEED


def chaos_slug() -> str:
    import yaml

    slug: str = yaml.safe_load(chaos_seed().read_text(encoding="utf-8"))["slug"]
    return slug


@contextlib.contextmanager
def database(kind: str, work: Path, keep: list[str]) -> Iterator[str]:
    """The URL of an empty database; a PostgreSQL schema is dropped after unless `keep`
    holds its name (the evidence of a failed run)."""
    if kind == "sqlite":
        yield f"sqlite:///{work / 'chaos.db'}"
        return
    from facilitator.database import make_engine

    schema = f"facilitator_chaos_{os.getpid()}_{secrets.token_hex(3)}"
    engine = make_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        if schema not in keep:
            with engine.begin() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


def prepare(url: str, work: Path, async_mode: str, password: str) -> dict[str, str]:
    env = {
        **os.environ,
        "FACILITATOR_INSTANCE_PATH": str(work),
        "FACILITATOR_DATABASE_URL": url,
        "FACILITATOR_ASYNC_MODE": async_mode,
        "FACILITATOR_ENV": "development",
        "FACILITATOR_SECRET_KEY": secrets.token_urlsafe(48),
    }
    env.pop("FACILITATOR_MESSAGE_QUEUE", None)
    commands(
        env,
        ["db", "upgrade"],
        ["load", str(chaos_seed())],
        ["create-user", MODERATOR_EMAIL, "--admin", "--name", "Chaos", "--password", password],
    )
    return env


# Runs `facilitator` commands one after the other in one interpreter.
_COMMANDS = """
import json, sys
from facilitator.cli import main
for args in json.loads(sys.argv[1]):
    main.main(args, prog_name="facilitator", standalone_mode=False)
"""


def commands(env: dict[str, str], *each: list[str]) -> None:
    """`facilitator` commands in one child process: one interpreter start-up and import
    of the app (about 2 s) instead of one per command. Threading: they serve nothing, and
    without `python -m facilitator` nothing monkey-patches for eventlet or gevent."""
    done = subprocess.run(
        [sys.executable, "-c", _COMMANDS, json.dumps(each)],
        env={**env, "FACILITATOR_ASYNC_MODE": "threading"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        names = ", ".join(args[0] for args in each)
        raise BenchError(f"facilitator {names} failed: {done.stderr.strip()[-500:]}")


@dataclass(frozen=True)
class Stored:
    rows: list[tuple[int, str, str, str]]  # applied_mutation: id, actor, cid, event
    languages: dict[int, str]  # participant id -> language
    runs: int  # item_run rows
    message: str | None


def read(url: str, slug: str) -> Stored:
    from facilitator.agenda.models import Workshop
    from facilitator.database import make_engine, make_session_factory
    from facilitator.live.models import ItemRun, LiveState
    from facilitator.participation.models import Participant
    from facilitator.realtime.models import AppliedMutation

    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as s:
            workshop = s.scalar(select(Workshop.id).where(Workshop.slug == slug))
            rows = s.execute(
                select(
                    AppliedMutation.id,
                    AppliedMutation.actor,
                    AppliedMutation.cid,
                    AppliedMutation.event,
                ).where(AppliedMutation.workshop_id == workshop)
            )
            people = s.execute(
                select(Participant.id, Participant.language).where(
                    Participant.workshop_id == workshop
                )
            )
            runs = s.scalar(
                select(func.count()).select_from(ItemRun).where(ItemRun.workshop_id == workshop)
            )
            message = s.scalar(select(LiveState.message).where(LiveState.workshop_id == workshop))
            return Stored(
                [(i, a, c, e) for i, a, c, e in rows],
                {pid: language for pid, language in people},
                runs or 0,
                message,
            )
    finally:
        engine.dispose()


def audit(
    stored: Stored,
    phone_acks: list[list[Any]],
    moderator_acks: list[tuple[str, str, dict[str, Any]]],
    initial_language: str,
) -> dict[str, Any]:
    """Lost: an acknowledged cid without its row or its effect. Duplicated: a cid stored
    twice, or an effect applied twice (more item runs than acknowledged starts)."""
    per_cid = Counter(cid for _, _, cid, _ in stored.rows)
    actors = {cid: actor for _, actor, cid, _ in stored.rows}
    lost: list[str] = []
    duplicated = [f"cid {cid} stored {n} times" for cid, n in per_cid.items() if n > 1]
    last_language: dict[int, str] = {}
    for cid, pid, language in phone_acks:
        if per_cid[cid] == 0:
            lost.append(f"phone cid {cid} (p:{pid}) acked, no row")
        elif actors[cid] != f"p:{pid}":
            lost.append(f"phone cid {cid} stored for {actors[cid]}, acked to p:{pid}")
        last_language[pid] = language  # acks come in the order each phone sent
    for pid, language in stored.languages.items():
        expected = last_language.get(pid, initial_language)
        if language != expected:
            lost.append(f"p:{pid} language {language!r}, last acked {expected!r}")
    for cid, event, _payload in moderator_acks:
        if per_cid[cid] == 0:
            lost.append(f"moderator cid {cid} ({event}) acked, no row")
    starts = sum(
        1 for _, event, _ in moderator_acks if event in ("live.start", "live.next", "live.goto")
    )
    if stored.runs < starts:
        lost.append(f"{starts} item changes acked, {stored.runs} item runs stored")
    elif stored.runs > starts:
        duplicated.append(f"{starts} item changes acked, {stored.runs} item runs stored")
    texts = [p.get("text") for _, e, p in moderator_acks if e == "message.broadcast"]
    if texts and stored.message != texts[-1]:
        lost.append(f"message {stored.message!r}, last acked {texts[-1]!r}")
    return {"lost": lost, "duplicated": duplicated}
