"""What a socket connect costs the database: a join storm connects every phone at once."""

from __future__ import annotations

from collections.abc import Callable

from facilitator.extensions import db
from tests.realtime.support import Client, World, statements

Sock = Callable[..., Client]


def test_a_participant_connects_in_one_query(sock: Sock) -> None:
    with statements(db.engine) as sent:
        phone = sock("participant")
    assert phone.is_connected()
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
