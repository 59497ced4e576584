"""Domain events of questions and answers, for the screens (frozen dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QuestionChanged:
    """Written, edited, opened, closed, revealed or hidden: its lifecycle changed."""

    workshop_id: int
    question_id: int


@dataclass(frozen=True)
class AnswerChanged:
    """A participant gave, changed or withdrew an answer (`removed`)."""

    workshop_id: int
    question_id: int
    answer_id: int
    participant_id: int
    removed: bool = False


@dataclass(frozen=True)
class AnswerModerated:
    """The moderator hid, showed or highlighted an answer."""

    workshop_id: int
    question_id: int
    answer_id: int


@dataclass(frozen=True)
class WordsChanged:
    """The moderator hid or merged a word of a words question."""

    workshop_id: int
    question_id: int


@dataclass(frozen=True)
class QuestionSettingsChanged:
    workshop_id: int


@dataclass(frozen=True)
class ParticipantHidden:
    """Everything one participant wrote was hidden in one action (answers and Q&A)."""

    workshop_id: int
    participant_id: int
    answers: tuple[int, ...]
    questions: tuple[int, ...]  # audience questions hidden
    were_public: tuple[int, ...]  # of those, the ones everyone could see
