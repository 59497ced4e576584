"""The seed-001 session driven through the real protocol: the moderator runs it and takes
the audience's questions over the socket, the rapporteur takes notes over HTTP, the
console hears every saved note, and the record shows what happened."""

from __future__ import annotations

import json
import uuid
from typing import Any

from flask import Flask

from facilitator.accounts.models import Role
from facilitator.accounts.services import create_user, grant
from tests.conftest import PASSWORD, login
from tests.realtime.support import Client
from tests.record.conftest import CONCLUSIONS, SUMMARIES, Seed, take_seed_notes

QUESTIONS = [
    (
        "Revy-Real",
        "In a top-down context, will the SSE model struggle more?",
        "malick-diop",
        "We need to modify relationships in order to influence enough to change policies.",
    ),
    (
        "Janick",
        "For Mr. Young Kim, what sort of new funding structures do you think of?",
        "young-kim",
        "I think of crowd-funding, which means collecting funds for individuals.",
    ),
]


def cid() -> str:
    return str(uuid.uuid4())


def moderator_socket(app: Flask, seed: Seed) -> Client:
    create_user(seed.db, "moderator@example.org", PASSWORD, "Amanda")
    seed.db.commit()
    user = seed.db.query(type(seed.rapporteur)).filter_by(email="moderator@example.org").one()
    grant(seed.db, user, seed.workshop, Role.MODERATOR)
    seed.db.commit()
    browser = app.test_client()
    login(browser, "moderator@example.org")
    socket = Client(
        app,
        app.extensions["socketio"],
        flask_test_client=browser,
        auth={"as": "moderator", "workshop": seed.workshop.slug},
    )
    assert socket.is_connected(), socket.refusal
    return socket


def ok(ack: Any) -> Any:
    assert ack["ok"] is True, ack
    return ack["data"]


def test_seed_001_through_the_protocol(app: Flask, seed: Seed) -> None:
    console = moderator_socket(app, seed)
    ok(console.call("live.start", {"cid": cid()}))
    ok(console.call("live.goto", {"cid": cid(), "item": "speaker-2"}))  # speaker-1 passed over
    for item in ("speaker-3", "speaker-4", "guiding-question", "audience-qa"):
        ok(console.call("live.goto", {"cid": cid(), "item": item}))
    for asker, text, by, answer in QUESTIONS:
        added = ok(
            console.call("qa.add", {"cid": cid(), "text": text, "name": asker, "language": "en"})
        )
        ok(
            console.call(
                "qa.answer",
                {"cid": cid(), "question": added["question"], "by_person": by, "text": answer},
            )
        )
    console.events()
    take_seed_notes(seed)  # the rapporteur, over HTTP
    saved = console.events("record.note_saved")
    assert len(saved) == len(SUMMARIES) + 3 + len(CONCLUSIONS)
    assert saved[0][1]["kind"] == "summary" and saved[0][1]["version"] == 1

    # The moderator edits a summary the rapporteur wrote, from an old version: refused.
    stale = console.call(
        "record.note",
        {
            "cid": cid(),
            "kind": "summary",
            "item": "speaker-1",
            "person": "emmanuelle-rousset",
            "text": "Mine.",
            "based_on": 0,
        },
    )
    assert stale["ok"] is False and stale["error"]["code"] == "conflict"
    assert stale["error"]["details"]["yours"] == "Mine."
    assert stale["error"]["details"]["note"]["text"] == SUMMARIES["speaker-1"][1]
    fresh = ok(
        console.call(
            "record.note",
            {
                "cid": cid(),
                "kind": "summary",
                "item": "speaker-1",
                "person": "emmanuelle-rousset",
                "text": "Mine, on v1.",
                "based_on": 1,
            },
        )
    )
    assert fresh["version"] == 2

    data = json.loads(seed.client.get(f"/w/{seed.workshop.slug}/record.json").get_data())
    program = {row["key"]: row for row in data["program"]}
    assert program["speaker-1"]["skipped"] is True
    assert program["speaker-2"]["actual_start"] is not None
    assert [(q["asker"], q["answered_by"], q["answer"]) for q in data["audience_qa"]] == [
        (asker, name, answer)
        for (asker, _t, _b, answer), name in zip(
            QUESTIONS, ("Malick Diop", "Young Kim"), strict=True
        )
    ]
    assert data["summaries"][0]["text"] == "Mine, on v1."
    console.disconnect()
