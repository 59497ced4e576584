"""The moderator console's words for questions, polls and the Q&A, translated for
`static/questions/console.js` and `static/qa/console.js`.

Merged into the strings and error messages the console page sends (`live/routes.py`);
the console fills `{name}` placeholders itself.
"""

from __future__ import annotations

from flask_babel import gettext as _


def console_strings() -> dict[str, str]:
    return {**_question_strings(), **_qa_strings(), **_labels(), **_stakeholder_types()}


def _stakeholder_types() -> dict[str, str]:
    """The breakdown's groups by stakeholder type, named as the join form names them."""
    from facilitator.participation.forms import STAKEHOLDER_LABELS  # forms imports services

    return {f"stakeholder_{code}": str(label) for code, label in STAKEHOLDER_LABELS.items()}


def _question_strings() -> dict[str, str]:
    return {
        "q_heading": _("Questions and polls"),
        "q_auto_open": _("Open a program item's questions when the item becomes current"),
        "q_write": _("Write a question"),
        "q_new": _("New question"),
        "q_editing": _("Edit the question"),
        "q_type": _("Type"),
        "q_text_in": _("Question in {language}"),
        "q_languages_hint": _(
            "Write it in one language or more; each participant sees their own language "
            "when it is written, else the first one written."
        ),
        "q_options": _("Options"),
        "q_option_in": _("Option {n} in {language}"),
        "q_remove_option": _("Remove option {n}"),
        "q_add_option": _("Add an option"),
        "q_scale_min": _("Lowest value"),
        "q_scale_max": _("Highest value"),
        "q_min_label_in": _("Label of the lowest value in {language} (optional)"),
        "q_max_label_in": _("Label of the highest value in {language} (optional)"),
        "q_max_answers": _("Answers per participant"),
        "q_create": _("Add the question"),
        "q_save": _("Save the changes"),
        "q_cancel": _("Cancel"),
        "q_created": _("The question was added. Open it when the room is ready."),
        "q_none": _("No questions yet: write one, or load an agenda with guiding questions."),
        "q_live_section": _("Written live"),
        "q_other_section": _("Other questions"),
        "q_current_item": _("Current item"),
        "q_state_ready": _("Not open yet"),
        "q_state_open": _("Open"),
        "q_state_closed": _("Closed"),
        "q_shown": _("Results shown"),
        "q_not_shown": _("Results hidden"),
        "q_open": _("Open"),
        "q_close": _("Close"),
        "q_reopen": _("Reopen"),
        "q_reveal": _("Show the results"),
        "q_unreveal": _("Hide the results"),
        "q_edit": _("Edit"),
        "q_counts": _("Answers: {answers} · {participants} of {connected} connected answered"),
        "q_share": _("{share}%"),
        "q_share_label": _("Share of connected participants who answered"),
        "q_no_answers": _("No answers yet."),
        "q_mean": _("Mean: {mean}"),
        "q_points_note": _("Points: the more first places, the more points."),
        "q_answers_one_by_one": _("Answers one by one ({n})"),
        "q_hide": _("Hide"),
        "q_show": _("Show"),
        "q_highlight": _("Highlight"),
        "q_unhighlight": _("Remove the highlight"),
        "q_hidden": _("Hidden"),
        "q_highlighted": _("Highlighted"),
        "q_hide_person": _("Hide everything from {name}"),
        "q_confirm_hide_person": _(
            "Hide every answer and audience question from {name}? You can show each one again."
        ),
        "q_hidden_person": _("Hidden: answers {answers}, audience questions {questions}."),
        "q_someone": _("Someone"),
        "q_words": _("Words"),
        "q_word_count": _("{count} ×"),
        "q_word_hidden": _("hidden from the cloud"),
        "q_word_merged": _("counted as “{into}”"),
        "q_word_merges": _("with {words}"),
        "q_merge_into": _("Merge “{word}” into"),
        "q_merge": _("Merge"),
        "q_unmerge": _("Count it apart again"),
        "q_breakdown": _("Breakdown"),
        "q_breakdown_by": _("Break the results down by"),
        "q_breakdown_show": _("Show the breakdown"),
        "q_breakdown_none": _("Nothing to break down: no answers with this information."),
        "q_breakdown_loading": _("Counting…"),
        "q_breakdown_failed": _("The breakdown could not be counted; try again."),
        "q_by_language": _("Language"),
        "q_by_country": _("Country"),
        "q_by_organisation_type": _("Organisation type"),
        "q_by_stakeholder_type": _("Stakeholder type"),
        "q_not_given": _("Not given"),
        "q_group": _("Group"),
        "q_answers": _("Answers"),
        "q_chart_label": _("Results of “{question}” by {by}"),
    }


def _qa_strings() -> dict[str, str]:
    return {
        "qa_heading": _("Audience questions"),
        "qa_moderated": _("Approve questions before they are shown"),
        "qa_names": _("Participants may ask"),
        "qa_names_any": _("under their name or anonymously"),
        "qa_names_named": _("under their name only"),
        "qa_names_anonymous": _("anonymously only"),
        "qa_add_heading": _("Add a question from the room (a chat, a microphone, a card)"),
        "qa_text": _("Question"),
        "qa_from": _("From (the name as given, optional)"),
        "qa_language": _("Language it is written in"),
        "qa_for_speaker": _("For a speaker (optional)"),
        "qa_no_speaker": _("Nobody in particular"),
        "qa_add": _("Add the question"),
        "qa_added": _("The question was added."),
        "qa_filter_pending": _("Awaiting approval ({n})"),
        "qa_filter_open": _("Open ({n})"),
        "qa_filter_answered": _("Answered ({n})"),
        "qa_filter_hidden": _("Hidden ({n})"),
        "qa_filter_all": _("All ({n})"),
        "qa_filters": _("Which questions"),
        "qa_sort": _("Sort by"),
        "qa_sort_votes": _("Most votes"),
        "qa_sort_time": _("Newest"),
        "qa_all_languages": _("All languages"),
        "qa_filter_language": _("Language"),
        "qa_empty": _("No questions here."),
        "qa_votes": _("{n} votes"),
        "qa_anonymous": _("Anonymous"),
        "qa_from_name": _("from {name}"),
        "qa_added_by_moderator": _("added by a moderator"),
        "qa_to_speaker": _("for {name}"),
        "qa_edited": _("edited"),
        "qa_pinned": _("Pinned"),
        "qa_pending": _("Awaiting approval"),
        "qa_answered_by": _("Answered by {name}"),
        "qa_answered": _("Answered"),
        "qa_approve": _("Approve"),
        "qa_pin": _("Pin"),
        "qa_unpin": _("Unpin"),
        "qa_mark_answered": _("Mark answered"),
        "qa_reopen": _("Back to open"),
        "qa_fix": _("Fix the text"),
        "qa_save": _("Save"),
        "qa_cancel": _("Cancel"),
        "qa_hide": _("Hide"),
        "qa_show": _("Show again"),
        "qa_answered_by_label": _("Answered by"),
        "qa_someone_else": _("Someone else (type the name)"),
        "qa_answerer_name": _("Name of who answered"),
        "qa_answer_text": _("Short answer (optional)"),
        "qa_links_heading": _("Speakers' links"),
        "qa_links_hint": _(
            "A speaker's link shows, on a tablet or a phone, the questions addressed to "
            "them, most votes first. No account is needed: share it only with them."
        ),
        "qa_make_link": _("Make the link for {name}"),
        "qa_copy_link": _("Copy the link for {name}"),
        "qa_open_link": _("Open"),
        "qa_copied": _("The link was copied."),
        "qa_copy_failed": _("Copy the link from the field: the browser did not allow it."),
        "qa_link_of": _("Link for {name}"),
        "qa_no_people": _("The agenda lists no speakers."),
    }


def _labels() -> dict[str, str]:
    return {
        "type_open": _("Open answer"),
        "type_words": _("Words (a word cloud)"),
        "type_choice": _("One choice"),
        "type_multi": _("Several choices"),
        "type_scale": _("Scale"),
        "type_rank": _("Ranking"),
    }


def console_errors() -> dict[str, str]:
    """What the refusals of questions and the Q&A mean, for the moderator."""
    return {
        "unknown_question": _("That question is no longer there."),
        "already_open": _("That question is open already."),
        "not_open": _("That question is not open."),
        "question_started": _("That question was opened or answered: its wording stays."),
        "question_from_agenda": _(
            "The agenda's questions are changed by uploading the agenda again."
        ),
        "unknown_type": _("Choose a type of question."),
        "text_missing": _("Write the text first."),
        "text_too_long": _("A text is too long (at most 500 characters)."),
        "unknown_language": _("That language is not one of the session's."),
        "options_do_not_fit": _("Give 2 to 12 options."),
        "scale_does_not_fit": _("The lowest value must be below the highest."),
        "max_answers_does_not_fit": _("Answers per participant: 1 to 10, open answers only."),
        "unknown_answer": _("That answer is no longer there."),
        "not_a_words_question": _("Words can be hidden or merged in a words question only."),
        "merge_chain": _("That word is itself merged into another: merge into that one."),
        "answer_empty": _("Choose a word first."),
        "unknown_person": _("That speaker is not in the agenda."),
        "not_pending": _("That question is not awaiting approval."),
        "not_public": _("Only an approved, visible question can be pinned."),
        "not_approved": _("Approve the question before marking it answered."),
        "unknown_setting": _("That setting is not known."),
    }
