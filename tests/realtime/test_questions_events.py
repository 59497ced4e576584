"""Questions, polls and the Q&A over sockets: who receives what, tallies, snapshots, limits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from facilitator.accounts.services import remove_member
from facilitator.extensions import db
from facilitator.questions.limits import CODES
from tests.realtime import questions_support as qs
from tests.realtime.support import (
    Client,
    World,
    as_organiser,
    cid,
    flush_tallies,
    statements,
)
from tests.realtime.test_protocol_doc import PACKAGE, documented, strings_passed_to

Sock = Callable[..., Client]
CHOICE = {
    "type": "choice",
    "text": {"en": "Which?", "ko": "어느?"},
    "options": [{"en": "A"}, {"en": "B"}],
}


def names(client: Client) -> list[str]:
    return [name for name, _ in client.events()]


def room_of_four(sock: Sock) -> tuple[Client, Client, Client, Client]:
    """A console, two phones (en, ko) and a projector."""
    return sock("moderator"), sock("participant"), sock("participant2"), sock("display")


def write_and_open(moderator: Client, payload: dict[str, Any] = CHOICE) -> int:
    made = moderator.call("question.create", {"cid": cid(101), **payload})
    assert made["ok"], made
    question = int(made["data"]["question"])
    assert moderator.call("question.open", {"cid": cid(102), "question": question})["ok"]
    return question


def test_a_question_is_the_consoles_until_it_opens(sock: Sock) -> None:
    moderator, phone, display = sock("moderator"), sock("participant"), sock("display")
    made = moderator.call("question.create", {"cid": cid(1), **CHOICE})
    question = made["data"]["question"]
    [(_, data)] = moderator.events("question.changed")
    assert data["question"]["state"] == "ready" and data["question"]["editable"] is True
    assert data["stream"] == "moderators"
    assert phone.events() == [] and display.events() == []
    moderator.call("question.open", {"cid": cid(2), "question": question})
    [(_, public)] = phone.events("question.changed")
    assert public["question"]["state"] == "open" and public["question"]["input"] == "single"
    assert public["question"]["chart"] == "bars" and "editable" not in public["question"]
    assert public["stream"] == "workshop"


def test_answers_reach_the_consoles_one_by_one_and_everyone_else_as_tallies(
    app: Flask, sock: Sock
) -> None:
    moderator, phone, other, display = room_of_four(sock)
    question = write_and_open(moderator)
    flush_tallies(app)
    for client in (moderator, phone, other, display):
        client.events()
    ack = phone.call("answer.submit", {"cid": cid(1), "question": question, "value": 1})
    assert ack["ok"] and ack["data"]["value"] == 1
    [(_, added)] = moderator.events("answer.changed")
    assert added["answer"]["value"] == 1 and added["answer"]["name"] == "Ana"
    [(_, mine)] = phone.events("answer.mine")
    assert mine["stream"] == "participant" and [a["value"] for a in mine["answers"]] == [1]
    assert other.events() == [] and display.events() == []  # no message per answer

    flush_tallies(app)
    [(_, counts)] = moderator.events("question.counts")
    assert counts["questions"] == [
        {
            "question": question,
            "answers": 1,
            "participants": 1,
            "results": {"answers": 1, "options": [0, 1]},
        }
    ]
    assert counts["connected"] == 2
    # Nothing revealed: the results tally has nothing new for the room, and is not sent.
    assert "question.results" not in names(display)
    moderator.call("question.reveal", {"cid": cid(3), "question": question})
    flush_tallies(app)
    _, shown = other.events("question.results")[-1]
    assert shown["results"] == [
        {"question": question, "results": {"answers": 1, "options": [0, 1]}}
    ]


def test_a_closed_question_refuses_answers_and_stores_nothing(sock: Sock, world: World) -> None:
    moderator, phone = sock("moderator"), sock("participant")
    question = write_and_open(moderator)
    moderator.call("question.close", {"cid": cid(3), "question": question})
    ack = phone.call("answer.submit", {"cid": cid(1), "question": question, "value": 0})
    assert ack["error"]["code"] == "question_closed"
    assert qs.count(world, qs.Answer) == 0
    ack = phone.call("answer.submit", {"cid": cid(2), "question": question, "value": 7})
    assert ack["error"]["code"] == "question_closed"  # closed is said before invalid


def test_an_invalid_answer_is_refused_with_its_code(sock: Sock) -> None:
    moderator, phone = sock("moderator"), sock("participant")
    question = write_and_open(moderator)
    for n, (value, code) in enumerate(
        [(7, "unknown_option"), ("A", "answer_type"), ([0], "answer_type")]
    ):
        ack = phone.call("answer.submit", {"cid": cid(n + 1), "question": question, "value": value})
        assert ack["error"]["code"] == code


def test_answers_have_a_rate_limit_of_their_own(app: Flask, sock: Sock) -> None:
    app.config["ANSWER_RATE"] = "2/minute"
    moderator, phone = sock("moderator"), sock("participant")
    question = write_and_open(moderator)
    acks = [
        phone.call("answer.submit", {"cid": cid(n), "question": question, "value": n % 2})
        for n in range(1, 4)
    ]
    assert [a["ok"] for a in acks] == [True, True, False]
    assert acks[2]["error"]["code"] == "answers_rate_limited"
    assert acks[2]["error"]["details"] == {"limit": "answers"}
    # votes are another budget
    asked = phone.call("qa.ask", {"cid": cid(9), "text": "Why?"})
    assert phone.call("qa.vote", {"cid": cid(10), "question": asked["data"]["question"]})["ok"]


def test_questions_open_with_their_item(app: Flask, sock: Sock) -> None:
    moderator, phone = sock("moderator"), sock("participant")
    moderator.call("live.sync", {})  # the console's first sync adopts the agenda's questions
    assert moderator.call("question.configure", {"cid": cid(1), "auto_open": True})["ok"]
    moderator.call("live.goto", {"cid": cid(2), "item": "discussion"})
    flush_tallies(app)
    [(_, listed)] = phone.events("question.open_list")
    assert [q["key"] for q in listed["questions"]] == [
        "benefit",
        "role-of-governments",
        "challenges",
        "recovery",
    ]
    assert all(q["items"] == ["discussion"] and q["input"] == "text" for q in listed["questions"])
    question = listed["questions"][0]["id"]
    ack = phone.call("answer.submit", {"cid": cid(3), "question": question, "value": "Trust"})
    assert ack["ok"], ack
    moderator.call("live.next", {"cid": cid(4)})
    flush_tallies(app)
    [(_, listed)] = phone.events("question.open_list")
    assert listed["questions"] == []
    ack = phone.call("answer.submit", {"cid": cid(5), "question": question, "value": "Later"})
    assert ack["error"]["code"] == "question_closed"


def test_snapshots_give_each_screen_its_part(sock: Sock) -> None:
    moderator, phone, display = sock("moderator"), sock("participant"), sock("display")
    question = write_and_open(moderator)
    phone.call("answer.submit", {"cid": cid(1), "question": question, "value": 0})
    asked = sock("participant2").call("qa.ask", {"cid": cid(2), "text": "Why?"})["data"]["question"]
    moderator.call("qa.pin", {"cid": cid(3), "question": asked})

    mine = phone.call("live.sync", {})["data"]
    assert [q["id"] for q in mine["questions"]["list"]] == [question]
    assert [a["value"] for a in mine["questions"]["mine"]] == [0]
    assert mine["questions"]["results"] == []  # not revealed
    assert [q["id"] for q in mine["qa"]["questions"]] == [asked] and mine["qa"]["voted"] == []

    shown = display.call("live.sync", {})["data"]
    assert "mine" not in shown["questions"]
    assert [q["id"] for q in shown["qa"]["pinned"]] == [asked] and shown["qa"]["top"] == []

    console = moderator.call("live.sync", {})["data"]["questions"]
    assert len(console["list"]) == 5  # the agenda's four, adopted, and the one written live
    assert [a["value"] for a in console["answers"]] == [0]
    assert console["settings"] == {"auto_open": False}
    assert console["counts"]["questions"][0]["answers"] == 1


def test_a_phones_snapshot_costs_a_few_queries_of_questions(sock: Sock) -> None:
    moderator, phone = sock("moderator"), sock("participant")
    question = write_and_open(moderator)
    phone.call("answer.submit", {"cid": cid(1), "question": question, "value": 0})
    moderator.call("question.reveal", {"cid": cid(3), "question": question})
    sock("participant2").call("qa.ask", {"cid": cid(2), "text": "Why?"})
    with statements(db.engine) as sent:
        assert phone.call("live.sync", {})["ok"]
    ours = [s for s in sent if any(t in s for t in ("FROM question", "FROM answer", "FROM qa_"))]
    assert len(ours) <= 9, ours
    assert not any(s.startswith(("INSERT", "UPDATE")) for s in sent), sent


def test_pre_moderated_questions_wait_for_approval(sock: Sock) -> None:
    moderator, asker, other = sock("moderator"), sock("participant"), sock("participant2")
    moderator.call("qa.configure", {"cid": cid(1), "moderated": True})
    for client in (moderator, asker, other):
        client.events()
    ack = asker.call("qa.ask", {"cid": cid(2), "text": "Is it on?", "anonymous": True})
    assert ack["data"]["status"] == "pending"
    [(_, own)] = asker.events("qa.mine")
    assert own["question"]["status"] == "pending" and own["question"]["name"] is None
    assert "hidden" not in own["question"]
    assert other.events() == []
    [(_, staff)] = moderator.events("qa.staff")
    assert staff["question"]["participant"] is not None and staff["question"]["hidden"] is False
    question = ack["data"]["question"]
    assert other.call("qa.vote", {"cid": cid(3), "question": question})["error"]["code"] == (
        "unknown_question"
    )
    moderator.call("qa.approve", {"cid": cid(4), "question": question})
    [(_, public)] = other.events("qa.question")
    assert public["question"]["status"] == "open" and "participant" not in public["question"]
    asker.events()
    moderator.call("qa.hide", {"cid": cid(5), "question": question})
    [(_, removed)] = other.events("qa.removed")
    assert removed["question"] == question
    [(_, still_mine)] = asker.events("qa.mine")  # the asker is not told it was hidden
    assert still_mine["question"]["status"] == "open" and "hidden" not in still_mine["question"]


def test_votes_go_out_as_a_tally(app: Flask, sock: Sock) -> None:
    moderator, phone, other, display = room_of_four(sock)
    asked = other.call("qa.ask", {"cid": cid(1), "text": "Why?"})["data"]["question"]
    for n in range(3):  # repeated: still one vote
        assert phone.call("qa.vote", {"cid": cid(10 + n), "question": asked})["ok"]
    [(_, voted)] = phone.events("qa.voted")[:1]
    assert voted["question"] == asked and voted["voted"] is True
    flush_tallies(app)
    [(_, tally)] = display.events("qa.votes")
    assert tally["votes"] == [[asked, 1]]
    assert moderator.call(
        "qa.answer", {"cid": cid(20), "question": asked, "by_name": "Ana", "text": "Soon."}
    )["ok"]
    _, answered = display.events("qa.question")[-1]
    assert answered["question"]["answer"]["by_name"] == "Ana"


def test_a_speaker_link_lists_their_questions_by_votes(app: Flask, sock: Sock) -> None:
    moderator, phone, other = sock("moderator"), sock("participant"), sock("participant2")
    first = phone.call("qa.ask", {"cid": cid(1), "text": "First?", "speaker": "young-kim"})
    second = other.call("qa.ask", {"cid": cid(2), "text": "Second?", "speaker": "young-kim"})
    phone.call("qa.ask", {"cid": cid(3), "text": "To someone else?", "speaker": "dara-huot"})
    phone.call("qa.vote", {"cid": cid(4), "question": second["data"]["question"]})
    link = moderator.call("qa.speaker_link", {"cid": cid(5), "speaker": "young-kim"})["data"]
    client = app.test_client()
    listed = client.get(f"/speaker/{link['token']}.json").get_json()
    assert listed["speaker"] == {"key": "young-kim", "name": "Young Kim"}
    assert [q["text"] for q in listed["questions"]] == ["Second?", "First?"]
    assert [q["votes"] for q in listed["questions"]] == [1, 0]
    assert first["data"]["question"] != second["data"]["question"]
    assert client.get("/speaker/not-a-token.json").status_code == 404


def test_hiding_a_participant_hides_their_answers_and_questions(sock: Sock, world: World) -> None:
    moderator, phone, other = sock("moderator"), sock("participant"), sock("participant2")
    question = write_and_open(moderator)
    phone.call("answer.submit", {"cid": cid(1), "question": question, "value": 1})
    asked = phone.call("qa.ask", {"cid": cid(2), "text": "Spam?"})["data"]["question"]
    other.events()
    ack = moderator.call(
        "moderation.hide_participant", {"cid": cid(3), "participant": world.participant.id}
    )
    assert ack["data"] == {"answers": 1, "questions": 1}
    [(_, removed)] = other.events("qa.removed")
    assert removed["question"] == asked
    [(_, hidden)] = moderator.events("moderation.hidden")
    assert hidden["participant"] == world.participant.id and len(hidden["answers"]) == 1


def test_questions_have_their_own_rate_limit(app: Flask, sock: Sock) -> None:
    app.config["QA_QUESTION_RATE"] = "1/minute"
    phone = sock("participant")
    assert phone.call("qa.ask", {"cid": cid(1), "text": "One?"})["ok"]
    ack = phone.call("qa.ask", {"cid": cid(2), "text": "Two?"})
    assert ack["error"]["code"] == "questions_rate_limited"
    assert sock("participant2").call("qa.ask", {"cid": cid(3), "text": "Mine?"})["ok"]


def test_the_protocol_doc_names_every_refusal_of_questions_and_qa() -> None:
    codes: set[str] = set()
    for path in [*(PACKAGE / "questions").glob("*.py"), *(PACKAGE / "qa").glob("*.py")]:
        codes |= strings_passed_to(path, "QuestionRefused", "AnswerRefused", "QaRefused")
    codes |= set(CODES.values())
    assert len(codes) > 30, "the test's parsing is out of date"
    assert not codes - documented(), sorted(codes - documented())


def test_a_breakdown_rechecks_the_moderators_role(sock: Sock, world: World) -> None:
    moderator = sock("moderator")
    question = write_and_open(moderator)
    query = {"question": question, "by": "country"}
    assert moderator.call("question.breakdown", query)["data"]["groups"] == []
    s, organiser, workshop = as_organiser(world)
    with s:
        remove_member(s, organiser, workshop, world.user_ids["moderator"])
        s.commit()
    assert moderator.call("question.breakdown", query)["error"]["code"] == "forbidden"


def test_phones_get_results_once_a_second_and_projectors_each_tick(
    app: Flask, sock: Sock, monkeypatch: pytest.MonkeyPatch
) -> None:
    moderator, phone, other, display = room_of_four(sock)
    question = write_and_open(moderator)
    moderator.call("question.reveal", {"cid": cid(3), "question": question})
    clock = [1000.0]
    monkeypatch.setattr("facilitator.realtime.runtime.time.monotonic", lambda: clock[0])
    flush_tallies(app, paced=True)
    for client in (moderator, phone, other, display):
        client.events()

    def answered(n: int) -> list[int]:
        """An answer, a tick later: the answers each screen's last results count."""
        ack = phone.call(
            "answer.submit", {"cid": cid(10 + n), "question": question, "value": n % 2}
        )
        assert ack["ok"]
        clock[0] += 0.25
        flush_tallies(app, paced=True)
        return [
            data["results"][0]["results"]["options"][1]
            for client in (display, other)
            for _name, data in client.events("question.results")[-1:]
        ]

    # The projector follows each tick; the other phone's count waits for its second.
    assert answered(1) == [1]  # a quarter second after the last: the projector only
    assert answered(2) == [0]
    assert answered(3) == [1]
    assert answered(4) == [0, 0]  # a second since the phones' last count: theirs too
    assert moderator.events("question.results") == []  # consoles count with question.counts


def test_a_phones_two_counts_of_a_second_go_out_on_two_ticks(
    app: Flask, sock: Sock, monkeypatch: pytest.MonkeyPatch
) -> None:
    moderator, phone, display = sock("moderator"), sock("participant"), sock("display")
    question = write_and_open(moderator)
    moderator.call("question.reveal", {"cid": cid(3), "question": question})
    asked = phone.call("qa.ask", {"cid": cid(4), "text": "Why?"})["data"]["question"]
    assert phone.call("qa.vote", {"cid": cid(5), "question": asked})["ok"]
    clock = [1000.0]
    monkeypatch.setattr("facilitator.realtime.runtime.time.monotonic", lambda: clock[0])
    for client in (phone, display):
        client.events()

    def tick() -> tuple[list[str], list[str]]:
        flush_tallies(app, paced=True)
        clock[0] += 0.25
        counts = ("question.results", "qa.votes")
        return [n for n in names(phone) if n in counts], [n for n in names(display) if n in counts]

    # The projector gets both counts at once; a thousand phones never get two sends in
    # one tick (the server would stall on two fan-outs back to back), but both within it.
    first, on_display = tick()
    assert len(first) == 1 and sorted(on_display) == ["qa.votes", "question.results"]
    second, _ = tick()
    assert len(second) == 1 and {*first, *second} == {"qa.votes", "question.results"}
