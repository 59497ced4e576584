"""What a socket connect costs the database: a join storm connects every phone at once."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask

from facilitator.agenda.parsing import parse_agenda
from facilitator.agenda.services import store_agenda
from facilitator.database import unit_of_work
from facilitator.extensions import db
from tests.realtime.support import SAMPLE, Client, World, statements

Sock = Callable[..., Client]


def of_questions_or_qa(statement: str) -> bool:
    return re.search(r"\bFROM (question|answer|qa_[a-z_]+)\b", statement) is not None


def of_breakouts(statement: str) -> bool:
    """Who follows which breakout group, and the breakouts' part of a snapshot: bounded in
    tests/breakouts/test_events.py."""
    return re.search(r"\bFROM breakout_[a-z_]+\b", statement) is not None


def test_a_participant_connects_in_one_query(sock: Sock) -> None:
    with statements(db.engine) as sent:
        phone = sock("participant")
    assert phone.is_connected()
    sent = [s for s in sent if not of_breakouts(s)]
    assert len(sent) == 1, sent  # the participant, joined to its workshop by slug
    assert sent[0].startswith("SELECT participant.") and " JOIN workshop " in sent[0]


def test_a_refused_participant_costs_no_more(sock: Sock, world: World) -> None:
    for auth, queries in (
        ({"workshop": "no-such-workshop"}, 1),
        ({"workshop": world.other_slug}, 1),
        ({"token": world.other_participant.token}, 1),
        ({"token": "forged-token-forged-token"}, 1),
        ({"token": "not a token"}, 0),  # not even asked: no token of ours looks like this
        ({"token": ""}, 0),
    ):
        with statements(db.engine) as sent:
            phone = sock("participant", **auth)
        assert phone.refusal_code == "forbidden", auth
        assert len(sent) == queries, (auth, sent)


def test_the_program_is_loaded_once_for_a_room_of_phones(app: Flask, sock: Sock) -> None:
    app.extensions["facilitator.realtime"].cache.clear()
    first, second = sock("participant"), sock("participant")
    with statements(db.engine) as sent:
        assert first.call("live.sync", {})["ok"]
    assert any("FROM program_item" in s for s in sent)  # the first builds it
    with statements(db.engine) as sent:
        answer = second.call("live.sync", {})
    assert answer["ok"] and answer["data"]["workshop"]["items"]
    assert not any("FROM program_item" in s or "FROM day" in s for s in sent), sent
    # the participant (still allowed?), the streams' numbers, the live row with the workshop;
    # the questions' and the Q&A's parts have their own bound (tests/questions/test_screens.py)
    assert len([s for s in sent if not of_questions_or_qa(s) and not of_breakouts(s)]) <= 3, sent


def test_a_new_version_of_the_agenda_reaches_the_next_snapshot(sock: Sock, world: World) -> None:
    phone = sock("participant")
    before = phone.call("live.sync", {})["data"]["workshop"]["items"][0]
    source = SAMPLE.read_text(encoding="utf-8")
    renamed = source.replace(before["title"]["en"], "Opening, renamed", 1)
    assert renamed != source
    with unit_of_work(world.factory) as s:
        store_agenda(s, parse_agenda(renamed.encode(), "renamed.yaml").agenda)
    after = phone.call("live.sync", {})["data"]["workshop"]["items"][0]
    assert after["title"]["en"] == "Opening, renamed"
