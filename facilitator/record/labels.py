"""The record's headings in the export's language, from the app's catalogues (no Flask)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel import Locale
from babel.support import NullTranslations, Translations

TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"


def _(message: str) -> str:  # a marker for extraction; translated in `headings`
    return message


HEADINGS = {
    "record": _("Session record"),
    "draft": _("Draft"),
    "version": _("Version"),
    "session": _("Session information"),
    "title": _("Title"),
    "event": _("Event"),
    "reference": _("Reference"),
    "kind": _("Type of session"),
    "thematic_line": _("Thematic line"),
    "audience": _("Target audience"),
    "background": _("Background"),
    "languages": _("Languages"),
    "interpretation": _("Interpretation"),
    "date": _("Date and time"),
    "duration": _("Duration (minutes)"),
    "venue": _("Venue"),
    "online": _("Online"),
    "participants": _("Participants"),
    "joined": _("Joined in the app"),
    "peak": _("Peak connected"),
    "not_measured": _("not measured"),
    "online_count": _("Online participation (entered by hand)"),
    "by_language": _("By language"),
    "by_country": _("By country"),
    "by_organisation": _("By organisation"),
    "by_stakeholder_type": _("By stakeholder type"),
    "moderator": _("Moderator"),
    "speakers": _("Speakers"),
    "name": _("Name"),
    "organisation": _("Organisation"),
    "country": _("Country"),
    "role": _("Role"),
    "objectives": _("Objectives"),
    "main_question": _("Main question"),
    "program": _("Program"),
    "item": _("Item"),
    "planned": _("Planned"),
    "actual": _("Actual"),
    "skipped": _("skipped"),
    "item_notes": _("Notes per item"),
    "summaries": _("Summary of presentations"),
    "guiding_questions": _("Answers to the guiding questions"),
    "results": _("Results"),
    "audience_qa": _("Questions and answers from the audience"),
    "question": _("Question"),
    "asked_by": _("Asked by"),
    "answer": _("Answer"),
    "answered_by": _("Answered by"),
    "anonymous": _("anonymous"),
    "breakouts": _("Breakout groups"),
    "round": _("Round"),
    "blocks": _("Blocks"),
    "members": _("Members"),
    "synthesis": _("Synthesis"),
    "top_cards": _("Most supported cards"),
    "votes": _("Votes"),
    "assessment": _("Self-assessment"),
    "mean": _("Mean"),
    "radar": _("Self-assessment of the blocks, whole room"),
    "radar_territories": _("Self-assessment of the blocks by territory"),
    "whole_room": _("Whole room"),
    "case_studies": _("Case studies"),
    "conclusions": _("Conclusions and closing remarks"),
    "images": _("Images"),
    "value": _("Value"),
    "count": _("Count"),
    "none": _("None recorded."),
}


@cache
def _catalogue(language: str) -> NullTranslations:
    return Translations.load(str(TRANSLATIONS), [language])


def headings(language: str) -> dict[str, str]:
    catalogue = _catalogue(language)
    return {key: catalogue.gettext(text) for key, text in HEADINGS.items()}


def group_name(language: str, position: int) -> str:
    """An unnamed breakout group as every screen calls it: "Group 2", "Groupe 2", "2그룹"."""
    return _catalogue(language).gettext(_("Group %(n)s")) % {"n": position}


def country_name(language: str, code: str) -> str:
    """A country's name in the record's language ("KR": "Corée du Sud" in French)."""
    try:
        return str(Locale.parse(language).territories.get(code.upper(), code))
    except (ValueError, LookupError):
        return code
