"""Domain events of the audience Q&A."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AudienceQuestionChanged:
    """Asked, added, approved, edited, hidden, pinned or answered."""

    workshop_id: int
    question_id: int
    was_public: bool  # shown to everyone before this change


@dataclass(frozen=True)
class VoteChanged:
    workshop_id: int
    question_id: int
    participant_id: int
    voted: bool


@dataclass(frozen=True)
class QaSettingsChanged:
    workshop_id: int


@dataclass(frozen=True)
class SpeakerLinkMade:
    workshop_id: int
    person_id: int
