"""Every mapped class, imported once so the metadata (and Alembic) sees them all."""

from facilitator.accounts.models import Invitation, Membership, Role, User
from facilitator.agenda.models import (
    CaseStudy,
    Day,
    GuidelineBlock,
    GuidingQuestion,
    ItemBlock,
    ItemPerson,
    ItemQuestion,
    Person,
    ProgramItem,
    Workshop,
)
from facilitator.breakouts.board_models import Assessment, Card, CardVote, Synthesis
from facilitator.breakouts.models import (
    BreakoutGroup,
    BreakoutRound,
    GroupMember,
    GroupMessage,
    HelpRequest,
)
from facilitator.database import Base
from facilitator.live.models import ItemRun, LiveState, Phase
from facilitator.participation.models import Participant
from facilitator.qa.models import AudienceQuestion, QaSettings, SpeakerLink, Upvote
from facilitator.questions.models import Answer, AnswerPart, Question, QuestionSettings, WordRule
from facilitator.realtime.models import AppliedMutation, StreamSeq
from facilitator.record.models import Note, NoteVersion, RecordImage, RecordSettings, RecordVersion

__all__ = [
    "Answer",
    "AnswerPart",
    "AppliedMutation",
    "Assessment",
    "AudienceQuestion",
    "Base",
    "BreakoutGroup",
    "BreakoutRound",
    "Card",
    "CardVote",
    "CaseStudy",
    "Day",
    "GroupMember",
    "GroupMessage",
    "GuidelineBlock",
    "GuidingQuestion",
    "HelpRequest",
    "Invitation",
    "ItemBlock",
    "ItemPerson",
    "ItemQuestion",
    "ItemRun",
    "LiveState",
    "Membership",
    "Note",
    "NoteVersion",
    "Participant",
    "Person",
    "Phase",
    "ProgramItem",
    "QaSettings",
    "Question",
    "QuestionSettings",
    "RecordImage",
    "RecordSettings",
    "RecordVersion",
    "Role",
    "SpeakerLink",
    "StreamSeq",
    "Synthesis",
    "Upvote",
    "User",
    "WordRule",
    "Workshop",
]
