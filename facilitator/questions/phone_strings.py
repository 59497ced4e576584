"""The phone's words for questions, polls and the Q&A, translated for phone.js.

Merged into the strings `participation/phone.py` sends; the phone picks one by key
(`static/questions/phone.js`, `static/qa/phone.js`) and fills `{name}` placeholders.
A refusal's key is `refused_<the error code>` (`refused_other` for the rest; `forbidden`
takes the page's own `refused`).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from facilitator.agenda.models import Workshop


def phone_strings() -> dict[str, str]:
    return {**_question_strings(), **_qa_strings(), **_refusals()}


def _question_strings() -> dict[str, str]:
    return {
        "q_heading": _("Questions for you"),
        "q_earlier": _("Earlier questions"),
        "q_hint_text": _("Write your answer."),
        "q_hint_text_many": _("Write your answer. You can give up to {n} answers."),
        "q_hint_words": _("One to three short words."),
        "q_hint_single": _("Choose one."),
        "q_hint_multiple": _("Choose all that apply."),
        "q_hint_scale": _("Choose a number from {min} to {max}."),
        "q_hint_order": _("Put the options in order, the most important first."),
        "q_your_answer": _("Your answer"),
        "q_your_answers": _("Your answers"),
        "q_word": _("Word {n}"),
        "q_word_optional": _("Word {n} (optional)"),
        "q_chars_left": _("{n} characters left"),
        "q_chars_over": _("{n} characters too many"),
        "q_send": _("Send"),
        "q_change": _("Change my answer"),
        "q_edit": _("Edit"),
        "q_save": _("Save the change"),
        "q_cancel": _("Cancel"),
        "q_withdraw": _("Withdraw"),
        "q_sending": _("Sending…"),
        "q_sent": _("Your answer was recorded."),
        "q_queued": _("You are offline: your answer will be sent when the connection is back."),
        "q_withdrawn": _("Your answer was withdrawn."),
        "q_all_given": _("You gave all the answers this question takes."),
        "q_closed": _("This question is closed."),
        "q_results": _("Results"),
        "q_answers": _("Answers: {n}"),
        "q_mean": _("Average: {mean}"),
        "q_points": _("Points: {n}"),
        "q_move_up": _("Move up: {option}"),
        "q_move_down": _("Move down: {option}"),
    }


def _qa_strings() -> dict[str, str]:
    return {
        "qa_heading": _("Questions to the speakers"),
        "qa_ask": _("Ask a question"),
        "qa_text": _("Your question"),
        "qa_to": _("Addressed to"),
        "qa_to_anyone": _("Anyone"),
        "qa_speakers_now": _("Speakers now"),
        "qa_speakers_other": _("Other speakers"),
        "qa_as": _("Ask"),
        "qa_named": _("Under my name ({name})"),
        "qa_anonymous": _("Anonymously"),
        "qa_only_anonymous": _("Questions are anonymous in this session."),
        "qa_need_name": _("This session asks for names on questions, and you joined without one."),
        "qa_send": _("Send the question"),
        "qa_sent": _("Your question was sent."),
        "qa_sent_pending": _("Your question was sent. It appears to others once approved."),
        "qa_queued": _("You are offline: your question will be sent when the connection is back."),
        "qa_list": _("Questions from the audience"),
        "qa_sort": _("Sort by"),
        "qa_sort_votes": _("Most votes"),
        "qa_sort_time": _("Newest"),
        "qa_my_language": _("Only questions in my language"),
        "qa_none": _("No questions yet."),
        "qa_none_in_language": _("No questions in your language yet."),
        "qa_pending": _("Waiting for approval"),
        "qa_answered": _("Answered"),
        "qa_answered_by": _("Answered by {name}"),
        "qa_pinned": _("On stage now"),
        "qa_anonymous_asker": _("Anonymous"),
        "qa_yours": _("Yours"),
        "qa_to_speaker": _("To {name}"),
        "qa_in_language": _("In {language}"),
        "qa_vote": _("Vote"),
        "qa_voted": _("Voted"),
        "qa_votes": _("{n} votes"),
        "qa_edited": _("edited"),
    }


def _refusals() -> dict[str, str]:
    return {
        "refused_question_closed": _("This question is closed: your answer was not recorded."),
        "refused_unknown_question": _("This question is no longer available."),
        "refused_answers_rate_limited": _(
            "You are answering very fast: wait a minute, then send again."
        ),
        "refused_answer_too_long": _("Your answer is too long: at most 500 characters."),
        "refused_answer_empty": _("Write or choose an answer first."),
        "refused_too_many_words": _("At most three words."),
        "refused_word_too_long": _("A word is too long: at most 32 characters each."),
        "refused_answer_limit": _("You gave as many answers as this question takes."),
        "refused_out_of_scale": _("Choose a number on the scale."),
        "refused_ranking_incomplete": _("Put every option in the order."),
        "refused_unknown_option": _("That option no longer exists: choose again."),
        "refused_unknown_answer": _("That answer no longer exists."),
        "refused_answer_type": _("That answer does not fit this question."),
        "refused_rate_limited": _("Too much at once: wait a moment and try again."),
        "refused_other": _("That did not work: try again."),
        "refused_questions_rate_limited": _(
            "You asked several questions in a short time: wait a minute before the next one."
        ),
        "refused_votes_rate_limited": _("You are voting very fast: wait a moment."),
        "refused_text_too_long": _("Your question is too long: at most 500 characters."),
        "refused_text_missing": _("Write your question first."),
        "refused_anonymous_not_allowed": _("This session asks for names on questions."),
        "refused_names_not_allowed": _("Questions are anonymous in this session."),
        "refused_name_missing": _("You joined without a name: ask anonymously."),
        "refused_unknown_person": _("That speaker is no longer on the programme."),
    }


def phone_speakers(workshop: Workshop) -> dict[str, Any]:
    """Whom a phone's Q&A question may be addressed to: every person of the programme's
    items (by agenda key, in programme order) and, per item, its people's keys."""
    people: dict[str, str] = {}
    items: dict[str, list[str]] = {}
    for item in workshop.program:
        items[item.key] = [person.key for person in item.people]
        for person in item.people:
            people.setdefault(person.key, person.name)
    return {"people": [{"key": k, "name": n} for k, n in people.items()], "items": items}
