"""Two worker processes joined by Redis, on one PostgreSQL database (DESIGN.md, scale-out).

Screens of one workshop land on different workers, as a proxy spreading
connections would put them: everything one worker's screen changes reaches the
other worker's screens, numbered once, and the console counts every phone.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from facilitator.accounts.models import Role
from facilitator.accounts.services import create_user, grant
from facilitator.agenda.models import Workshop
from facilitator.database import make_engine, make_session_factory
from tests.conftest import (
    POSTGRES_URL,
    REDIS_URL,
    fresh_postgres_schema,
    postgres_unreachable_reason,
    redis_unreachable_reason,
)
from tests.integration.conftest import SLUG, ServerProcess
from tests.integration.support import (
    TIMEOUT,
    Screen,
    join_phones,
    moderator_cookie,
    presence,
    wait_for,
)


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    """Two eventlet servers on a fresh PostgreSQL schema and one Redis channel."""
    reason = postgres_unreachable_reason() or redis_unreachable_reason()
    if reason:
        pytest.skip(reason)
    with fresh_postgres_schema(f"facilitator_scaleout_{os.getpid()}") as schema:
        yield from two_workers(tmp_path, schema)


def two_workers(tmp_path: Path, schema: str) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    settings = {
        "FACILITATOR_DATABASE_URL": f"{POSTGRES_URL}?options=-csearch_path%3D{schema}",
        "FACILITATOR_MESSAGE_QUEUE": REDIS_URL,
        "FACILITATOR_MESSAGE_QUEUE_CHANNEL": f"facilitator-test-{schema}",
    }
    # Set up through the CLI in threading mode and without the queue: this process
    # must load neither eventlet nor a Redis client manager.
    setup = ServerProcess(
        "threading",
        tmp_path / "setup",
        settings={"FACILITATOR_DATABASE_URL": settings["FACILITATOR_DATABASE_URL"]},
    )
    first = ServerProcess("eventlet", tmp_path / "a", settings=dict(settings))
    second = ServerProcess("eventlet", tmp_path / "b", settings=dict(settings))
    try:
        for process in (setup, first, second):
            process.instance.mkdir()
        setup.prepare()
        first.spawn()  # both start side by side: about 2 s less than one after the other
        second.spawn()
        first.wait_up()
        second.wait_up()
        yield first, second
    finally:
        for worker in (first, second):
            worker.stop()
            print(f"server log ({worker.log}):\n{worker.tail()}")


def test_screens_on_two_workers_run_one_workshop(
    workers: tuple[ServerProcess, ServerProcess],
) -> None:
    a, b = workers
    cookie = moderator_cookie(a.url)  # one log-in: both workers share the secret key
    screens: list[Screen] = []
    try:
        console = Screen(
            "console on A", a.url, {"as": "moderator", "workshop": SLUG}, headers={"Cookie": cookie}
        )
        laptop = Screen(
            "second console on B",
            b.url,
            {"as": "moderator", "workshop": SLUG},
            headers={"Cookie": cookie},
        )
        console.open()
        screens.append(console)
        first = console.sync()
        items = [item["id"] for item in first["workshop"]["items"]]
        projector = Screen(
            "projector on B", b.url, {"as": "display", "token": first["display_token"]}
        )
        tokens = join_phones(a, first["join"]["code"], 4)
        phones = [
            Screen(
                f"phone {n + 1} on {'AB'[n % 2]}",
                (a, b)[n % 2].url,
                {"as": "participant", "workshop": SLUG, "token": token},
            )
            for n, token in enumerate(tokens)
        ]
        for screen in (laptop, projector, *phones):
            screen.open()
            screen.sync()
            screens.append(screen)

        # Each console counts every phone, wherever its socket is.
        for moderator in (console, laptop):
            wait_for(f"{moderator.name} to count four phones", lambda m=moderator: presence(m) == 4)

        # Driven from both workers, seen on both, numbered once.
        script = [
            (console, "live.start", {}),
            (laptop, "live.next", {}),
            (console, "timer.adjust", {"minutes": 2}),
            (laptop, "live.next", {}),
        ]
        seqs = []
        for sender, event, payload in script:
            _cid, ack = sender.send(event, payload)
            assert ack == {"ok": True, "data": None}, (sender.name, event, ack)
            seqs.append(sender.sync()["streams"]["workshop"])
        assert seqs == sorted(set(seqs)), seqs  # one sequence across the workers
        wait_for(
            "every screen to see the last change",
            lambda: all(s.seen(seqs[-1]) for s in screens),
            seconds=TIMEOUT,
        )
        for screen in screens:
            with screen.lock:
                states = [d for e, d in screen.received if e == "live.state"]
            assert states[-1]["live"]["item"] == items[2], screen.name

        # A phone that leaves is no longer counted by the other worker's console.
        phones[1].close()
        wait_for("the console on A to count three phones", lambda: presence(console) == 3)
    finally:
        for screen in screens:
            if screen.sio.connected:
                screen.close()


def test_a_role_taken_away_on_one_worker_closes_sockets_on_the_other(
    workers: tuple[ServerProcess, ServerProcess],
) -> None:
    """Issue 9, finding 1: the kick travels through Redis to the worker holding the socket."""
    a, b = workers
    email, password = "second.moderator@example.org", "another long password"
    # Through the services, not the CLI: this process must not load eventlet.
    engine = make_engine(a.settings["FACILITATOR_DATABASE_URL"])
    with make_session_factory(engine)() as s:
        user = create_user(s, email, password, "Second Moderator")
        workshop = s.scalar(select(Workshop).where(Workshop.slug == SLUG))
        assert workshop is not None
        grant(s, user, workshop, Role.MODERATOR)
        s.commit()
        user_id = user.id
    engine.dispose()

    admin = moderator_cookie(a.url)
    removed = Screen(
        "removed moderator on B",
        b.url,
        {"as": "moderator", "workshop": SLUG},
        headers={"Cookie": moderator_cookie(b.url, email, password)},
    )
    removed.open()
    token = removed.sync()["display_token"]
    projector = Screen("projector on B", b.url, {"as": "display", "token": token})
    projector.open()
    try:
        with requests.Session() as http:
            http.headers["Cookie"] = admin
            people = http.get(f"{a.url}/w/{SLUG}/people", timeout=TIMEOUT)
            match = re.search(r'name="csrf_token" value="([^"]+)"', people.text)
            assert match, "no CSRF token on the people page"
            answer = http.post(
                f"{a.url}/w/{SLUG}/people/{user_id}/remove",
                data={"csrf_token": match.group(1)},
                allow_redirects=False,
                timeout=TIMEOUT,
            )
            assert answer.status_code == 302, answer.status_code
        wait_for("B to close the removed moderator's console", lambda: not removed.sio.connected)
        wait_for("B to close the projector of the old link", lambda: not projector.sio.connected)
    finally:
        for screen in (removed, projector):
            if screen.sio.connected:
                screen.close()
