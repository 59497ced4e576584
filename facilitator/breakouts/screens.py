"""What the breakout screens need in their page data: translated strings (the JS never
writes a sentence of its own), the error messages of acks, and the guideline blocks
(agenda text in every language; each screen picks its viewer's).

Each page adds one key, `"breakouts": phone_data(workshop)` (or console_/display_),
and `static/breakouts/*.js` read it. Placeholders such as {count} are filled in by JS.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from facilitator.agenda.models import Workshop

CARD_MAX = 280
SYNTHESIS_MAX = 5000


def has_breakouts(workshop: Workshop) -> bool:
    """Whether the workshop can run breakout groups (they work on guideline blocks): the
    pages of one that cannot carry none of their strings."""
    return bool(workshop.guideline_blocks)


def blocks_view(workshop: Workshop) -> dict[str, Any]:
    """The guideline blocks by key: title, prompts (the board's columns), assessment."""
    return {
        block.key: {
            "title": block.title,
            "prompts": block.prompts or [],
            "assessment": block.assessment,
        }
        for block in workshop.guideline_blocks
    }


def breakout_items(workshop: Workshop) -> list[dict[str, Any]]:
    """The program items of kind `breakout`, for the console's forming."""
    return [
        {"key": item.key, "title": item.title, "blocks": [block.key for block in item.blocks]}
        for item in workshop.program
        if item.kind == "breakout"
    ]


def errors() -> dict[str, str]:
    """What a refused breakout action means, on every screen."""
    return {
        "group_full": _("That group is full: choose another one."),
        "conflict": _("Someone changed this at the same time."),
        "closed": _("The breakouts are closed: the boards can be read, not changed."),
        "forbidden": _("You may not do this."),
        "no_votes_left": _("You have no votes left: take one back first."),
        "rate_limited": _("Too many actions at once; wait a moment and try again."),
        "bad_payload": _("The server did not understand the request."),
        "text_length": _("That text is empty or too long."),
        "not_found": _("That is no longer there."),
        "not_member": _("You are not in that group."),
        "wrong_phase": _("That is not possible in this phase."),
        "no_round": _("There are no breakout groups now."),
        "round_open": _("Breakout groups are already open: close them first."),
        "internal_error": _("The server failed and changed nothing; try again."),
        "generic": _("That did not work (%(code)s).", code="{code}"),
    }


def _board_strings() -> dict[str, str]:
    """The board, shared by the phone and the console."""
    return {
        "board": _("Board"),
        "group_n": _("Group %(n)s", n="{n}"),
        "blocks": _("Blocks"),
        "columns": _("Columns"),
        "column_n": _("Column %(n)s", n="{n}"),
        "cards": _("%(count)s cards", count="{count}"),
        "cards_one": _("1 card"),
        "add_card": _("Add a card"),
        "pending": _("Waiting to be sent"),
        "add": _("Add"),
        "edit": _("Edit"),
        "edit_card": _("Edit the card"),
        "save": _("Save"),
        "saved": _("Saved."),
        "cancel": _("Cancel"),
        "delete": _("Delete"),
        "confirm_delete": _("Delete this card?"),
        "move_to": _("Move to %(column)s", column="{column}"),
        "merge": _("Merge into…"),
        "merge_pick": _("Tap the card to merge it into."),
        "merge_here": _("Merge here"),
        "merged": _("%(count)s merged cards", count="{count}"),
        "merged_one": _("1 merged card"),
        "unmerge": _("Take out"),
        "vote": _("Vote"),
        "unvote": _("Take my vote back"),
        "votes": _("%(count)s votes", count="{count}"),
        "votes_one": _("1 vote"),
        "votes_left": _("%(count)s votes left", count="{count}"),
        "votes_left_one": _("1 vote left"),
        "by": _("by %(name)s", name="{name}"),
        "by_you": _("by you"),
        "someone": _("someone"),
        "anonymous": _("Anonymous"),
        "no_blocks": _("This group has no block to work on."),
        "conflict_title": _("Someone changed this at the same time"),
        "conflict_explain": _("Nothing is lost: choose which text to keep."),
        "conflict_theirs": _("Saved by %(name)s", name="{name}"),
        "conflict_mine": _("Your text"),
        "keep_mine": _("Keep my text"),
        "keep_theirs": _("Keep theirs"),
        "phases": _("Phases"),
        "phase_write": _("Write"),
        "phase_cluster": _("Cluster"),
        "phase_vote": _("Vote"),
        "phase_synthesise": _("Synthesise"),
        "phase_until": _("This phase ends in %(time)s", time="{time}"),
        "phase_over": _("The time for this phase is up."),
        "set_phase": _("Change the phase"),
        "go_to_phase": _("Go to: %(phase)s", phase="{phase}"),
        "time_left": _("Time left"),
        "synthesis": _("Synthesis"),
        "synthesis_none": _("The rapporteur has not written the synthesis yet."),
        "synthesis_help": _("The group's synthesis (markdown), from the board"),
        "dismiss": _("Dismiss"),
    }


def phone_data(workshop: Workshop) -> dict[str, Any]:
    strings = {
        **_board_strings(),
        "closing_in": _("The breakout groups close in"),
        "presenting": _("Now presenting"),
        "choose_group": _("Choose your group"),
        "seats": _("%(count)s of %(max)s places taken", count="{count}", max="{max}"),
        "members_count": _("%(count)s members", count="{count}"),
        "members_count_one": _("1 member"),
        "full": _("full"),
        "change_group": _("Change group"),
        "assessment": _("Self-assessment"),
        "assess_question": _(
            "How far is this in place in your territory: %(block)s?", block="{block}"
        ),
        "assess_summary": _("%(count)s answers, average %(mean)s", count="{count}", mean="{mean}"),
        "your_group": _("Your group"),
        "meeting": _("Join the group's video call"),
        "rapporteur": _("rapporteur"),
        "you": _("you"),
        "rapporteur_is": _("Rapporteur: %(name)s", name="{name}"),
        "no_rapporteur": _("No rapporteur yet."),
        "be_rapporteur": _("I will be the rapporteur"),
        "closed_read_only": _("The breakouts are closed: the board can be read, not changed."),
        "call_moderator": _("Call the moderator"),
        "help_called": _("The moderators were called: someone will join your group."),
        "gallery": _("Gallery walk"),
        "gallery_help": _("Read every group's board."),
        "forming": _("The groups are being formed…"),
        "no_group": _("You are not in a group yet: the moderators will place you."),
    }
    return {"strings": strings, "errors": errors(), "blocks": blocks_view(workshop)}


def console_data(workshop: Workshop) -> dict[str, Any]:
    strings = {
        **_board_strings(),
        "breakouts": _("Breakout groups"),
        "no_round": _("No breakout groups yet."),
        "item": _("Program item"),
        "any_item": _("No item: all the blocks"),
        "mode": _("How groups form"),
        "mode_random": _("Random and balanced"),
        "mode_self": _("Each participant chooses"),
        "mode_language": _("By language"),
        "mode_stakeholder": _("Mixed by type of organisation"),
        "mode_manual": _("Manual"),
        "number_of": _("Form by"),
        "by_groups": _("Number of groups"),
        "by_size": _("People per group"),
        "max_size": _("At most per group (0: no limit)"),
        "preview": _("Preview the groups"),
        "rebuild": _("Form again"),
        "open": _("Open the groups"),
        "state_preview": _("Preview: phones do not see the groups yet"),
        "state_open": _("Open"),
        "state_closing": _("Closing"),
        "state_closed": _("Closed: boards are read-only"),
        "unplaced": _("Not in a group"),
        "nobody": _("Nobody"),
        "move": _("Move"),
        "move_named": _("Move %(name)s", name="{name}"),
        "move_here": _("Move here"),
        "moving": _("Moving %(name)s: choose a group.", name="{name}"),
        "out_of_groups": _("Take out of the groups"),
        "drag_hint": _("Drag people between groups, or tap Move then the group."),
        "tap_hint": _("Tap a name to move that person to another group."),
        "add_group": _("Add a group"),
        "remove_group": _("Remove the group"),
        "group_name": _("Name of %(name)s", name="{name}"),
        "members_count": _("%(count)s members", count="{count}"),
        "members_count_one": _("1 member"),
        "connected_count": _("%(count)s connected", count="{count}"),
        "connected": _("connected"),
        "not_connected": _("not connected"),
        "overview": _("Every group, live"),
        "phase": _("Phase"),
        "all_phase": _("Phase of every group"),
        "votes_total": _("%(count)s votes", count="{count}"),
        "votes_total_one": _("1 vote"),
        "last_activity": _("Last activity %(minutes)s min ago", minutes="{minutes}"),
        "no_activity": _("No activity yet"),
        "synthesis_chars": _("Synthesis: %(count)s characters", count="{count}"),
        "open_board": _("Open the board"),
        "close_board": _("Back to every group"),
        "help": _("Help requests"),
        "help_none": _("No one is asking for help."),
        "help_from": _("%(name)s in %(group)s", name="{name}", group="{group}"),
        "answered": _("Answered"),
        "broadcast": _("Message to the groups"),
        "message": _("Message"),
        "to": _("For"),
        "all_groups": _("Every group"),
        "send": _("Send"),
        "timer_minutes": _("Timer (minutes)"),
        "set_timer": _("Set the timer"),
        "clear_timer": _("Clear"),
        "add_minute": _("+1 min"),
        "add_five": _("+5 min"),
        "time_left": _("Time left"),
        "close": _("Close the groups"),
        "close_seconds": _("Countdown (seconds)"),
        "close_now": _("Close now"),
        "reopen": _("Reopen"),
        "closing_in": _("Closing in %(time)s", time="{time}"),
        "gallery_open": _("Open the gallery walk"),
        "gallery_close": _("End the gallery walk"),
        "report": _("Report-back"),
        "report_previous": _("Previous group"),
        "report_next": _("Next group"),
        "report_cycle": _("Cycle through the groups"),
        "report_stop": _("Stop the report-back"),
        "report_none": _("No group is presented."),
        "report_showing": _("On the projector: %(name)s", name="{name}"),
        "end": _("End the breakouts"),
        "confirm_end": _("End the breakouts? The groups and their boards are kept for the record."),
        "confirm_remove_group": _(
            "Remove %(name)s? Its members go back to no group.", name="{name}"
        ),
        "write_as_moderator": _("You write as a moderator."),
        "rapporteur_is": _("Rapporteur: %(name)s", name="{name}"),
        "no_rapporteur": _("No rapporteur yet."),
        "make_rapporteur": _("Make rapporteur"),
        "meeting_url": _("Meeting link (optional)"),
        "deadline": _("Phase deadline"),
        "deadline_none": _("No deadline"),
        "deadline_minutes": _("%(count)s min", count="{count}"),
        "phase_ends_in": _("Phase ends in %(time)s", time="{time}"),
        "votes_per_member": _("Votes per member"),
        "votes_per_member_hint": _("given when you start the vote"),
        "group_settings": _("Name and blocks of the group"),
        "group_name_label": _("Name of the group"),
        "group_blocks": _("Blocks the group works on"),
        "blocks_pick_one": _("Choose at least one block."),
        "synthesis_preview": _("As the room will read it"),
    }
    return {
        "strings": strings,
        "errors": errors(),
        "blocks": blocks_view(workshop),
        "items": breakout_items(workshop),
    }


def display_data(workshop: Workshop) -> dict[str, Any]:
    strings = {
        "closing_in": _("The breakout groups close in"),
        "group_n": _("Group %(n)s", n="{n}"),
        "report": _("Report-back"),
        "members_count": _("%(count)s members", count="{count}"),
        "members_count_one": _("1 member"),
        "synthesis": _("Synthesis"),
        "top_cards": _("Most voted"),
        "votes": _("%(count)s votes", count="{count}"),
        "votes_one": _("1 vote"),
        "radar": _("The room's self-assessment of the blocks"),
        "radar_summary": _("%(block)s: %(mean)s", block="{block}", mean="{mean}"),
        "no_synthesis": _("No synthesis yet."),
        "working": _("Groups at work"),
        "whole_room": _("Whole room"),
        "time_left": _("Time left"),
        "phase_write": _("Write"),
        "phase_cluster": _("Cluster"),
        "phase_vote": _("Vote"),
        "phase_synthesise": _("Synthesise"),
    }
    return {"strings": strings, "blocks": blocks_view(workshop)}
