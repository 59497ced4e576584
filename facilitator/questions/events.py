"""Questions and polls on the realtime channel: the moderators' lifecycle and moderation,
the phones' answers, and the coalesced counts and results."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.agenda.changes import AgendaLoaded
from facilitator.domain import DomainError
from facilitator.live.services import LiveChanged, RunReset
from facilitator.participation.models import Participant
from facilitator.participation.senders import sender_workshop
from facilitator.questions import answering, lifecycle, limits, moderation, results, screens
from facilitator.questions.changes import (
    AnswerChanged,
    AnswerModerated,
    ParticipantHidden,
    QuestionChanged,
    QuestionSettingsChanged,
    WordsChanged,
)
from facilitator.questions.lifecycle import auto_opened
from facilitator.questions.models import Answer, Question, WordRule
from facilitator.questions.payloads import (
    Breakdown,
    Configure,
    HideAnswer,
    HideParticipant,
    HideWord,
    Highlight,
    Limit,
    MergeWord,
    One,
    Reveal,
    Rewrite,
    Submit,
    Withdraw,
    Write,
)
from facilitator.questions.types import TYPES
from facilitator.questions.wire import (
    agenda_keys,
    answer_view,
    my_answer_view,
    question_view,
    rules_view,
    visible,
)
from facilitator.realtime.connections import MODERATORS, PARTICIPANTS
from facilitator.realtime.registry import (
    Ask,
    BatchContext,
    Context,
    Effects,
    Feature,
    Message,
    Outcome,
    Refused,
    RenderContext,
    SnapshotContext,
    TallyContext,
)
from facilitator.realtime.rooms import displays, everyone, moderators, participant, phones
from facilitator.realtime.tallies import PHONE_PACE_S

feature = Feature("questions")

OPEN_TALLY, RESULTS, COUNTS = "question.open_list", "question.results", "question.counts"

Result = tuple[Any, Sequence[object]]


def _question(ctx: Context, question_id: int) -> Question:
    return lifecycle.find(ctx.db, ctx.principal.workshop_id, question_id)


# --- the moderators' lifecycle ---------------------------------------------------------


@feature.mutation("question.create", Write, MODERATORS)
def _create(ctx: Context, data: Write) -> Result:
    question, events = lifecycle.create(ctx.db, sender_workshop(ctx), data.draft(), ctx.now)
    return {"question": question.id}, events


@feature.mutation("question.edit", Rewrite, MODERATORS)
def _edit(ctx: Context, data: Rewrite) -> Result:
    question = _question(ctx, data.question)
    return None, lifecycle.edit(ctx.db, sender_workshop(ctx), question, data.draft())


@feature.mutation("question.open", One, MODERATORS)
def _open(ctx: Context, data: One) -> Result:
    lifecycle.ensure_questions(ctx.db, ctx.principal.workshop_id)
    return None, lifecycle.open_question(ctx.db, _question(ctx, data.question), ctx.now)


@feature.mutation("question.close", One, MODERATORS)
def _close(ctx: Context, data: One) -> Result:
    current = auto_opened(ctx.db, ctx.principal.workshop_id)
    return None, lifecycle.close_question(ctx.db, _question(ctx, data.question), current)


@feature.mutation("question.limit", Limit, MODERATORS)
def _limit(ctx: Context, data: Limit) -> Result:
    question = _question(ctx, data.question)
    return None, lifecycle.limit_answers(ctx.db, question, data.max_answers)


@feature.mutation("question.reveal", Reveal, MODERATORS)
def _reveal(ctx: Context, data: Reveal) -> Result:
    return None, lifecycle.reveal(ctx.db, _question(ctx, data.question), data.revealed)


@feature.mutation("question.configure", Configure, MODERATORS)
def _configure(ctx: Context, data: Configure) -> Result:
    return None, lifecycle.configure(ctx.db, ctx.principal.workshop_id, data.auto_open)


# --- answers -------------------------------------------------------------------------------


@feature.mutation("answer.submit", Submit, PARTICIPANTS, batched=True)
def _submit(ctx: Context, data: Submit) -> Result:
    me = ctx.db.get(Participant, ctx.principal.participant_id)  # the guard loaded it
    assert me is not None
    question = _question(ctx, data.question)
    limits.check("answers", me.id)
    answer, events = answering.submit(ctx.db, me, question, data.value, ctx.now, data.answer)
    return {"answer": answer.id, "value": answer.value}, events


@feature.batch("answer.submit")
def _submit_many(ctx: BatchContext, asks: Sequence[Ask[Submit]]) -> list[Outcome]:
    """A room answering at once: each checked as `_submit` checks it, one read and one
    write for them all."""
    checked: list[Outcome | answering.Submission] = []
    for ask in asks:
        me = ctx.db.get(Participant, ask.principal.participant_id)  # the guards loaded them
        assert me is not None
        try:
            question = lifecycle.find(ctx.db, ask.principal.workshop_id, ask.data.question)
            limits.check("answers", me.id)
        except (Refused, DomainError) as exc:
            checked.append(exc)
            continue
        checked.append(answering.Submission(me, question, ask.data.value, ask.data.answer))
    given = iter(
        answering.submit_many(
            ctx.db, [c for c in checked if isinstance(c, answering.Submission)], ctx.now
        )
    )
    outcomes: list[Outcome] = []
    for c in checked:
        if not isinstance(c, answering.Submission):
            outcomes.append(c)
            continue
        one = next(given)
        outcomes.append(
            one
            if isinstance(one, DomainError)
            else ({"answer": one.answer.id, "value": one.value}, one.events)
        )
    return outcomes


@feature.mutation("answer.withdraw", Withdraw, PARTICIPANTS)
def _withdraw(ctx: Context, data: Withdraw) -> Result:
    me = ctx.db.get(Participant, ctx.principal.participant_id)
    assert me is not None
    return None, answering.withdraw(ctx.db, me, data.answer)


@feature.mutation("answer.hide", HideAnswer, MODERATORS)
def _hide(ctx: Context, data: HideAnswer) -> Result:
    return None, answering.hide_answer(ctx.db, ctx.principal.workshop_id, data.answer, data.hidden)


@feature.mutation("answer.highlight", Highlight, MODERATORS)
def _highlight(ctx: Context, data: Highlight) -> Result:
    wid = ctx.principal.workshop_id
    return None, answering.highlight_answer(ctx.db, wid, data.answer, data.highlighted)


@feature.mutation("word.hide", HideWord, MODERATORS)
def _hide_word(ctx: Context, data: HideWord) -> Result:
    question = _question(ctx, data.question)
    return None, answering.hide_word(ctx.db, question, data.word, data.hidden)


@feature.mutation("word.merge", MergeWord, MODERATORS)
def _merge_word(ctx: Context, data: MergeWord) -> Result:
    question = _question(ctx, data.question)
    return None, answering.merge_word(ctx.db, question, data.word, data.into)


@feature.mutation("moderation.hide_participant", HideParticipant, MODERATORS)
def _hide_participant(ctx: Context, data: HideParticipant) -> Result:
    event = moderation.hide_participant(ctx.db, ctx.principal.workshop_id, data.participant)
    return {"answers": len(event.answers), "questions": len(event.questions)}, [event]


@feature.query("question.breakdown", Breakdown, MODERATORS)
def _breakdown(ctx: Context, data: Breakdown) -> dict[str, Any]:
    """Guarded by the mechanism: a moderator whose role was taken away learns nothing."""
    question = lifecycle.find(ctx.db, ctx.principal.workshop_id, data.question)
    return {
        "question": question.id,
        "by": data.by,
        "groups": results.breakdown(ctx.db, question, data.by),
    }


# --- on the wire ---------------------------------------------------------------------------


def _views(db: Session, question: Question) -> tuple[set[int], dict[int, Any]]:
    current = auto_opened(db, question.workshop_id)
    return current, agenda_keys(db, [question])


@feature.renders(QuestionChanged, "question.changed")
def _question_changed(ctx: RenderContext, event: QuestionChanged) -> list[Message]:
    """Everyone sees a question once it opens; the consoles see it from the first word."""
    ctx.db.flush()
    question = ctx.db.get(Question, event.question_id)
    assert question is not None
    current, keys = _views(ctx.db, question)
    staff = {"question": question_view(question, current, keys, staff=True)}
    messages = []
    if visible(question, current):
        public = {"question": question_view(question, current, keys)}
        messages.append(Message("question.changed", public, everyone(event.workshop_id)))
    # Last: a console, in both rooms, ends with the fuller view.
    messages.append(Message("question.changed", staff, moderators(event.workshop_id)))
    return messages


@feature.renders(AnswerChanged, "answer.changed", "answer.removed", "answer.mine")
def _answer_changed(ctx: RenderContext, event: AnswerChanged) -> list[Message]:
    """The consoles get every answer; the phone its own; nobody else a message per answer."""
    ctx.db.flush()
    staff = moderators(event.workshop_id)
    if event.removed:
        first = Message(
            "answer.removed", {"answer": event.answer_id, "question": event.question_id}, staff
        )
    else:
        answer = ctx.db.get(Answer, event.answer_id)
        assert answer is not None
        who = ctx.db.get(Participant, event.participant_id)
        first = Message("answer.changed", {"answer": answer_view(answer, who)}, staff)
    return [first, _mine(ctx.db, event)]


def _mine(db: Session, event: AnswerChanged) -> Message:
    known = db.info.get(answering.MINE, {}).get((event.question_id, event.participant_id))
    answers = (
        sorted(known, key=lambda a: a.slot)
        if known is not None
        else db.scalars(
            select(Answer)
            .where(
                Answer.question_id == event.question_id,
                Answer.participant_id == event.participant_id,
            )
            .order_by(Answer.slot)
        )
    )
    return Message(
        "answer.mine",
        {"question": event.question_id, "answers": [my_answer_view(a) for a in answers]},
        participant(event.workshop_id, event.participant_id),
    )


@feature.renders(AnswerModerated, "answer.changed")
def _answer_moderated(ctx: RenderContext, event: AnswerModerated) -> list[Message]:
    ctx.db.flush()
    answer = ctx.db.get(Answer, event.answer_id)
    assert answer is not None
    who = ctx.db.get(Participant, answer.participant_id)
    return [
        Message(
            "answer.changed", {"answer": answer_view(answer, who)}, moderators(event.workshop_id)
        )
    ]


@feature.renders(WordsChanged, "word.rules")
def _words_changed(ctx: RenderContext, event: WordsChanged) -> list[Message]:
    ctx.db.flush()
    rules = list(ctx.db.scalars(select(WordRule).where(WordRule.question_id == event.question_id)))
    data = {"question": event.question_id, "rules": rules_view(rules)}
    return [Message("word.rules", data, moderators(event.workshop_id))]


@feature.renders(QuestionSettingsChanged, "question.settings")
def _settings_changed(ctx: RenderContext, event: QuestionSettingsChanged) -> list[Message]:
    data = {"auto_open": lifecycle.settings(ctx.db, event.workshop_id).auto_open}
    return [Message("question.settings", data, moderators(event.workshop_id))]


@feature.renders(ParticipantHidden, "moderation.hidden", "qa.removed")
def _participant_hidden(_ctx: RenderContext, event: ParticipantHidden) -> list[Message]:
    data = {
        "participant": event.participant_id,
        "answers": list(event.answers),
        "questions": list(event.questions),
    }
    return [
        Message("moderation.hidden", data, moderators(event.workshop_id)),
        *(
            Message("qa.removed", {"question": q}, everyone(event.workshop_id))
            for q in event.were_public
        ),
    ]


# --- coalesced counts ------------------------------------------------------------------------


@feature.after_commit(AnswerChanged)
@feature.after_commit(AnswerModerated)
@feature.after_commit(WordsChanged)
def _recount(effects: Effects, event: AnswerChanged | AnswerModerated | WordsChanged) -> None:
    effects.mark(COUNTS, event.workshop_id)
    effects.mark(RESULTS, event.workshop_id)


@feature.along(RunReset)
def _clear_rehearsal(db: Session, event: RunReset) -> list[object]:
    """A reset after a rehearsal takes its answers away; every screen resyncs, and the
    counts follow the LiveChanged that comes with it."""
    lifecycle.clear_rehearsal(db, event.workshop_id)
    return []


@feature.after_commit(QuestionChanged)
@feature.after_commit(QuestionSettingsChanged)
@feature.after_commit(LiveChanged)
@feature.after_commit(AgendaLoaded)
@feature.after_commit(ParticipantHidden)
def _reopen(effects: Effects, event: Any) -> None:
    """What is open may have changed (an item that opens its questions, say)."""
    for tally in (OPEN_TALLY, RESULTS, COUNTS):
        effects.mark(tally, event.workshop_id)


@feature.after_commit(ParticipantHidden)
def _recount_votes(effects: Effects, event: ParticipantHidden) -> None:
    effects.mark("qa.votes", event.workshop_id)  # the Q&A's tally: hidden questions leave it


@feature.tally(OPEN_TALLY, everyone)
def _open_tally(ctx: TallyContext, workshop_id: int) -> dict[str, Any] | None:
    if not screens.active(ctx.db, workshop_id):
        return None
    return screens.open_questions(ctx.db, workshop_id)


# The projectors animate them each tick; the phones get them once a second: a word cloud
# four times a second to a thousand phones is megabytes a second of the venue's Wi-Fi.
@feature.tally(RESULTS, displays)
@feature.tally(RESULTS, phones, every=PHONE_PACE_S)
def _results_tally(ctx: TallyContext, workshop_id: int) -> dict[str, Any] | None:
    if not screens.active(ctx.db, workshop_id):
        return None
    return screens.revealed_results(ctx.db, workshop_id)


@feature.tally(COUNTS, moderators)
def _counts_tally(ctx: TallyContext, workshop_id: int) -> dict[str, Any] | None:
    if not screens.active(ctx.db, workshop_id):
        return None
    connected = ctx.here(workshop_id).presence().participants
    return screens.console_counts(ctx.db, workshop_id, connected)


@feature.snapshot
def _snapshot(ctx: SnapshotContext) -> dict[str, Any]:
    p = ctx.principal
    if p.kind == "moderator":
        connected = ctx.here(p.workshop_id).presence().participants
        return {"questions": screens.staff_part(ctx.db, p.workshop_id, connected)}
    return {"questions": screens.public_part(ctx.db, p.workshop_id, p.participant_id)}


__all__ = ["TYPES", "feature"]
