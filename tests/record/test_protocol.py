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
from facilitator.database import utcnow
from facilitator.live.models import LiveState
from facilitator.participation.services import Profile, join
from tests.conftest import PASSWORD, login
from tests.realtime.support import Client, flush_tallies
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


def test_the_record_keeps_the_peak_of_connected_phones(app: Flask, seed: Seed) -> None:
    console = moderator_socket(app, seed)
    ok(console.call("live.start", {"cid": cid()}))
    state = seed.db.get(LiveState, seed.workshop.id)
    assert state is not None
    phones = []
    for n in range(3):
        joined, _ = join(seed.db, state.join_code, Profile(language="fr", country="SN"), utcnow())
        seed.db.commit()
        auth = {"as": "participant", "workshop": seed.workshop.slug, "token": joined.token}
        phones.append(Client(app, app.extensions["socketio"], auth=auth))
        assert phones[-1].is_connected(), n
    flush_tallies(app)
    for phone in phones[1:]:
        phone.disconnect()
    flush_tallies(app)  # one left: the peak stays at three
    data = json.loads(seed.client.get(f"/w/{seed.workshop.slug}/record.json").get_data())
    assert data["participants"]["peak_connected"] == 3
    assert data["participants"]["joined"] == 3
    assert data["participants"]["by_country"] == {"SN": 3}
    assert not any(name == "record.peak" for name, _ in console.events())  # never sent
    phones[0].disconnect()
    console.disconnect()
