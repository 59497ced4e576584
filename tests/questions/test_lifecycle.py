"""The question state machine, questions written live, and questions from the agenda."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from facilitator.agenda.parsing import parse_agenda
from facilitator.agenda.services import store_agenda
from facilitator.database import utcnow
from facilitator.live import services as live
from facilitator.questions import answering, lifecycle
from facilitator.questions.lifecycle import Draft, QuestionRefused, auto_opened, status
from facilitator.questions.models import Answer, Question
from facilitator.questions.types import AnswerRefused
from tests.questions.support import AGENDA, admin, opened, room


def test_the_agenda_questions_become_the_workshops(service_session: Session) -> None:
    r = room(service_session)
    assert {k: q.type for k, q in r.questions.items()} == {
        "feel": "open",
        "words": "words",
        "pick": "choice",
        "many": "multi",
        "rate": "scale",
        "order": "rank",
    }
    assert all(q.state == "ready" for q in r.questions.values())
    assert r.questions["feel"].max_answers == 3  # open questions take several answers
    # adopting again makes no second row
    lifecycle.ensure_questions(service_session, r.workshop.id)
    assert service_session.scalar(select(func.count()).select_from(Question)) == 6


def test_open_close_reopen(service_session: Session) -> None:
    r = room(service_session)
    q = r.questions["pick"]
    with pytest.raises(QuestionRefused, match="not_open"):
        lifecycle.close_question(service_session, q, set())
    lifecycle.open_question(service_session, q, utcnow())
    first_opened = q.opened_at
    with pytest.raises(QuestionRefused, match="already_open"):
        lifecycle.open_question(service_session, q, utcnow())
    lifecycle.close_question(service_session, q, set())
    assert q.state == "closed"
    lifecycle.open_question(service_session, q, utcnow())  # reopened
    assert q.state == "open" and q.opened_at == first_opened
    # several at once
    lifecycle.open_question(service_session, r.questions["rate"], utcnow())
    assert {k for k, v in r.questions.items() if status(v, set()) == "open"} == {"pick", "rate"}


def test_a_question_written_live_can_be_edited_until_it_opens(service_session: Session) -> None:
    r = room(service_session)
    draft = Draft("choice", {"en": "Tea?", "fr": "Thé ?"}, [{"en": "Yes"}, {"en": "No"}])
    q, events = lifecycle.create(service_session, r.workshop, draft, utcnow())
    assert events and q.state == "ready" and q.guiding_question_id is None
    lifecycle.edit(
        service_session, r.workshop, q, Draft("scale", {"en": "Tea?"}, None, {"min": 0, "max": 3})
    )
    assert q.type == "scale" and q.scale == {"min": 0, "max": 3}
    lifecycle.open_question(service_session, q, utcnow())
    with pytest.raises(QuestionRefused, match="question_started"):
        lifecycle.edit(service_session, r.workshop, q, draft)
    with pytest.raises(QuestionRefused, match="question_from_agenda"):
        lifecycle.edit(service_session, r.workshop, r.questions["pick"], draft)


@pytest.mark.parametrize(
    ("draft", "code"),
    [
        (Draft("poll", {"en": "?"}), "unknown_type"),
        (Draft("open", {"en": "  "}), "text_missing"),
        (Draft("open", {"de": "Wie?"}), "unknown_language"),
        (Draft("open", {"en": "x" * 501}), "text_too_long"),
        (Draft("choice", {"en": "?"}, [{"en": "only one"}]), "options_do_not_fit"),
        (Draft("rank", {"en": "?"}), "options_do_not_fit"),
        (Draft("open", {"en": "?"}, [{"en": "a"}, {"en": "b"}]), "options_do_not_fit"),
        (Draft("scale", {"en": "?"}, None, {"min": 5, "max": 5}), "scale_does_not_fit"),
        (Draft("words", {"en": "?"}, None, {"min": 1, "max": 5}), "scale_does_not_fit"),
        (
            Draft("multi", {"en": "?"}, [{"en": "a"}, {"en": "b"}], None, 2),
            "max_answers_does_not_fit",
        ),
        (Draft("open", {"en": "?"}, None, None, 11), "max_answers_does_not_fit"),
    ],
)
def test_a_draft_that_does_not_fit_is_refused(
    service_session: Session, draft: Draft, code: str
) -> None:
    r = room(service_session)
    with pytest.raises(QuestionRefused) as refused:
        lifecycle.create(service_session, r.workshop, draft, utcnow())
    assert refused.value.code == code


def test_questions_open_with_their_item_when_the_workshop_says_so(
    service_session: Session,
) -> None:
    r = room(service_session)
    live.start(service_session, admin(service_session), r.workshop, utcnow())
    assert auto_opened(service_session, r.workshop.id) == set()  # off by default
    lifecycle.configure(service_session, r.workshop.id, True)
    now_open = auto_opened(service_session, r.workshop.id)
    assert now_open == {r.questions["feel"].id, r.questions["words"].id}
    me = r.people[0]
    answering.submit(service_session, me, r.questions["feel"], "Fine", utcnow())
    live.next_item(service_session, admin(service_session), r.workshop, utcnow())
    assert auto_opened(service_session, r.workshop.id) == {r.questions["pick"].id}
    with pytest.raises(QuestionRefused, match="question_closed"):
        answering.submit(service_session, me, r.questions["feel"], "Still fine", utcnow())
    # closing one the item opened closes it for good
    lifecycle.close_question(service_session, r.questions["pick"], {r.questions["pick"].id})
    assert not lifecycle.is_open(service_session, r.questions["pick"])


def test_a_reupload_keeps_the_answers_of_unchanged_ids(service_session: Session) -> None:
    r = room(service_session)
    answering.submit(service_session, r.people[0], opened(r, "pick"), 2, utcnow())
    answering.submit(service_session, r.people[0], opened(r, "rate"), 4, utcnow())
    service_session.commit()
    reworded = AGENDA.replace("Which one?", "Which colour?").replace(
        "  - id: rate\n    text: How useful?\n    type: scale\n"
        "    scale: {min: 1, max: 5, min_label: Not at all, max_label: Very}\n",
        "",
    )
    store_agenda(service_session, parse_agenda(reworded, "polls.yaml").agenda)
    service_session.commit()
    rows = lifecycle.ensure_questions(service_session, r.workshop.id)
    pick = next(q for q in rows if q.id == r.questions["pick"].id)
    assert pick.text == {"en": "Which colour?"} and pick.state == "open"
    answers = service_session.scalars(select(Answer.question_id)).all()
    assert answers == [pick.id]  # the removed question took its answers with it
    assert len(rows) == 5


def test_a_reupload_that_changes_a_questions_type_drops_its_answers(
    service_session: Session,
) -> None:
    r = room(service_session)
    answering.submit(service_session, r.people[0], opened(r, "pick"), 2, utcnow())
    service_session.commit()
    retyped = AGENDA.replace(
        "{id: pick, text: Which one?, type: choice, options: [Red, Green, Blue]}",
        "{id: pick, text: Which one?, type: multi, options: [Red, Green, Blue]}",
    )
    store_agenda(service_session, parse_agenda(retyped, "polls.yaml").agenda)
    lifecycle.ensure_questions(service_session, r.workshop.id)
    assert r.questions["pick"].type == "multi"
    assert service_session.scalar(select(func.count()).select_from(Answer)) == 0


def test_open_questions_take_a_configurable_number_of_answers(service_session: Session) -> None:
    r = room(service_session)
    lifecycle.limit_answers(service_session, r.questions["feel"], 1)
    me = r.people[0]
    answering.submit(service_session, me, opened(r, "feel"), "One", utcnow())
    with pytest.raises(AnswerRefused, match="answer_limit"):
        answering.submit(service_session, me, r.questions["feel"], "Two", utcnow())
    with pytest.raises(QuestionRefused, match="max_answers_does_not_fit"):
        lifecycle.limit_answers(service_session, r.questions["pick"], 2)


def test_answers_to_another_workshops_question_are_refused(service_session: Session) -> None:
    r = room(service_session)
    other = room(service_session, AGENDA.replace("slug: polls", "slug: other"))
    with pytest.raises(QuestionRefused, match="unknown_question"):
        answering.submit(service_session, other.people[0], opened(r, "pick"), 1, utcnow())
    with pytest.raises(QuestionRefused, match="unknown_question"):
        lifecycle.find(service_session, other.workshop.id, r.questions["pick"].id)
    with pytest.raises(AnswerRefused, match="unknown_answer"):
        answering.hide_answer(service_session, other.workshop.id, 1, True)
