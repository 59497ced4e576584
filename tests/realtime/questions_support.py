"""Arrangements and checks for the handler matrix's cases of questions and the Q&A."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from facilitator.agenda.models import Workshop
from facilitator.database import utcnow
from facilitator.participation.models import Participant
from facilitator.qa import services as qa
from facilitator.qa.models import AudienceQuestion, QaSettings, SpeakerLink, Upvote
from facilitator.qa.votes import vote
from facilitator.questions import answering, lifecycle
from facilitator.questions.lifecycle import Draft
from facilitator.questions.models import Answer, Question, QuestionSettings, WordRule
from tests.realtime.support import World

CHOICE = Draft("choice", {"en": "Which?", "fr": "Lequel ?"}, [{"en": "A"}, {"en": "B"}])
WORDS = Draft("words", {"en": "In a word?"})


class Matches:
    """Equal to whatever the predicate accepts: for results with ids or tokens in them."""

    def __init__(self, accepts: Any) -> None:
        self.accepts = accepts

    def __eq__(self, other: object) -> bool:
        return bool(self.accepts(other))

    def __repr__(self) -> str:
        return "Matches(...)"


def _ids(world: World, model: Any, *where: Any) -> int:
    with world.session() as s:
        return int(s.scalar(select(func.max(model.id)).where(*where)) or 1)


def question_id(world: World) -> int:
    """The last question written live (the agenda's are adopted on a console's first sync)."""
    return _ids(world, Question, Question.guiding_question_id.is_(None))


def answer_id(world: World) -> int:
    return _ids(world, Answer)


def qa_id(world: World) -> int:
    return _ids(world, AudienceQuestion)


def count(world: World, model: Any, *where: Any) -> int:
    with world.session() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def question(world: World) -> Question:
    with world.session() as s:
        row = s.get(Question, question_id(world))
        assert row is not None
        return row


def write(world: World, draft: Draft = CHOICE, *, opened: bool = False) -> None:
    with world.session() as s:
        workshop = s.get(Workshop, world.workshop_id)
        assert workshop is not None
        row, _ = lifecycle.create(s, workshop, draft, utcnow())
        if opened:
            lifecycle.open_question(s, row, utcnow())
        s.commit()


def write_open(world: World) -> None:
    write(world, opened=True)


def write_open_text(world: World) -> None:
    write(world, Draft("open", {"en": "Ideas?"}, max_answers=2), opened=True)


def write_open_words(world: World) -> None:
    write(world, WORDS, opened=True)


def answered(world: World, draft: Draft = CHOICE, value: Any = 1) -> None:
    write(world, draft, opened=True)
    with world.session() as s:
        me = s.get(Participant, world.participant.id)
        row = s.get(Question, question_id(world))
        assert me is not None and row is not None
        answering.submit(s, me, row, value, utcnow())
        s.commit()


def answered_words(world: World) -> None:
    answered(world, WORDS, ["Solidarity"])


def asked(world: World, *, moderated: bool = False, by: str = "participant2") -> None:
    with world.session() as s:
        if moderated:
            qa.configure(s, world.workshop_id, True, None)
        me = s.get(Participant, getattr(world, by).id)
        assert me is not None
        qa.ask(s, me, "Why now?", anonymous=False, speaker=None, now=utcnow())
        s.commit()


def asked_pending(world: World) -> None:
    asked(world, moderated=True)


def asked_and_voted(world: World) -> None:
    asked(world)
    with world.session() as s:
        me = s.get(Participant, world.participant.id)
        assert me is not None
        vote(s, me, qa_id(world), True, utcnow())
        s.commit()


def qa_row(world: World) -> AudienceQuestion:
    with world.session() as s:
        row = s.get(AudienceQuestion, qa_id(world))
        assert row is not None
        return row


def auto_open(world: World) -> bool:
    with world.session() as s:
        row = s.get(QuestionSettings, world.workshop_id)
        return row is not None and row.auto_open


def qa_moderated(world: World) -> bool:
    with world.session() as s:
        row = s.get(QaSettings, world.workshop_id)
        return row is not None and row.moderated


MODELS = {
    "answers": Answer,
    "votes": Upvote,
    "rules": WordRule,
    "links": SpeakerLink,
    "asked": AudienceQuestion,
}
