"""Group commit: answers that arrive together share one unit of work, each its own ack."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.questions.models import Answer
from facilitator.questions.payloads import Submit
from facilitator.realtime.batches import GroupCommit, Ticket
from facilitator.realtime.connections import Principal
from facilitator.realtime.runtime import current
from tests.realtime import questions_support as qs
from tests.realtime.support import Client, World, applied, cid, statements, stream_seq
from tests.realtime.test_questions_events import CHOICE, write_and_open

Sock = Callable[..., Client]


@pytest.fixture
def batches(app: Flask) -> Iterator[GroupCommit]:
    with app.app_context():
        group = current().batches
        assert group is not None
        yield group


def phone_of(world: World, member: Any) -> Principal:
    return Principal("participant", world.workshop_id, participant_id=member.id, language="en")


def ticket(batches: GroupCommit, who: Principal, question: int, value: Any, n: int) -> Ticket:
    spec = current().registry.mutations["answer.submit"]
    data = Submit.model_validate({"cid": cid(n), "question": question, "value": value})
    return Ticket(spec, who, data)


def open_for_one(world: World, sock: Sock) -> tuple[int, Principal]:
    """An open question, and the first phone that answers it."""
    return write_and_open(sock("moderator")), phone_of(world, world.participant)


def stored(world: World) -> dict[int, Any]:
    with world.session() as s:
        return {a.participant_id: a.value for a in s.scalars(select(Answer))}


def test_answers_that_arrive_together_share_one_batch_and_each_get_an_ack(
    app: Flask, world: World, sock: Sock, batches: GroupCommit
) -> None:
    moderator, phone, phone2 = sock("moderator"), sock("participant"), sock("participant2")
    question = write_and_open(moderator)
    moderator.events()
    spec = current().registry.mutations["answer.submit"]
    batches.window = 0.3  # long enough for both threads to queue behind the first
    before = batches.batches
    acks: dict[int, Any] = {}

    def answer(member: Any, value: int, n: int) -> None:
        with app.app_context():
            data = Submit.model_validate({"cid": cid(n), "question": question, "value": value})
            acks[member.id] = batches.submit(spec, phone_of(world, member), data)

    threads = [
        threading.Thread(target=answer, args=(world.participant, 0, 1)),
        threading.Thread(target=answer, args=(world.participant2, 1, 2)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)

    assert batches.batches == before + 1  # one unit of work, one commit for both
    assert acks[world.participant.id]["ok"] and acks[world.participant.id]["data"]["value"] == 0
    assert acks[world.participant2.id]["ok"] and acks[world.participant2.id]["data"]["value"] == 1
    assert stored(world) == {world.participant.id: 0, world.participant2.id: 1}
    # The console got each answer, numbered without holes on its stream.
    seqs = [data["seq"] for _name, data in moderator.events("answer.changed")]
    assert len(seqs) == 2 and seqs[1] == seqs[0] + 1 == stream_seq(world, "moderators")
    [(_, mine)] = phone.events("answer.mine")
    assert mine["answers"][0]["value"] == 0  # each phone its own answer, no one else's
    [(_, mine2)] = phone2.events("answer.mine")
    assert mine2["answers"][0]["value"] == 1


def test_a_refusal_in_a_batch_refuses_only_its_own_answer(
    world: World, sock: Sock, batches: GroupCommit
) -> None:
    question = write_and_open(sock("moderator"))
    good = ticket(batches, phone_of(world, world.participant), question, 1, 1)
    bad = ticket(batches, phone_of(world, world.participant2), question, 7, 2)  # no option 7
    batches._run([good, bad])
    assert good.answer is not None and good.answer["ok"]
    assert bad.answer is not None and bad.answer["error"]["code"] == "unknown_option"
    assert stored(world) == {world.participant.id: 1}
    assert [a.cid for a in applied(world)].count(cid(2)) == 0  # a refusal records no cid


def test_a_cid_sent_twice_is_applied_once_in_a_batch_and_after_it(
    world: World, sock: Sock, batches: GroupCommit
) -> None:
    question, me = open_for_one(world, sock)
    first, again = ticket(batches, me, question, 0, 5), ticket(batches, me, question, 0, 5)
    batches._run([first, again])
    assert first.answer == again.answer and first.answer is not None and first.answer["ok"]
    later = ticket(batches, me, question, 0, 5)  # the outbox sends it once more, later
    batches._run([later])
    assert later.answer == first.answer
    assert qs.count(world, Answer) == 1
    assert [a.cid for a in applied(world)].count(cid(5)) == 1


def test_two_answers_of_one_phone_in_a_batch_end_as_the_last(
    world: World, sock: Sock, batches: GroupCommit
) -> None:
    question, me = open_for_one(world, sock)
    first, second = ticket(batches, me, question, 0, 1), ticket(batches, me, question, 1, 2)
    batches._run([first, second])
    assert first.answer is not None and second.answer is not None
    assert first.answer["data"]["value"] == 0 and second.answer["data"]["value"] == 1
    assert first.answer["data"]["answer"] == second.answer["data"]["answer"]  # one row, changed
    assert stored(world) == {world.participant.id: 1}


def test_a_batch_that_fails_together_runs_each_alone(
    world: World, sock: Sock, batches: GroupCommit
) -> None:
    question = write_and_open(sock("moderator"))

    def broken(*_args: Any) -> Any:
        raise RuntimeError("the shared transaction failed")

    spec = replace(current().registry.mutations["answer.submit"], apply_many=broken)
    tickets = [
        ticket(batches, phone_of(world, world.participant), question, 0, 1),
        ticket(batches, phone_of(world, world.participant2), question, 1, 2),
    ]
    for t in tickets:
        t.spec = spec
    batches._run(tickets)
    assert all(t.answer is not None and t.answer["ok"] for t in tickets)
    assert stored(world) == {world.participant.id: 0, world.participant2.id: 1}


def test_a_batch_of_two_answers_costs_the_statements_of_one(
    world: World, sock: Sock, batches: GroupCommit
) -> None:
    moderator = sock("moderator")
    question = write_and_open(moderator)
    made = moderator.call("question.create", {"cid": cid(201), **CHOICE, "text": {"en": "2?"}})
    other = int(made["data"]["question"])
    assert moderator.call("question.open", {"cid": cid(202), "question": other})["ok"]
    one = [ticket(batches, phone_of(world, world.participant), question, 0, 1)]
    with statements(db.engine) as alone:
        batches._run(one)
    two = [
        ticket(batches, phone_of(world, world.participant), other, 0, 2),
        ticket(batches, phone_of(world, world.participant2), other, 1, 3),
    ]
    with statements(db.engine) as together:
        batches._run(two)
    assert all(t.answer is not None and t.answer["ok"] for t in one + two)
    assert len(together) <= len(alone), (
        "\n".join(s[:110] for s in together) + "\n---\n" + "\n".join(s[:110] for s in alone)
    )
