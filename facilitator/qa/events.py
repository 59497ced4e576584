"""The audience Q&A on the realtime channel: asking, voting, moderation, the votes tally."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import Field
from sqlalchemy.orm import Session

from facilitator.live.services import RunReset
from facilitator.participation.senders import sender_participant, sender_workshop
from facilitator.qa import screens, services
from facilitator.qa.changes import (
    AudienceQuestionChanged,
    QaSettingsChanged,
    SpeakerLinkMade,
    VoteChanged,
)
from facilitator.qa.models import (
    MAX_NAME_LENGTH,
    MAX_QUESTION_LENGTH,
    AudienceQuestion,
    SpeakerLink,
)
from facilitator.qa.services import Answered, is_public
from facilitator.qa.votes import vote, votes
from facilitator.qa.wire import own_view, person_keys, public_view, staff_view
from facilitator.questions import limits
from facilitator.realtime import protocol
from facilitator.realtime.connections import MODERATORS, PARTICIPANTS
from facilitator.realtime.protocol import Mutation as Payload
from facilitator.realtime.registry import (
    Context,
    Effects,
    Feature,
    Message,
    RenderContext,
    SnapshotContext,
    TallyContext,
)
from facilitator.realtime.rooms import displays, everyone, moderators, participant, phones
from facilitator.realtime.tallies import PHONE_PACE_S

feature = Feature("qa")

VOTES = "qa.votes"
KEY = r"^[a-z0-9-]{1,64}$"

Result = tuple[Any, Sequence[object]]
QuestionId = Annotated[int, Field(ge=1, le=protocol.MAX_INT)]


class Ask(Payload):
    text: str = Field(min_length=1, max_length=MAX_QUESTION_LENGTH)
    anonymous: bool = False
    speaker: str | None = Field(default=None, pattern=KEY)


class Add(Payload):
    text: str = Field(min_length=1, max_length=MAX_QUESTION_LENGTH)
    name: str | None = Field(default=None, max_length=MAX_NAME_LENGTH)
    language: str = Field(min_length=2, max_length=35)
    speaker: str | None = Field(default=None, pattern=KEY)


class Vote(Payload):
    question: QuestionId
    voted: bool = True


class Edit(Payload):
    question: QuestionId
    text: str = Field(min_length=1, max_length=MAX_QUESTION_LENGTH)


class One(Payload):
    question: QuestionId


class Hide(Payload):
    question: QuestionId
    hidden: bool = True


class Pin(Payload):
    question: QuestionId
    pinned: bool = True


class Answer(Payload):
    question: QuestionId
    answered: bool = True
    by_person: str | None = Field(default=None, pattern=KEY)
    by_name: str | None = Field(default=None, max_length=MAX_NAME_LENGTH)
    text: str | None = Field(default=None, max_length=MAX_QUESTION_LENGTH)


class Configure(Payload):
    moderated: bool | None = None
    names: Literal["any", "named", "anonymous"] | None = None


class Link(Payload):
    speaker: str = Field(pattern=KEY)


def _question(ctx: Context, question_id: int) -> AudienceQuestion:
    return services.find(ctx.db, ctx.principal.workshop_id, question_id)


@feature.mutation("qa.ask", Ask, PARTICIPANTS)
def _ask(ctx: Context, data: Ask) -> Result:
    limits.check("questions", ctx.principal.participant_id)
    question, events = services.ask(
        ctx.db,
        sender_participant(ctx),
        data.text,
        anonymous=data.anonymous,
        speaker=data.speaker,
        now=ctx.now,
    )
    return {"question": question.id, "status": question.status}, events


@feature.mutation("qa.add", Add, MODERATORS)
def _add(ctx: Context, data: Add) -> Result:
    question, events = services.add(
        ctx.db,
        sender_workshop(ctx),
        ctx.principal.user_id or 0,
        data.text,
        name=data.name,
        language=data.language,
        speaker=data.speaker,
        now=ctx.now,
    )
    return {"question": question.id}, events


@feature.mutation("qa.vote", Vote, PARTICIPANTS, batched=True)
def _vote(ctx: Context, data: Vote) -> Result:
    limits.check("votes", ctx.principal.participant_id)
    return None, vote(ctx.db, sender_participant(ctx), data.question, data.voted, ctx.now)


@feature.mutation("qa.edit", Edit, MODERATORS)
def _edit(ctx: Context, data: Edit) -> Result:
    return None, services.edit(ctx.db, _question(ctx, data.question), data.text, ctx.now)


@feature.mutation("qa.approve", One, MODERATORS)
def _approve(ctx: Context, data: One) -> Result:
    return None, services.approve(ctx.db, _question(ctx, data.question))


@feature.mutation("qa.hide", Hide, MODERATORS)
def _hide(ctx: Context, data: Hide) -> Result:
    return None, services.hide(ctx.db, _question(ctx, data.question), data.hidden)


@feature.mutation("qa.pin", Pin, MODERATORS)
def _pin(ctx: Context, data: Pin) -> Result:
    return None, services.pin(ctx.db, _question(ctx, data.question), data.pinned)


@feature.mutation("qa.answer", Answer, MODERATORS)
def _answer(ctx: Context, data: Answer) -> Result:
    answered = Answered(data.by_person, data.by_name, data.text) if data.answered else None
    return None, services.answer(ctx.db, _question(ctx, data.question), answered, ctx.now)


@feature.mutation("qa.configure", Configure, MODERATORS)
def _configure(ctx: Context, data: Configure) -> Result:
    return None, services.configure(ctx.db, ctx.principal.workshop_id, data.moderated, data.names)


@feature.mutation("qa.speaker_link", Link, MODERATORS)
def _link(ctx: Context, data: Link) -> Result:
    link, events = services.speaker_link(ctx.db, ctx.principal.workshop_id, data.speaker)
    return {"speaker": data.speaker, "token": link.token}, events


# --- on the wire ---------------------------------------------------------------------------


@feature.renders(AudienceQuestionChanged, "qa.question", "qa.removed", "qa.staff", "qa.mine")
def _changed(ctx: RenderContext, event: AudienceQuestionChanged) -> list[Message]:
    q = ctx.db.get(AudienceQuestion, event.question_id)
    assert q is not None
    people = person_keys(ctx.db, q.workshop_id)
    n = votes(ctx.db, q.workshop_id).get(q.id, 0)
    messages = [
        Message("qa.staff", {"question": staff_view(q, people, n)}, moderators(q.workshop_id))
    ]
    if is_public(q):
        messages.append(
            Message("qa.question", {"question": public_view(q, people, n)}, everyone(q.workshop_id))
        )
    elif event.was_public:
        messages.append(Message("qa.removed", {"question": q.id}, everyone(q.workshop_id)))
    if q.participant_id is not None:
        messages.append(
            Message(
                "qa.mine",
                {"question": own_view(q, people, n)},
                participant(q.workshop_id, q.participant_id),
            )
        )
    return messages


@feature.renders(VoteChanged, "qa.voted")
def _voted(_ctx: RenderContext, event: VoteChanged) -> list[Message]:
    """The voter's other devices learn it; the counts go out as the `qa.votes` tally."""
    return [
        Message(
            "qa.voted",
            {"question": event.question_id, "voted": event.voted},
            participant(event.workshop_id, event.participant_id),
        )
    ]


@feature.renders(QaSettingsChanged, "qa.settings")
def _settings(ctx: RenderContext, event: QaSettingsChanged) -> list[Message]:
    return [
        Message(
            "qa.settings",
            screens.settings_view(ctx.db, event.workshop_id),
            everyone(event.workshop_id),
        )
    ]


@feature.renders(SpeakerLinkMade, "qa.link")
def _link_made(ctx: RenderContext, event: SpeakerLinkMade) -> list[Message]:
    link = ctx.db.get(SpeakerLink, event.person_id)
    assert link is not None
    people = person_keys(ctx.db, event.workshop_id)
    return [
        Message(
            "qa.link",
            {"speaker": people.get(event.person_id), "token": link.token},
            moderators(event.workshop_id),
        )
    ]


@feature.along(RunReset)
def _clear_rehearsal(db: Session, event: RunReset) -> list[object]:
    """A reset after a rehearsal takes its audience questions away; every screen resyncs."""
    services.clear_rehearsal(db, event.workshop_id)
    return []


@feature.after_commit(VoteChanged)
@feature.after_commit(AudienceQuestionChanged)
@feature.after_commit(RunReset)
def _recount(effects: Effects, event: VoteChanged | AudienceQuestionChanged | RunReset) -> None:
    effects.mark(VOTES, event.workshop_id)


# The consoles and projectors each tick; the phones once a second (enough for a count,
# and a thousand phones on the venue's Wi-Fi get a quarter of the traffic).
@feature.tally(VOTES, moderators)
@feature.tally(VOTES, displays)
@feature.tally(VOTES, phones, every=PHONE_PACE_S)
def _votes(ctx: TallyContext, workshop_id: int) -> dict[str, Any] | None:
    return screens.vote_counts(ctx.db, workshop_id)


@feature.snapshot
def _snapshot(ctx: SnapshotContext) -> dict[str, Any]:
    p = ctx.principal
    return {"qa": screens.part(ctx.db, p.workshop_id, p.kind, p.participant_id)}
