"""The closed vocabularies of the format; the labels people see are in `agenda.labels`."""

from __future__ import annotations

from enum import StrEnum


class WorkshopKind(StrEnum):
    WORKSHOP = "workshop"
    CO_CREATION = "co-creation"
    PANEL = "panel"
    WEBINAR = "webinar"
    COURSE = "course"
    MEETING = "meeting"


class QuestionType(StrEnum):
    OPEN = "open"
    CHOICE = "choice"
    MULTI = "multi"
    SCALE = "scale"
    WORDS = "words"
    RANK = "rank"


class PersonRole(StrEnum):
    MODERATOR = "moderator"
    SPEAKER = "speaker"
    RAPPORTEUR = "rapporteur"
    PANELIST = "panelist"
    ORGANISER = "organiser"


class ItemKind(StrEnum):
    LOGISTICS = "logistics"
    INTRODUCTION = "introduction"
    PRESENTATION = "presentation"
    DISCUSSION = "discussion"
    QA = "qa"
    BREAKOUT = "breakout"
    CLOSING = "closing"
    BREAK = "break"
