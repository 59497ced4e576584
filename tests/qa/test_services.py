"""The audience Q&A: asking under the workshop's rules, moderation states, votes as rows."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from facilitator.database import make_session_factory, utcnow
from facilitator.participation.models import Participant
from facilitator.qa import services as qa
from facilitator.qa.models import AudienceQuestion, Upvote
from facilitator.qa.services import Answered, QaRefused, is_public
from facilitator.qa.votes import vote, voted_by, votes
from facilitator.questions import answering
from facilitator.questions.models import Answer, Question
from tests.questions.support import AGENDA, Room, admin, opened, room

AGENDA_OTHER = AGENDA.replace("slug: polls", "slug: polls-other")


def ask(r: Room, who: int = 0, text: str = "Why?", **how: object) -> AudienceQuestion:
    options = {"anonymous": False, "speaker": None, **how}
    question, events = qa.ask(r.db, r.people[who], text, now=utcnow(), **options)  # type: ignore[arg-type]
    assert events
    r.db.commit()
    return question


def test_asking_named_or_anonymous_as_the_workshop_allows(service_session: Session) -> None:
    r = room(service_session)
    named = ask(r, 0, "  Why   now? ", speaker="ana")
    assert named.name == "Someone" and named.text == "Why now?" and named.language == "en"
    assert named.status == "open" and is_public(named) and named.speaker_id is not None
    anonymous = ask(r, 1, "Pourquoi ?", anonymous=True)
    assert anonymous.name is None and anonymous.language == "fr"
    qa.configure(service_session, r.workshop.id, None, "named")
    with pytest.raises(QaRefused, match="anonymous_not_allowed"):
        ask(r, 1, "Again?", anonymous=True)
    qa.configure(service_session, r.workshop.id, None, "anonymous")
    with pytest.raises(QaRefused, match="names_not_allowed"):
        ask(r, 1, "Again?")
    with pytest.raises(QaRefused, match="unknown_person"):
        ask(r, 1, "To whom?", anonymous=True, speaker="nobody")
    with pytest.raises(QaRefused, match="text_missing"):
        ask(r, 1, "   ", anonymous=True)


def test_pre_moderation_and_the_moderation_states(service_session: Session) -> None:
    r = room(service_session)
    qa.configure(service_session, r.workshop.id, True, None)
    q = ask(r)
    assert q.status == "pending" and not is_public(q)
    with pytest.raises(QaRefused, match="not_approved"):
        qa.answer(service_session, q, Answered(by_name="Ana"), utcnow())
    with pytest.raises(QaRefused, match="not_public"):
        qa.pin(service_session, q, True)
    qa.approve(service_session, q)
    assert q.status == "open" and is_public(q)
    with pytest.raises(QaRefused, match="not_pending"):
        qa.approve(service_session, q)
    qa.edit(service_session, q, "Why, exactly?", utcnow())
    assert q.text == "Why, exactly?" and q.edited_at is not None
    qa.pin(service_session, q, True)
    assert q.pinned
    qa.answer(service_session, q, Answered(by_person="ana", text="Because."), utcnow())
    assert q.status == "answered" and q.answer_text == "Because." and not q.pinned
    assert q.answered_by_id is not None and q.answered_by_name is None
    qa.answer(service_session, q, None, utcnow())  # back to open
    assert q.status == "open" and q.answer_text is None and q.answered_at is None
    qa.hide(service_session, q, True)
    assert q.hidden and not is_public(q) and q.status == "open"  # the asker sees no change


def test_the_moderator_adds_a_question_on_someones_behalf(service_session: Session) -> None:
    r = room(service_session)
    qa.configure(service_session, r.workshop.id, True, "anonymous")  # rules for phones only
    user = admin(service_session)
    q, _ = qa.add(
        service_session,
        r.workshop,
        user.id,
        "From the chat",
        name="Janick",
        language="fr",
        speaker=None,
        now=utcnow(),
    )
    assert q.name == "Janick" and q.participant_id is None and q.status == "open"
    with pytest.raises(QaRefused, match="unknown_language"):
        qa.add(
            service_session,
            r.workshop,
            user.id,
            "?",
            name=None,
            language="de",
            speaker=None,
            now=utcnow(),
        )


def test_votes_are_rows_one_per_participant_and_withdrawable(service_session: Session) -> None:
    r = room(service_session)
    q = ask(r, 0)
    for who in (0, 1, 1):  # the second vote of the same participant changes nothing
        vote(service_session, r.people[who], q.id, True, utcnow())
    service_session.commit()
    assert votes(service_session, r.workshop.id) == {q.id: 2}
    assert voted_by(service_session, r.people[1].id) == [q.id]
    vote(service_session, r.people[1], q.id, False, utcnow())
    vote(service_session, r.people[1], q.id, False, utcnow())
    assert votes(service_session, r.workshop.id) == {q.id: 1}
    qa.hide(service_session, q, True)
    with pytest.raises(QaRefused, match="unknown_question"):
        vote(service_session, r.people[2], q.id, True, utcnow())


def test_a_participants_questions_are_hidden_in_one_action(service_session: Session) -> None:
    r = room(service_session)
    ask(r, 1, "Spam?")
    ask(r, 1, "More spam?")
    keep = ask(r, 0, "A real question?")
    hidden = qa.hide_questions_of(service_session, r.workshop.id, r.people[1].id)
    service_session.commit()
    assert len(hidden) == 2
    public = [q.id for q in service_session.scalars(select(AudienceQuestion)) if is_public(q)]
    assert public == [keep.id]


def test_a_speaker_link_is_made_once(service_session: Session) -> None:
    r = room(service_session)
    link, _ = qa.speaker_link(service_session, r.workshop.id, "ana")
    again, _ = qa.speaker_link(service_session, r.workshop.id, "ana")
    assert link.token == again.token and len(link.token) >= 32


def race(engine: Engine, work: Callable[[Session], None]) -> None:
    """`work` in two threads with a session (a connection) each, released together."""
    factory = make_session_factory(engine)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with factory() as s:
                barrier.wait(timeout=10)
                work(s)
                s.commit()
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors


def test_one_answer_raced_from_two_devices_makes_one_row(engine: Engine) -> None:
    factory = make_session_factory(engine)
    with factory() as s:
        r = room(s)
        question_id = opened(r, "pick").id
        voter = r.people[0].id

    def answer(s: Session) -> None:
        me, question = s.get(Participant, voter), s.get(Question, question_id)
        assert me is not None and question is not None
        answering.submit(s, me, question, 1, utcnow())

    race(engine, answer)
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(Answer)) == 1


def test_two_votes_raced_on_two_connections_make_one_row(engine: Engine) -> None:
    """Two sessions (two connections) vote for the same participant at the same moment."""
    factory = make_session_factory(engine)
    with factory() as s:
        r = room(s)
        question_id = ask(r).id
        voter = r.people[1].id

    def cast(s: Session) -> None:
        me = s.get(Participant, voter)
        assert me is not None
        vote(s, me, question_id, True, utcnow())

    race(engine, cast)
    with factory() as s:
        rows = s.scalar(
            select(func.count()).select_from(Upvote).where(Upvote.question_id == question_id)
        )
    assert rows == 1


def test_a_reset_clears_the_rehearsals_answers_and_questions_of_this_workshop_only(
    service_session: Session,
) -> None:
    """`live.reset` after a rehearsal: answers, word rules and audience questions (votes
    with them) go; the polls stay, ready again; another workshop keeps everything."""
    from facilitator.questions import lifecycle

    r, other = room(service_session), room(service_session, AGENDA_OTHER)
    for rehearsal in (r, other):
        question = opened(rehearsal, "pick")
        answering.submit(service_session, rehearsal.people[0], question, 1, utcnow())
        question.revealed = True
        asked = ask(rehearsal, 1)
        vote(service_session, rehearsal.people[0], asked.id, True, utcnow())
        service_session.commit()

    lifecycle.clear_rehearsal(service_session, r.workshop.id)
    qa.clear_rehearsal(service_session, r.workshop.id)
    service_session.commit()

    def counted(model: type, workshop_id: int) -> int:
        if model is Answer:
            where = Answer.question_id.in_(
                select(Question.id).where(Question.workshop_id == workshop_id)
            )
        elif model is Upvote:
            where = Upvote.question_id.in_(
                select(AudienceQuestion.id).where(AudienceQuestion.workshop_id == workshop_id)
            )
        else:
            where = AudienceQuestion.workshop_id == workshop_id
        return int(service_session.scalar(select(func.count()).select_from(model).where(where)))

    assert [counted(m, r.workshop.id) for m in (Answer, AudienceQuestion, Upvote)] == [0, 0, 0]
    assert [counted(m, other.workshop.id) for m in (Answer, AudienceQuestion, Upvote)] == [1, 1, 1]
    service_session.expire_all()
    pick = service_session.get(Question, r.questions["pick"].id)
    assert pick is not None and (pick.state, pick.revealed, pick.opened_at) == (
        "ready",
        False,
        None,
    )
    kept = service_session.get(Question, other.questions["pick"].id)
    assert kept is not None and kept.state == "open" and kept.revealed
