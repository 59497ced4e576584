"""Routes that change what screens show go through the same commit-then-emit step as
socket mutations: a join reaches the consoles, a new agenda every open screen."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from flask import Flask

from tests.conftest import csrf_token
from tests.realtime.support import SAMPLE, Client, World, flush_tallies, login, state_of

Sock = Callable[..., Client]


def test_a_re_uploaded_agenda_reaches_every_open_screen(
    app: Flask, sock: Sock, world: World
) -> None:
    moderator, display, phone = sock("moderator"), sock("display"), sock("participant")
    before = {client: client.call("live.sync", {})["data"]["streams"] for client in (phone,)}
    source = SAMPLE.read_text(encoding="utf-8")
    first = phone.call("live.sync", {})["data"]["workshop"]["items"][0]["title"]["en"]
    organiser = login(app, world.emails["organiser"])

    response = organiser.post(
        "/upload",
        data={
            "csrf_token": csrf_token(organiser, "/"),
            "file": (io.BytesIO(source.replace(first, "Opening, renamed", 1).encode()), "a.yaml"),
        },
    )

    assert response.status_code == 302
    for screen in (moderator, display, phone):
        changed = screen.events("program.changed")
        assert len(changed) == 1, screen
        data = changed[0][1]
        assert data["workshop"]["items"][0]["title"]["en"] == "Opening, renamed"
        assert data["stream"] == "workshop"
    # The phone's stream goes on without a gap: no resync needed.
    assert changed[0][1]["seq"] == before[phone]["workshop"] + 1


def test_a_join_by_the_page_reaches_the_consoles(app: Flask, sock: Sock, world: World) -> None:
    moderator = sock("moderator")
    flush_tallies(app)
    joined_before = moderator.events("presence.changed")[-1][1]["joined"]["total"]
    browser = app.test_client()
    page = f"/j/{state_of(world).join_code}"
    form = browser.get(page).get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', form)
    assert token, "no CSRF token in the join form"
    data = {"csrf_token": token.group(1), "display_name": "Late", "language": "fr"}
    response = browser.post(page, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    flush_tallies(app)
    counts = moderator.events("presence.changed")[-1][1]
    assert counts["joined"]["total"] == joined_before + 1
