"""Every client -> server event x every kind of sender, payload checks and forged ids.

Each case arranges the workshop so that the event, sent by someone allowed, would
change something; then it checks that the allowed senders change exactly that and
that everyone else is refused with `forbidden` and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from facilitator.accounts.services import remove_member
from facilitator.database import utcnow
from facilitator.live import services
from facilitator.live.models import LiveState, Phase
from facilitator.participation.models import Participant
from facilitator.record.models import Note
from tests.realtime import board_support as bs
from tests.realtime import breakouts_support as fs
from tests.realtime import questions_support as qs
from tests.realtime.support import (
    CONNECTED,
    REFUSED,
    Client,
    World,
    applied,
    as_organiser,
    fingerprint,
    participant_row,
    state_of,
    stream_seq,
)

Sock = Callable[..., Client]
MISSING: Any = object()  # in Case.bad: leave the field out
STAFF = frozenset({"moderator", "organiser"})
EVERYONE = frozenset(CONNECTED)


def start(world: World) -> None:
    s, user, workshop = as_organiser(world)
    with s:
        services.start(s, user, workshop, utcnow())
        s.commit()


def start_and_pause(world: World) -> None:
    start(world)
    s, user, workshop = as_organiser(world)
    with s:
        services.pause_timer(s, user, workshop, utcnow())
        s.commit()


def start_and_add_five(world: World) -> None:
    start(world)
    s, user, workshop = as_organiser(world)
    with s:
        services.adjust_timer(s, user, workshop, 5, utcnow())
        s.commit()


def nothing(world: World) -> None:
    pass


@dataclass(frozen=True)
class Case:
    event: str
    payload: dict[str, Any]
    senders: frozenset[str]
    arrange: Callable[[World], None] = nothing
    # Whether the allowed sender changed what it should, given the live row before.
    effect: Callable[[World, LiveState], bool] = lambda world, before: True
    result: Any = None
    mutation: bool = True
    bad: list[dict[str, Any]] = field(default_factory=list)  # invalid field values
    seqs: int = 1  # numbers the event takes on the workshop stream


def _current(world: World) -> str | None:
    item = state_of(world).current_item
    return None if item is None else item.key


CASES = [
    Case(
        "live.start",
        {},
        STAFF,
        effect=lambda w, b: state_of(w).phase is Phase.RUNNING and _current(w) == w.items[0],
    ),
    Case(
        "live.goto",
        {"item": "speaker-2"},
        STAFF,
        effect=lambda w, b: _current(w) == "speaker-2",
        bad=[
            {"item": MISSING},
            {"item": 5},
            {"item": "Speaker 2"},
            {"item": ""},
            {"item": "x" * 65},
            {"item": None},
        ],
    ),
    Case(
        "live.next",
        {},
        STAFF,
        arrange=start,
        effect=lambda w, b: _current(w) == w.items[1],
    ),
    Case(
        "live.end",
        {},
        STAFF,
        arrange=start,
        effect=lambda w, b: state_of(w).phase is Phase.ENDED,
    ),
    Case(
        "timer.pause",
        {},
        STAFF,
        arrange=start,
        effect=lambda w, b: state_of(w).timer_running_since is None,
    ),
    Case(
        "timer.resume",
        {},
        STAFF,
        arrange=start_and_pause,
        effect=lambda w, b: state_of(w).timer_running_since is not None,
    ),
    Case(
        "timer.adjust",
        {"minutes": 5},
        STAFF,
        arrange=start,
        effect=lambda w, b: state_of(w).timer_duration_s == b.timer_duration_s + 300,
        bad=[
            {"minutes": MISSING},
            {"minutes": "5"},
            {"minutes": 5.5},
            {"minutes": True},
            {"minutes": 121},
            {"minutes": -121},
            {"minutes": None},
            {"minutes": 2**63},
            {"minutes": -(2**64)},
        ],
    ),
    Case(
        "timer.reset",
        {},
        STAFF,
        arrange=start_and_add_five,
        effect=lambda w, b: state_of(w).timer_duration_s == b.timer_duration_s - 300,
    ),
    Case(
        "live.reset",
        {"confirm": "SLUG"},
        STAFF,
        arrange=start,
        effect=lambda w, b: state_of(w).phase is Phase.WAITING and state_of(w).current_item is None,
        bad=[{"confirm": MISSING}, {"confirm": 5}, {"confirm": "x" * 65}, {"confirm": None}],
        seqs=2,  # live.state, then live.cleared (every screen resyncs)
    ),
    Case(
        "joining.lock",
        {"locked": True},
        STAFF,
        effect=lambda w, b: state_of(w).joining_locked,
        bad=[{"locked": MISSING}, {"locked": "yes"}, {"locked": 1}, {"locked": None}],
    ),
    Case(
        "message.broadcast",
        {"text": "Coffee is served"},
        STAFF,
        effect=lambda w, b: state_of(w).message == "Coffee is served",
        bad=[{"text": 5}, {"text": "x" * 281}, {"text": ["a"]}],
    ),
    Case(
        "participant.remove",
        {"participant": "P2"},
        STAFF,
        effect=lambda w, b: participant_row(w, w.participant2.id).removed_at is not None,
        bad=[
            {"participant": MISSING},
            {"participant": "2"},
            {"participant": 0},
            {"participant": -1},
            {"participant": 2.0},
            {"participant": True},
            {"participant": 2**63},  # would overflow the database's integer
            {"participant": 10**30},
        ],
    ),
    Case(
        "participant.language",
        {"language": "fr"},
        frozenset({"participant"}),
        effect=lambda w, b: participant_row(w, w.participant.id).language == "fr",
        result={"language": "fr"},
        bad=[{"language": MISSING}, {"language": 7}, {"language": "x"}, {"language": "x" * 36}],
    ),
    Case(
        "participant.profile",
        {
            "organisation": "City of Seoul",
            "country": "KR",
            "stakeholder_type": "local-government",
            "organisation_type": "public-body",
        },
        frozenset({"participant"}),
        effect=lambda w, b: participant_row(w, w.participant.id).organisation_type == "public-body",
        result={
            "organisation": "City of Seoul",
            "country": "KR",
            "stakeholder_type": "local-government",
            "organisation_type": "public-body",
        },
        bad=[
            {"organisation": "x" * 201},
            {"organisation": 5},
            {"country": "KOR"},
            {"country": 1},
            {"stakeholder_type": "x" * 65},
            {"stakeholder_type": ["academia"]},
            {"organisation_type": "x" * 65},
            {"organisation_type": 3},
        ],
    ),
    Case(
        "live.sync",
        {"streams": {"workshop": 0}},
        EVERYONE,
        mutation=False,
        bad=[
            {"streams": {"workshop": "3"}},
            {"streams": {"workshop": -2}},
            {"streams": {"workshop": 1.5}},
            {"streams": {"workshop": 2**63}},
            {"streams": {"everything": 1}},
            {"streams": [1]},
        ],
    ),
    Case("clock.ping", {}, EVERYONE, mutation=False),
]

# --- questions and polls, and the audience Q&A (issue 10) ---------------------------------

PHONE = frozenset({"participant"})
QUESTION_BAD = [
    {"question": MISSING},
    {"question": "1"},
    {"question": 0},
    {"question": 2**63},
    {"question": None},
]
WRITE = {"type": "choice", "text": {"en": "Which?"}, "options": [{"en": "A"}, {"en": "B"}]}
WRITE_BAD = [
    {"type": "poll"},
    {"type": MISSING},
    {"text": {"en": "x" * 501}},
    {"text": {}},
    {"text": "Which?"},
    {"options": [{"en": "A"}] * 13},
    {"max_answers": 11},
    {"max_answers": 0},
]
IS_ID = qs.Matches(lambda d: isinstance(d, dict) and isinstance(d.get("question"), int))

CASES += [
    Case(
        "question.create",
        WRITE,
        STAFF,
        effect=lambda w, b: qs.question(w).type == "choice" and qs.question(w).state == "ready",
        result=IS_ID,
        seqs=0,
        bad=WRITE_BAD,
    ),
    Case(
        "question.edit",
        {**WRITE, "question": qs.question_id, "text": {"en": "Which one?"}},
        STAFF,
        arrange=qs.write,
        effect=lambda w, b: qs.question(w).text == {"en": "Which one?"},
        seqs=0,
        bad=[*QUESTION_BAD, *WRITE_BAD],
    ),
    Case(
        "question.open",
        {"question": qs.question_id},
        STAFF,
        arrange=qs.write,
        effect=lambda w, b: qs.question(w).state == "open",
        bad=QUESTION_BAD,
    ),
    Case(
        "question.close",
        {"question": qs.question_id},
        STAFF,
        arrange=qs.write_open,
        effect=lambda w, b: qs.question(w).state == "closed",
        bad=QUESTION_BAD,
    ),
    Case(
        "question.limit",
        {"question": qs.question_id, "max_answers": 5},
        STAFF,
        arrange=qs.write_open_text,
        effect=lambda w, b: qs.question(w).max_answers == 5,
        bad=[*QUESTION_BAD, {"max_answers": 0}, {"max_answers": 11}, {"max_answers": MISSING}],
    ),
    Case(
        "question.reveal",
        {"question": qs.question_id, "revealed": True},
        STAFF,
        arrange=qs.write_open,
        effect=lambda w, b: qs.question(w).revealed,
        bad=[*QUESTION_BAD, {"revealed": "yes"}],
    ),
    Case(
        "question.configure",
        {"auto_open": True},
        STAFF,
        effect=lambda w, b: qs.auto_open(w),
        seqs=0,
        bad=[{"auto_open": MISSING}, {"auto_open": 1}],
    ),
    Case(
        "question.breakdown",
        {"question": qs.question_id, "by": "language"},
        STAFF,
        arrange=qs.answered,
        mutation=False,
        result=qs.Matches(
            lambda d: d["groups"] == [{"group": "en", "results": {"answers": 1, "options": [0, 1]}}]
        ),
        bad=[*QUESTION_BAD, {"by": "shoe_size"}, {"by": MISSING}],
    ),
    Case(
        "answer.submit",
        {"question": qs.question_id, "value": 1},
        PHONE,
        arrange=qs.write_open,
        effect=lambda w, b: qs.count(w, qs.Answer) == 1,
        result=qs.Matches(lambda d: d["value"] == 1 and isinstance(d["answer"], int)),
        seqs=0,
        bad=[
            *QUESTION_BAD,
            {"value": MISSING},
            {"value": "x" * 1001},
            {"value": 10**6},
            {"value": 1.5},
            {"value": {"a": 1}},
            {"value": ["w"] * 13},
            {"answer": 0},
        ],
    ),
    Case(
        "answer.withdraw",
        {"answer": qs.answer_id},
        PHONE,
        arrange=qs.answered,
        effect=lambda w, b: qs.count(w, qs.Answer) == 0,
        seqs=0,
        bad=[{"answer": MISSING}, {"answer": 0}, {"answer": "1"}, {"answer": 2**63}],
    ),
    Case(
        "answer.hide",
        {"answer": qs.answer_id, "hidden": True},
        STAFF,
        arrange=qs.answered,
        effect=lambda w, b: qs.count(w, qs.Answer, qs.Answer.hidden.is_(True)) == 1,
        seqs=0,
        bad=[{"answer": MISSING}, {"answer": -1}, {"hidden": "no"}],
    ),
    Case(
        "answer.highlight",
        {"answer": qs.answer_id, "highlighted": True},
        STAFF,
        arrange=qs.answered,
        effect=lambda w, b: qs.count(w, qs.Answer, qs.Answer.highlighted.is_(True)) == 1,
        seqs=0,
        bad=[{"answer": MISSING}, {"answer": 2**40}, {"highlighted": None}],
    ),
    Case(
        "word.hide",
        {"question": qs.question_id, "word": "Solidarity", "hidden": True},
        STAFF,
        arrange=qs.answered_words,
        effect=lambda w, b: qs.count(w, qs.WordRule, qs.WordRule.hidden.is_(True)) == 1,
        seqs=0,
        bad=[*QUESTION_BAD, {"word": MISSING}, {"word": "x" * 201}, {"word": 5}],
    ),
    Case(
        "word.merge",
        {"question": qs.question_id, "word": "Solidarity", "into": "solidarité"},
        STAFF,
        arrange=qs.answered_words,
        effect=lambda w, b: qs.count(w, qs.WordRule, qs.WordRule.into == "solidarité") == 1,
        seqs=0,
        bad=[*QUESTION_BAD, {"word": MISSING}, {"into": "x" * 201}, {"into": 5}],
    ),
    Case(
        "moderation.hide_participant",
        {"participant": "P2"},
        STAFF,
        arrange=qs.asked,
        effect=lambda w, b: qs.qa_row(w).hidden,
        result={"answers": 0, "questions": 1},
        bad=[{"participant": MISSING}, {"participant": 0}, {"participant": 2**63}],
    ),
    Case(
        "qa.ask",
        {"text": "Why?", "anonymous": True, "speaker": "young-kim"},
        PHONE,
        effect=lambda w, b: qs.qa_row(w).name is None and qs.qa_row(w).status == "open",
        result=qs.Matches(lambda d: d["status"] == "open" and isinstance(d["question"], int)),
        bad=[
            {"text": MISSING},
            {"text": ""},
            {"text": "x" * 501},
            {"anonymous": "yes"},
            {"speaker": "Young Kim"},
        ],
    ),
    Case(
        "qa.add",
        {"text": "From the chat", "name": "Janick", "language": "en"},
        STAFF,
        effect=lambda w, b: qs.qa_row(w).name == "Janick",
        result=IS_ID,
        bad=[{"text": MISSING}, {"name": "x" * 81}, {"language": "x"}, {"language": MISSING}],
    ),
    Case(
        "qa.vote",
        {"question": qs.qa_id, "voted": True},
        PHONE,
        arrange=qs.asked,
        effect=lambda w, b: qs.count(w, qs.Upvote) == 1,
        seqs=0,
        bad=[*QUESTION_BAD, {"voted": 1}],
    ),
    Case(
        "qa.edit",
        {"question": qs.qa_id, "text": "Why now, exactly?"},
        STAFF,
        arrange=qs.asked,
        effect=lambda w, b: qs.qa_row(w).text == "Why now, exactly?",
        bad=[*QUESTION_BAD, {"text": MISSING}, {"text": "x" * 501}],
    ),
    Case(
        "qa.approve",
        {"question": qs.qa_id},
        STAFF,
        arrange=qs.asked_pending,
        effect=lambda w, b: qs.qa_row(w).status == "open",
        bad=QUESTION_BAD,
    ),
    Case(
        "qa.hide",
        {"question": qs.qa_id, "hidden": True},
        STAFF,
        arrange=qs.asked,
        effect=lambda w, b: qs.qa_row(w).hidden,
        bad=[*QUESTION_BAD, {"hidden": 0}],
    ),
    Case(
        "qa.pin",
        {"question": qs.qa_id, "pinned": True},
        STAFF,
        arrange=qs.asked,
        effect=lambda w, b: qs.qa_row(w).pinned,
        bad=[*QUESTION_BAD, {"pinned": "true"}],
    ),
    Case(
        "qa.answer",
        {"question": qs.qa_id, "by_person": "young-kim", "text": "Because."},
        STAFF,
        arrange=qs.asked,
        effect=lambda w, b: qs.qa_row(w).status == "answered",
        bad=[*QUESTION_BAD, {"by_person": "Young"}, {"by_name": "x" * 81}, {"text": "x" * 501}],
    ),
    Case(
        "qa.configure",
        {"moderated": True, "names": "named"},
        STAFF,
        effect=lambda w, b: qs.qa_moderated(w),
        bad=[{"moderated": "yes"}, {"names": "nobody"}],
    ),
    Case(
        "qa.speaker_link",
        {"speaker": "young-kim"},
        STAFF,
        effect=lambda w, b: qs.count(w, qs.SpeakerLink) == 1,
        result=qs.Matches(lambda d: d["speaker"] == "young-kim" and len(d["token"]) >= 24),
        seqs=0,
        bad=[{"speaker": MISSING}, {"speaker": ""}, {"speaker": "x" * 65}],
    ),
    Case(
        "record.note",
        {
            "kind": "summary",
            "item": "speaker-2",
            "person": "young-kim",
            "text": "A summary.",
            "based_on": 0,
        },
        STAFF,
        effect=lambda w, b: qs.count(w, Note) == 1,
        result=qs.Matches(lambda d: d["version"] == 1 and d["person"] == "young-kim"),
        seqs=0,
        bad=[{"kind": "minutes"}, {"based_on": -1}, {"text": "x" * 20_001}, {"person": "Young"}],
    ),
]
# --- the boards of breakout groups (issue 11) ----------------------------------------------

MEMBER_OR_STAFF = PHONE | STAFF
CARD_BAD = [{"card": MISSING}, {"card": 0}, {"card": "1"}, {"card": 2**63}, {"card": None}]
IS_CARD = qs.Matches(lambda d: isinstance(d, dict) and isinstance(d.get("card"), int))

CASES += [
    Case(
        "breakouts.card.add",
        {"group": bs.group_a, "block": "legal", "column": 1, "text": "A new card"},
        MEMBER_OR_STAFF,
        arrange=bs.arrange,
        effect=lambda w, b: bs.count(w, bs.Card, bs.Card.text == "A new card") == 1,
        result=qs.Matches(lambda d: isinstance(d["card"], int) and d["version"] == 1),
        seqs=0,
        bad=[
            {"group": MISSING},
            {"group": 0},
            {"block": "Legal frameworks"},
            {"block": MISSING},
            {"column": -1},
            {"column": 100},
            {"column": "1"},
            {"text": ""},
            {"text": "x" * 281},
            {"text": MISSING},
        ],
    ),
    Case(
        "breakouts.card.edit",
        {"card": bs.card_id, "text": "An edited card", "version": 1},
        MEMBER_OR_STAFF,  # the participant is its author
        arrange=bs.arrange,
        effect=lambda w, b: (bs.card(w).text, bs.card(w).version) == ("An edited card", 2),
        result=qs.Matches(lambda d: d["version"] == 2 and isinstance(d["card"], int)),
        seqs=0,
        bad=[*CARD_BAD, {"version": MISSING}, {"version": -1}, {"text": "x" * 281}],
    ),
    Case(
        "breakouts.card.remove",
        {"card": bs.card_id},
        MEMBER_OR_STAFF,
        arrange=bs.arrange,
        effect=lambda w, b: bs.card(w).removed,
        result=IS_CARD,
        seqs=0,
        bad=CARD_BAD,
    ),
    Case(
        "breakouts.card.move",
        {"card": bs.card_id, "column": 2},
        MEMBER_OR_STAFF,
        arrange=bs.arrange,
        effect=lambda w, b: bs.card(w).column == 2,
        result=IS_CARD,
        seqs=0,
        bad=[*CARD_BAD, {"column": MISSING}, {"column": -1}, {"block": "x" * 65}],
    ),
    Case(
        "breakouts.card.merge",
        {"card": bs.card_id, "into": bs.card2_id},
        MEMBER_OR_STAFF,
        arrange=bs.arrange,
        effect=lambda w, b: bs.card(w).cluster_id == bs.card2_id(w),
        result=IS_CARD,
        seqs=0,
        bad=[*CARD_BAD, {"into": MISSING}, {"into": 0}, {"into": "2"}],
    ),
    Case(
        "breakouts.card.unmerge",
        {"card": bs.card_id},
        MEMBER_OR_STAFF,
        arrange=bs.merged,
        effect=lambda w, b: bs.card(w).cluster_id is None,
        result=IS_CARD,
        seqs=0,
        bad=CARD_BAD,
    ),
    Case(
        "breakouts.vote",
        {"card": bs.card_id, "voted": True},
        PHONE,
        arrange=bs.arrange,
        effect=lambda w, b: bs.count(w, bs.CardVote) == 1,
        result=qs.Matches(lambda d: d["voted"] is True and d["votes_left"] == 2),
        seqs=0,
        bad=[*CARD_BAD, {"voted": MISSING}, {"voted": "yes"}, {"voted": 1}],
    ),
    Case(
        "breakouts.phase",
        {"phase": "cluster"},
        MEMBER_OR_STAFF,  # the participant is group A's rapporteur: their own group
        arrange=bs.arrange,
        effect=lambda w, b: bs.phase_of(w, bs.group_a(w)) == "cluster",
        result=qs.Matches(lambda d: d["phase"] == "cluster" and bs_group_a_in(d)),
        seqs=0,
        bad=[
            {"phase": MISSING},
            {"phase": "dance"},
            {"group": 0},
            {"deadline_s": -1},
            {"deadline_s": 14_401},
            {"deadline_s": "60"},
            {"votes": 0},
            {"votes": 21},
            {"votes": "3"},
        ],
    ),
    Case(
        "breakouts.assess",
        {"block": "legal", "value": 4},
        PHONE,
        arrange=bs.arrange,
        effect=lambda w, b: bs.count(w, bs.Assessment, bs.Assessment.value == 4) == 1,
        result={"block": "legal", "value": 4},
        seqs=0,
        bad=[
            {"block": MISSING},
            {"value": MISSING},
            {"value": "4"},
            {"value": 4.5},
            {"value": 10**6},
        ],
    ),
    Case(
        "breakouts.synthesis",
        {"group": bs.group_a, "text": "# Our synthesis", "version": 0},
        MEMBER_OR_STAFF,  # the participant is group A's rapporteur
        arrange=bs.arrange,
        effect=lambda w, b: bs.synthesis_text(w) == "# Our synthesis",
        result=qs.Matches(lambda d: d["version"] == 1 and isinstance(d["group"], int)),
        seqs=0,
        bad=[{"group": MISSING}, {"text": "x" * 5001}, {"version": -1}, {"version": MISSING}],
    ),
]


# --- breakouts: forming and running groups (issue 11) ---------------------------------------

GROUP_BAD = [{"group": 0}, {"group": "1"}, {"group": 2**63}]
IS_INT = lambda key: qs.Matches(lambda d: isinstance(d, dict) and isinstance(d.get(key), int))  # noqa: E731

CASES += [
    Case(
        "breakouts.preview",
        {"mode": "random", "groups": 2},
        STAFF,
        effect=lambda w, b: fs.state(w) == "preview" and fs.group_count(w) == 2,
        result=IS_INT("round"),
        bad=[
            {"mode": MISSING},
            {"mode": "shuffled"},
            {"groups": 0},
            {"groups": 201},
            {"groups": "2"},
            {"size": -1},
            {"max_size": 1001},
            {"item": "Not An Item"},
            {"blocks": ["Legal frameworks"]},
            {"blocks": ["legal"] * 51},
        ],
    ),
    Case(
        "breakouts.move",
        {"participant": "P2", "group": fs.group_a},
        STAFF,
        arrange=fs.opened,
        effect=lambda w, b: fs.group_of(w, w.participant2.id) == fs.group_a(w),
        bad=[{"participant": MISSING}, {"participant": 0}, {"group": MISSING}, *GROUP_BAD],
    ),
    Case(
        "breakouts.group.edit",
        {"group": fs.group_a, "name": "Seoul", "meeting_url": "https://meet.jit.si/seoul"},
        STAFF,
        arrange=fs.formed,
        effect=lambda w, b: getattr(fs.group_row(w, fs.group_a(w)), "name", None) == "Seoul",
        bad=[
            {"group": MISSING},
            *GROUP_BAD,
            {"name": "x" * 81},
            {"meeting_url": "x" * 2049},
            {"blocks": "legal"},
        ],
    ),
    Case(
        "breakouts.group.add",
        {"name": "Extra"},
        STAFF,
        arrange=fs.formed,
        effect=lambda w, b: fs.group_count(w) == 3,
        result=IS_INT("group"),
        bad=[{"name": "x" * 81}, {"blocks": [5]}],
    ),
    Case(
        "breakouts.group.remove",
        {"group": fs.group_b},
        STAFF,
        arrange=fs.formed,
        effect=lambda w, b: fs.group_count(w) == 1,
        bad=[{"group": MISSING}, *GROUP_BAD],
    ),
    Case(
        "breakouts.rapporteur",
        {"group": fs.group_a, "participant": fs.ana},
        STAFF | PHONE,  # the participant is a member of group A
        arrange=fs.opened,
        effect=lambda w, b: (
            getattr(fs.group_row(w, fs.group_a(w)), "rapporteur_id", 0) == w.participant.id
        ),
        bad=[{"group": MISSING}, *GROUP_BAD, {"participant": MISSING}, {"participant": "1"}],
    ),
    Case(
        "breakouts.open",
        {},
        STAFF,
        arrange=fs.formed,
        effect=lambda w, b: fs.state(w) == "open",
    ),
    Case(
        "breakouts.choose",
        {"group": fs.group_a},
        PHONE,
        arrange=fs.self_select,
        effect=lambda w, b: fs.group_of(w, w.participant.id) == fs.group_a(w),
        result=IS_INT("group"),
        bad=[{"group": MISSING}, *GROUP_BAD],
    ),
    Case(
        "breakouts.join",
        {},
        PHONE,
        arrange=fs.random_without_ana,
        effect=lambda w, b: fs.group_of(w, w.participant.id) is not None,
        result=IS_INT("group"),
    ),
    Case(
        "breakouts.help",
        {},
        PHONE,
        arrange=fs.opened,
        effect=lambda w, b: qs.count(w, fs.HelpRequest) == 1,
        result=IS_INT("request"),
        seqs=0,
    ),
    Case(
        "breakouts.help.answer",
        {"request": fs.request_id},
        STAFF,
        arrange=fs.help_waiting,
        effect=lambda w, b: fs.help_answered(w),
        seqs=0,
        bad=[{"request": MISSING}, {"request": 0}, {"request": "1"}],
    ),
    Case(
        "breakouts.message",
        {"text": "Five minutes left"},
        STAFF,
        arrange=fs.opened,
        effect=lambda w, b: qs.count(w, fs.GroupMessage) == 1,
        result=IS_INT("message"),
        bad=[{"text": MISSING}, {"text": ""}, {"text": "x" * 501}, *GROUP_BAD],
    ),
    Case(
        "breakouts.timer",
        {"seconds": 600},
        STAFF,
        arrange=fs.opened,
        effect=lambda w, b: getattr(fs.round_row(w), "timer_ends_at", None) is not None,
        bad=[{"seconds": MISSING}, {"seconds": -1}, {"seconds": 14_401}, {"seconds": "600"}],
    ),
    Case(
        "breakouts.time.add",
        {"seconds": 60},
        STAFF,
        arrange=fs.timer_running,
        effect=lambda w, b: fs.timer_left_s(w) > 600,
        bad=[{"seconds": MISSING}, {"seconds": 3601}, {"seconds": -3601}, *GROUP_BAD],
    ),
    Case(
        "breakouts.close",
        {"seconds": 30},
        STAFF,
        arrange=fs.opened,
        effect=lambda w, b: getattr(fs.round_row(w), "closes_at", None) is not None,
        bad=[{"seconds": -1}, {"seconds": 3601}, {"seconds": 1.5}],
    ),
    Case(
        "breakouts.reopen",
        {},
        STAFF,
        arrange=fs.closed,
        effect=lambda w, b: fs.state(w) == "open",
    ),
    Case(
        "breakouts.gallery",
        {"open": True},
        STAFF,
        arrange=fs.opened,
        effect=lambda w, b: getattr(fs.round_row(w), "gallery", False),
        bad=[{"open": MISSING}, {"open": "yes"}, {"open": 1}],
    ),
    Case(
        "breakouts.report",
        {"group": fs.group_a, "cycle": False},
        STAFF,
        arrange=fs.opened,
        effect=lambda w, b: getattr(fs.round_row(w), "report_group_id", 0) == fs.group_a(w),
        seqs=2,  # the round's view and the report, both to every screen
        bad=[{"group": MISSING}, *GROUP_BAD, {"cycle": "no"}],
    ),
    Case(
        "breakouts.end",
        {},
        STAFF,
        arrange=fs.opened,
        effect=lambda w, b: getattr(fs.round_row(w), "ended_at", None) is not None,
    ),
    Case(
        "breakouts.board",
        {"group": fs.group_a},
        STAFF | PHONE,  # the participant is a member of group A; a display is not shown it
        arrange=fs.opened,
        mutation=False,
        result=qs.Matches(lambda d: d["group"]["id"] == d["board"]["group"]),
        bad=[{"group": MISSING}, *GROUP_BAD],
    ),
]


def bs_group_a_in(data: dict[str, Any]) -> bool:
    return isinstance(data.get("groups"), list) and len(data["groups"]) >= 1


BY_EVENT = {case.event: case for case in CASES}


def payload_for(case: Case, world: World, cid: str = "cid-00000001") -> dict[str, Any]:
    payload = {k: v(world) if callable(v) else v for k, v in case.payload.items()}
    if payload.get("participant") == "P2":
        payload["participant"] = world.participant2.id
    if payload.get("confirm") == "SLUG":
        payload["confirm"] = world.slug
    if case.mutation:
        payload["cid"] = cid
    return payload


def test_the_cases_cover_every_registered_event(app: Any) -> None:
    registered = {
        name
        for name in app.extensions["socketio"].server.handlers.get("/", {})
        if name not in ("connect", "disconnect")
    }
    assert registered == set(BY_EVENT)


# --- who may connect -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sender", "auth", "code"),
    [
        ("other_moderator", {}, "forbidden"),
        ("rapporteur", {}, "forbidden"),
        ("anonymous", {}, "login_required"),
        # The same answer whether the workshop exists or not: no probing for slugs.
        ("anonymous", {"workshop": "no-such-workshop"}, "login_required"),
        ("organiser", {"workshop": "another-workshop"}, "forbidden"),
        ("moderator", {"workshop": "no-such-workshop"}, "forbidden"),
        ("participant", {"token": "forged-token-forged-token"}, "forbidden"),
        # A real token, with a workshop that is not its own or does not exist.
        ("participant", {"workshop": "another-workshop"}, "forbidden"),
        ("participant", {"workshop": "no-such-workshop"}, "forbidden"),
        ("participant", {"workshop": ""}, "forbidden"),
        ("participant", {"token": ""}, "forbidden"),
        ("participant", {"token": "x" * 100_000}, "forbidden"),
        ("participant", {"as": "moderator"}, "login_required"),
        ("display", {"token": "forged-display-token"}, "forbidden"),
        ("display", {"token": ""}, "forbidden"),
        ("display", {"as": "projector"}, "auth_required"),
    ],
)
def test_who_is_refused_at_connect(
    app: Any, sock: Sock, sender: str, auth: dict[str, Any], code: str
) -> None:
    client = sock(sender, **auth)
    assert not client.is_connected()
    assert client.refusal_code == code
    # nobody was let in, not even for a moment
    assert not app.extensions["facilitator.realtime"].connections._by_sid


def test_a_participant_token_of_another_workshop_is_refused(sock: Sock, world: World) -> None:
    client = sock("participant", token=world.other_participant.token)
    assert not client.is_connected()
    assert client.refusal_code == "forbidden"


def test_no_auth_payload_is_refused(app: Any) -> None:
    for auth in (None, "moderator", ["moderator"]):
        client = Client(app, app.extensions["socketio"], auth=auth)
        assert not client.is_connected()
        assert client.refusal_code == "auth_required"


@pytest.mark.parametrize("sender", [*CONNECTED, "admin"])
def test_who_may_connect(sock: Sock, sender: str) -> None:
    assert sock(sender).is_connected()


def test_the_display_token_of_another_workshop_opens_only_that_workshop(
    sock: Sock, world: World
) -> None:
    client = sock("display", token=world.other_display_token)
    ack = client.call("live.sync", {})
    assert ack["data"]["workshop"]["slug"] == world.other_slug


@pytest.mark.parametrize("sender", REFUSED)
def test_a_refused_socket_that_sends_anyway_is_not_answered(
    sock: Sock, world: World, sender: str
) -> None:
    client = sock(sender)
    assert not client.is_connected()
    client.connected["/"] = True  # a client that ignores the refusal
    before = fingerprint(world)
    for case in CASES:
        assert client.call(case.event, payload_for(case, world)) is None, case.event
    assert fingerprint(world) == before


# --- every event x every connected sender ------------------------------------------------


@pytest.mark.parametrize("sender", CONNECTED)
@pytest.mark.parametrize("event", list(BY_EVENT))
def test_every_event_from_every_sender(sock: Sock, world: World, event: str, sender: str) -> None:
    case = BY_EVENT[event]
    case.arrange(world)
    client = sock(sender)
    before, before_state, before_seq = fingerprint(world), state_of(world), stream_seq(world)

    ack = client.call(event, payload_for(case, world))

    if sender not in case.senders:
        assert ack["ok"] is False
        assert ack["error"]["code"] == "forbidden"
        assert fingerprint(world) == before
        return
    assert ack["ok"] is True, ack
    if event == "live.sync":
        assert ack["data"]["streams"]["workshop"] == before_seq
        assert ack["data"]["role"] == ("moderator" if sender in STAFF else sender)
        assert ("display_token" in ack["data"]) is (sender in STAFF)
    elif event == "clock.ping":
        assert abs(ack["data"]["server_ms"] - utcnow().timestamp() * 1000) < 5000
    elif not case.mutation:  # a query: it answers, and changes nothing
        assert ack["data"] == case.result
        assert fingerprint(world) == before
    else:
        assert ack["data"] == case.result
        assert case.effect(world, before_state), f"{event} did not do what it should"
        rows = applied(world)
        assert [(r.event, r.cid) for r in rows] == [(event, "cid-00000001")]
        # A change of the live state takes one number; a participant's record none.
        taken = 0 if event.startswith("participant.") else case.seqs
        assert stream_seq(world) == before_seq + taken


def test_the_organiser_and_an_admin_both_run_the_workshop(sock: Sock, world: World) -> None:
    assert sock("organiser").call("live.start", {"cid": "cid-00000001"})["ok"]
    assert sock("admin").call("live.next", {"cid": "cid-00000001"})["ok"]
    assert _current(world) == world.items[1]


# --- payloads ---------------------------------------------------------------------------

COMMON_BAD: list[Any] = ["a string", [1, 2], 5, {"unknown": 1}]
CID_BAD: list[Any] = [None, "short", "../../etc/pass", "x" * 37, 12345678, "cid 0000001"]


@pytest.mark.parametrize("event", list(BY_EVENT))
def test_bad_payloads_are_refused_and_change_nothing(sock: Sock, world: World, event: str) -> None:
    case = BY_EVENT[event]
    case.arrange(world)
    client = sock(next(s for s in CONNECTED if s in case.senders))
    good = payload_for(case, world)
    before = fingerprint(world)
    payloads: list[Any] = [*COMMON_BAD, {**good, "unknown": 1}]
    payloads += [{k: v for k, v in {**good, **bad}.items() if v is not MISSING} for bad in case.bad]
    if case.mutation:
        payloads.append({k: v for k, v in good.items() if k != "cid"})
        payloads += [{**good, "cid": value} for value in CID_BAD]
    for payload in payloads:
        ack = client.call(event, payload)
        assert ack["ok"] is False, (payload, ack)
        assert ack["error"]["code"] == "bad_payload", (payload, ack)
        assert isinstance(ack["error"]["details"]["fields"], list)
    two = client.call(event, good, {"second": "argument"})
    assert two["error"]["code"] == "bad_payload"
    assert fingerprint(world) == before
    assert applied(world) == []


def test_a_bad_payload_names_the_field(sock: Sock, world: World) -> None:
    start(world)
    ack = sock("moderator").call("timer.adjust", {"cid": "cid-00000001", "minutes": "ten"})
    assert ack["error"]["details"]["fields"] == [{"field": "minutes", "problem": "int_type"}]
    ack = sock("moderator").call("timer.adjust", {"cid": "cid-00000001", "minute": 10})
    assert {f["field"] for f in ack["error"]["details"]["fields"]} == {"minutes", "minute"}


def test_a_blank_message_is_refused_by_the_service(sock: Sock, world: World) -> None:
    before = fingerprint(world)
    ack = sock("moderator").call("message.broadcast", {"cid": "cid-00000001", "text": "   "})
    assert ack["error"]["code"] == "message_length"
    assert fingerprint(world) == before


def test_no_text_clears_the_message(sock: Sock, world: World) -> None:
    moderator = sock("moderator")
    moderator.call("message.broadcast", {"cid": "cid-00000001", "text": "Lunch"})
    assert moderator.call("message.broadcast", {"cid": "cid-00000002"})["ok"]
    assert state_of(world).message is None


# --- forged ids and refused moves ---------------------------------------------------------


def test_removing_a_participant_of_another_workshop_is_refused(sock: Sock, world: World) -> None:
    before = fingerprint(world)
    for forged in (world.other_participant.id, 999_999):
        ack = sock("moderator").call(
            "participant.remove", {"cid": f"cid-{forged:08}", "participant": forged}
        )
        assert ack["ok"] is False
        assert ack["error"]["code"] == "unknown_participant"
    assert fingerprint(world) == before  # every participant, of both workshops, still in
    assert participant_row(world, world.other_participant.id).removed_at is None


def test_going_to_an_unknown_item_is_refused(sock: Sock, world: World) -> None:
    before = fingerprint(world)
    moderator = sock("moderator")
    # "opening" is an item of the other workshop, not of this one.
    for n, item in enumerate(("no-such-item", "opening")):
        ack = moderator.call("live.goto", {"cid": f"cid-0000000{n}", "item": item})
        assert ack["error"]["code"] == "unknown_item"
    assert fingerprint(world) == before


def test_a_language_the_workshop_does_not_speak_is_refused(sock: Sock, world: World) -> None:
    before = fingerprint(world)
    ack = sock("participant").call(
        "participant.language", {"cid": "cid-00000001", "language": "de"}
    )
    assert ack["error"]["code"] == "invalid_language"
    assert fingerprint(world) == before


@pytest.mark.parametrize(
    ("event", "payload", "code"),
    [
        ("live.start", {}, "already_started"),
        ("live.goto", {"item": "FIRST"}, "already_current"),
        ("timer.resume", {}, "timer_running"),
        ("timer.adjust", {"minutes": -120}, "timer_out_of_range"),
    ],
)
def test_moves_that_do_not_fit_the_state_are_refused(
    sock: Sock, world: World, event: str, payload: dict[str, Any], code: str
) -> None:
    start(world)
    before = fingerprint(world)
    if payload.get("item") == "FIRST":
        payload = {"item": world.items[0]}
    ack = sock("moderator").call(event, {**payload, "cid": "cid-00000001"})
    assert ack == {"ok": False, "error": {"code": code, "message": f"{event} refused: {code}"}}
    assert fingerprint(world) == before


def test_before_the_start_the_timer_cannot_move(sock: Sock, world: World) -> None:
    moderator = sock("moderator")
    for n, event in enumerate(("live.end", "timer.pause", "timer.adjust", "timer.reset")):
        payload: dict[str, Any] = {"cid": f"cid-0000000{n}"}
        if event == "timer.adjust":
            payload["minutes"] = 1
        assert moderator.call(event, payload)["error"]["code"] == "not_running"


def test_the_role_is_checked_on_every_event_not_only_at_connect(sock: Sock, world: World) -> None:
    moderator = sock("moderator")
    assert moderator.call("live.start", {"cid": "cid-00000001"})["ok"]
    s, organiser, workshop = as_organiser(world)
    with s:
        remove_member(s, organiser, workshop, world.user_ids["moderator"])
        s.commit()
    before = fingerprint(world)
    ack = moderator.call("live.next", {"cid": "cid-00000002"})
    assert ack["error"]["code"] == "forbidden"
    assert fingerprint(world) == before


def test_a_participant_removed_elsewhere_can_no_longer_send(sock: Sock, world: World) -> None:
    phone = sock("participant")
    with world.session() as s:  # removed by another server process, say
        row = s.get(Participant, world.participant.id)
        assert row is not None
        row.removed_at = utcnow()
        s.commit()
    before = fingerprint(world)
    ack = phone.call("participant.language", {"cid": "cid-00000001", "language": "fr"})
    assert ack["error"]["code"] == "forbidden"
    assert fingerprint(world) == before


def test_a_socket_the_server_no_longer_knows_gets_not_connected(
    app: Any, sock: Sock, world: World
) -> None:
    moderator = sock("moderator")
    # as after a removal racing with an event
    app.extensions["facilitator.realtime"].connections._by_sid.clear()
    for case in CASES:
        ack = moderator.call(case.event, payload_for(case, world))
        assert ack["error"]["code"] == "not_connected", case.event


def test_a_message_may_be_64_kib_at_most(app: Any) -> None:
    # Enforced by Engine.IO before any handler runs: a bigger message closes the socket.
    assert app.extensions["socketio"].server.eio.max_http_buffer_size == 64 * 1024


def test_every_number_of_every_payload_has_bounds(app: Any) -> None:
    """No unbounded integer reaches the database (issue 9, finding 3)."""
    from annotated_types import Ge, Le

    registry = app.extensions["facilitator.realtime"].registry
    specs = [*registry.mutations.values(), *registry.queries.values()]
    unbounded = []
    for spec in specs:
        for name, info in spec.payload.model_fields.items():
            if info.annotation is int or info.annotation == int | None:
                kinds = {type(m) for m in info.metadata}
                if not {Ge, Le} <= kinds:
                    unbounded.append(f"{spec.event}.{name}")
    assert not unbounded, unbounded


# --- a member of another group (the boards, issue 11) ---------------------------------------

# Every board event that names a group or a card of group A, sent by a member of group B.
CROSS_GROUP = {
    "breakouts.card.add": {},
    "breakouts.card.edit": {},
    "breakouts.card.remove": {},
    "breakouts.card.move": {},
    "breakouts.card.merge": {},
    "breakouts.card.unmerge": {},
    "breakouts.vote": {},
    "breakouts.phase": {"group": bs.group_a},
    "breakouts.synthesis": {},
}


def test_the_cross_group_cases_cover_every_board_event_but_one() -> None:
    board_events = {e for e in BY_EVENT if e.startswith(("breakouts.card.", "breakouts.vote"))}
    board_events |= {"breakouts.phase", "breakouts.synthesis"}
    # breakouts.assess names no group: it always rates the sender's own group's block.
    assert set(CROSS_GROUP) == board_events


@pytest.mark.parametrize("event", list(CROSS_GROUP))
def test_a_member_of_another_group_can_not_write_a_board(
    sock: Sock, world: World, event: str
) -> None:
    case = BY_EVENT[event]
    case.arrange(world)
    other = sock("participant2")
    before, board_before = fingerprint(world), bs.board_print(world)
    payload = payload_for(case, world)
    payload.update({k: v(world) if callable(v) else v for k, v in CROSS_GROUP[event].items()})
    ack = other.call(event, payload)
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden", ack
    assert bs.board_print(world) == board_before
    assert fingerprint(world) == before


def test_a_member_of_another_group_can_not_read_a_board_outside_a_gallery_walk(
    sock: Sock, world: World
) -> None:
    bs.arrange(world)
    other = sock("participant2")
    ack = other.call("breakouts.board", {"group": bs.group_a(world)})
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden", ack
    own = other.call("breakouts.board", {"group": bs.group_b(world)})
    assert own["ok"] is True and own["data"]["board"]["cards"] == []


# --- breakouts: a member of another group (issue 11) --------------------------------------


@pytest.mark.parametrize(
    ("event", "payload", "code"),
    [
        ("breakouts.rapporteur", {"group": "A", "participant": "P2"}, "not_member"),
        ("breakouts.board", {"group": "A"}, "forbidden"),
    ],
)
def test_a_member_of_another_group_can_neither_name_nor_read_group_a(
    sock: Sock, world: World, event: str, payload: dict[str, Any], code: str
) -> None:
    fs.opened(world)  # Min-jun (participant2) is in group B
    filled = {
        k: fs.group_a(world) if v == "A" else world.participant2.id if v == "P2" else v
        for k, v in payload.items()
    }
    if event != "breakouts.board":
        filled["cid"] = "cid-00000001"
    before, rapporteur = fingerprint(world), fs.group_row(world, fs.group_a(world))
    ack = sock("participant2").call(event, filled)
    assert ack["ok"] is False and ack["error"]["code"] == code
    assert fingerprint(world) == before
    after = fs.group_row(world, fs.group_a(world))
    assert after is not None and rapporteur is not None
    assert after.rapporteur_id == rapporteur.rapporteur_id is None


def test_a_display_reads_only_the_board_presented_in_report_back(sock: Sock, world: World) -> None:
    fs.opened(world)
    display = sock("display")
    assert display.call("breakouts.board", {"group": fs.group_a(world)})["error"]["code"] == (
        "forbidden"
    )
    sock("moderator").call("breakouts.report", {"cid": "cid-00000001", "group": fs.group_a(world)})
    assert display.call("breakouts.board", {"group": fs.group_a(world)})["ok"]
    assert display.call("breakouts.board", {"group": fs.group_b(world)})["error"]["code"] == (
        "forbidden"
    )
