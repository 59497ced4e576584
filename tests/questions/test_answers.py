"""Answering every type: give, change, withdraw, refused when closed; results from rows;
moderation of answers and words; breakdowns by profile."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from facilitator.database import utcnow
from facilitator.qa import services as qa
from facilitator.qa.services import Answered
from facilitator.questions import answering, lifecycle, results
from facilitator.questions.lifecycle import QuestionRefused
from facilitator.questions.models import Answer, AnswerPart
from facilitator.questions.moderation import hide_participant
from facilitator.questions.record import answered_questions_for_record, questions_for_record
from facilitator.questions.types import AnswerRefused
from tests.questions.support import Room, opened, room


def answers(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Answer)) or 0


def give(r: Room, who: int, key: str, value: Any, answer_id: int | None = None) -> Answer:
    answer, events = answering.submit(
        r.db, r.people[who], r.questions[key], value, utcnow(), answer_id
    )
    assert events
    r.db.commit()
    return answer


@pytest.mark.parametrize(
    ("key", "first", "second", "expected"),
    [
        ("words", ["Trust"], ["Trust", "care"], {"words": [
            {"word": "care", "label": "care", "count": 1},
            {"word": "trust", "label": "Trust", "count": 1},
        ]}),
        ("pick", 0, 2, {"options": [0, 0, 1]}),
        ("many", [0], [0, 1], {"options": [1, 1, 0]}),
        ("rate", 2, 5, {"distribution": [[1, 0], [2, 0], [3, 0], [4, 0], [5, 1]], "mean": 5.0}),
        ("order", [0, 1, 2], [2, 1, 0], {"points": [0, 1, 2], "order": [2, 1, 0]}),
    ],
)  # fmt: skip
def test_one_answer_per_participant_changeable_and_withdrawable(
    service_session: Session, key: str, first: Any, second: Any, expected: dict[str, Any]
) -> None:
    r = room(service_session)
    opened(r, key)
    a = give(r, 0, key, first)
    b = give(r, 0, key, second)  # a second submit changes the one answer
    assert a.id == b.id and answers(service_session) == 1
    assert results.results(service_session, r.questions[key]) == {"answers": 1, **expected}
    answering.withdraw(service_session, r.people[0], a.id)
    service_session.commit()
    assert answers(service_session) == 0
    assert service_session.scalar(select(func.count()).select_from(AnswerPart)) == 0
    assert results.results(service_session, r.questions[key])["answers"] == 0


def test_open_answers_up_to_the_questions_limit(service_session: Session) -> None:
    r = room(service_session)
    opened(r, "feel")
    made = [give(r, 0, "feel", f"Idea {n}") for n in range(3)]
    with pytest.raises(AnswerRefused, match="answer_limit"):
        give(r, 0, "feel", "One too many")
    service_session.rollback()
    changed = give(r, 0, "feel", "Idea one, better", made[1].id)
    assert changed.id == made[1].id and changed.text == "Idea one, better"
    with pytest.raises(AnswerRefused, match="unknown_answer"):
        give(r, 1, "feel", "Not mine", made[0].id)  # someone else's answer
    service_session.rollback()
    answering.highlight_answer(service_session, r.workshop.id, made[2].id, True)
    answering.hide_answer(service_session, r.workshop.id, made[0].id, True)
    wall = results.results(service_session, r.questions["feel"])
    assert wall["answers"] == 2
    assert [w["text"] for w in wall["wall"]] == ["Idea 2", "Idea one, better"]  # highlighted first
    assert wall["wall"][0]["highlighted"] is True


def test_an_answer_to_a_closed_question_is_refused_and_stored_nowhere(
    service_session: Session,
) -> None:
    r = room(service_session)
    with pytest.raises(QuestionRefused, match="question_closed"):
        give(r, 0, "pick", 1)  # never opened
    service_session.rollback()
    q = opened(r, "pick")
    a = give(r, 0, "pick", 1)
    lifecycle.close_question(service_session, q, set())
    service_session.commit()
    with pytest.raises(QuestionRefused, match="question_closed"):
        give(r, 1, "pick", 2)
    service_session.rollback()
    with pytest.raises(QuestionRefused, match="question_closed"):
        answering.withdraw(service_session, r.people[0], a.id)
    service_session.rollback()
    assert service_session.scalars(select(Answer.participant_id)).all() == [r.people[0].id]


def test_words_are_counted_per_normal_form_with_hides_and_merges(service_session: Session) -> None:
    r = room(service_session)
    q = opened(r, "words")
    give(r, 0, "words", ["Solidarity", " trust "])
    give(r, 1, "words", ["SOLIDARITY", "Trust", "co-op"])
    give(r, 2, "words", ["cooperative", "solidarity"])
    cloud = {w["word"]: w["count"] for w in results.results(service_session, q)["words"]}
    assert cloud == {"solidarity": 3, "trust": 2, "co-op": 1, "cooperative": 1}
    answering.merge_word(service_session, q, "co-op", "Cooperative")
    answering.hide_word(service_session, q, "TRUST", True)
    service_session.commit()
    cloud = {w["word"]: w["count"] for w in results.results(service_session, q)["words"]}
    assert cloud == {"solidarity": 3, "cooperative": 2}
    with pytest.raises(QuestionRefused, match="merge_chain"):
        answering.merge_word(service_session, q, "solidarity", "co-op")
    service_session.rollback()
    answering.merge_word(service_session, q, "co-op", None)  # undone
    answering.hide_word(service_session, q, "trust", False)
    cloud = {w["word"]: w["count"] for w in results.results(service_session, q)["words"]}
    assert cloud == {"solidarity": 3, "trust": 2, "co-op": 1, "cooperative": 1}
    with pytest.raises(QuestionRefused, match="not_a_words_question"):
        answering.hide_word(service_session, r.questions["pick"], "red", True)


def test_a_breakdown_by_language_country_and_stakeholder(service_session: Session) -> None:
    r = room(service_session)
    q = opened(r, "pick")
    give(r, 0, "pick", 0)  # en, KR, government
    give(r, 1, "pick", 1)  # fr, FR, civil-society
    give(r, 2, "pick", 0)  # ko, KR, no stakeholder type
    by_country = results.breakdown(service_session, q, "country")
    assert by_country == [
        {"group": "FR", "results": {"answers": 1, "options": [0, 1, 0]}},
        {"group": "KR", "results": {"answers": 2, "options": [2, 0, 0]}},
    ]
    groups = [g["group"] for g in results.breakdown(service_session, q, "stakeholder_type")]
    assert groups == ["civil-society", "government", ""]
    assert [g["group"] for g in results.breakdown(service_session, q, "language")] == [
        "en",
        "fr",
        "ko",
    ]
    assert results.breakdown(service_session, q, "shoe_size") == []


def test_a_participants_answers_are_hidden_in_one_action(service_session: Session) -> None:
    r = room(service_session)
    opened(r, "pick")
    opened(r, "feel")
    give(r, 1, "pick", 1)
    give(r, 1, "feel", "spam")
    give(r, 0, "pick", 0)
    hidden = hide_participant(service_session, r.workshop.id, r.people[1].id)
    service_session.commit()
    assert len(hidden.answers) == 2
    assert results.results(service_session, r.questions["pick"])["options"] == [1, 0, 0]
    with pytest.raises(QuestionRefused, match="unknown_participant"):
        hide_participant(service_session, r.workshop.id + 1, r.people[1].id)


def test_the_record_takes_results_breakdowns_and_answered_questions(
    service_session: Session,
) -> None:
    r = room(service_session)
    opened(r, "rate")
    give(r, 0, "rate", 4)
    give(r, 1, "rate", 2)
    record = questions_for_record(service_session, r.workshop.id)
    assert [q["key"] for q in record] == ["rate"]
    assert record[0]["results"]["mean"] == 3.0 and record[0]["chart"] == "distribution"
    assert [g["group"] for g in record[0]["breakdowns"]["language"]] == ["en", "fr"]
    asked, _ = qa.ask(
        service_session, r.people[2], "And after?", anonymous=False, speaker="ana", now=utcnow()
    )
    qa.ask(service_session, r.people[1], "Unanswered?", anonymous=True, speaker=None, now=utcnow())
    qa.answer(service_session, asked, Answered(by_person="ana", text="We carry on."), utcnow())
    assert answered_questions_for_record(service_session, r.workshop.id) == [
        {
            "question": "And after?",
            "language": "ko",
            "asker": "Someone",
            "to": "Ana Lee",
            "answered_by": "Ana Lee",
            "answer": "We carry on.",
            "votes": 0,
        }
    ]


def test_a_room_answering_at_once_is_one_write_each_checked_as_if_alone(
    service_session: Session,
) -> None:
    r = room(service_session)
    opened(r, "words")
    opened(r, "many")
    first = give(r, 2, "words", ["Before"])  # given earlier, changed in the batch
    ana, bea, cho = r.people
    s = answering.Submission
    given = answering.submit_many(
        service_session,
        [
            s(ana, r.questions["words"], ["Trust", "care"]),
            s(bea, r.questions["words"], ["trust"]),
            s(cho, r.questions["words"], ["Care"]),  # changes cho's answer of before
            s(ana, r.questions["many"], [0, 2]),
            s(bea, r.questions["many"], [7]),  # no option 7: refused, nothing written
            s(bea, r.questions["pick"], 1),  # not open: refused
            s(ana, r.questions["many"], [1]),  # ana changes her mind within the batch
        ],
        utcnow(),
    )
    service_session.commit()
    codes = [g.code if isinstance(g, Exception) else None for g in given]
    assert codes == [None, None, None, None, "unknown_option", "question_closed", None]
    kept = [g for g in given if isinstance(g, answering.Given)]
    assert kept[2].answer.id == first.id  # cho's one answer, changed
    assert kept[3].answer.id == kept[4].answer.id  # ana's one answer to "many", changed twice
    assert [k.value for k in kept] == [["Trust", "care"], ["trust"], ["Care"], [0, 2], [1]]
    assert results.results(service_session, r.questions["words"]) == {
        "answers": 3,
        "words": [
            {"word": "care", "label": "Care", "count": 2},
            {"word": "trust", "label": "Trust", "count": 2},
        ],
    }
    assert results.results(service_session, r.questions["many"]) == {
        "answers": 1,
        "options": [0, 1, 0],
    }
    assert answers(service_session) == 4  # three words, one many; the refused nowhere
