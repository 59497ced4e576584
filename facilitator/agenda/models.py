"""A loaded agenda: the workshop and what it is made of.

Translatable text is kept as a JSON mapping {language: string} (the agenda's
own shape); entities that later features point at (program items, people,
questions, blocks) get rows of their own, keyed by the file's ids.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.database import Base, UTCDateTime, utcnow

# A translatable text: {"en": "...", "fr": "..."}.
TextMap = dict[str, str]


class Workshop(Base):
    __tablename__ = "workshop"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[TextMap] = mapped_column(JSON)
    event: Mapped[TextMap | None] = mapped_column(JSON)
    reference: Mapped[str | None] = mapped_column(String(64))
    thematic_line: Mapped[TextMap | None] = mapped_column(JSON)
    kind: Mapped[str] = mapped_column(String(32), default="workshop")
    languages: Mapped[list[str]] = mapped_column(JSON)
    interpretation: Mapped[list[str]] = mapped_column(JSON, default=list)
    timezone: Mapped[str] = mapped_column(String(64))
    show_timezones: Mapped[list[str]] = mapped_column(JSON, default=list)
    venue: Mapped[TextMap | None] = mapped_column(JSON)
    meeting_url: Mapped[str | None] = mapped_column(String(2048))
    audience: Mapped[TextMap | None] = mapped_column(JSON)
    background: Mapped[TextMap | None] = mapped_column(JSON)
    objectives: Mapped[list[TextMap]] = mapped_column(JSON, default=list)
    main_question: Mapped[TextMap | None] = mapped_column(JSON)
    expected_participants: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    days: Mapped[list[Day]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", order_by="Day.position"
    )
    people: Mapped[list[Person]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", order_by="Person.position"
    )
    guiding_questions: Mapped[list[GuidingQuestion]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", order_by="GuidingQuestion.position"
    )
    program: Mapped[list[ProgramItem]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", order_by="ProgramItem.position"
    )
    guideline_blocks: Mapped[list[GuidelineBlock]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", order_by="GuidelineBlock.position"
    )
    case_studies: Mapped[list[CaseStudy]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", order_by="CaseStudy.position"
    )

    @property
    def default_language(self) -> str:
        return self.languages[0]


class Day(Base):
    __tablename__ = "day"
    __table_args__ = (UniqueConstraint("workshop_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # 1-based, as `day:` in the file
    date: Mapped[date] = mapped_column(Date)
    start: Mapped[time] = mapped_column(Time)
    end: Mapped[time] = mapped_column(Time)
    title: Mapped[TextMap | None] = mapped_column(JSON)

    workshop: Mapped[Workshop] = relationship(back_populates="days")
    items: Mapped[list[ProgramItem]] = relationship(
        back_populates="day", order_by="ProgramItem.position", viewonly=True
    )


class Person(Base):
    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("workshop_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    title: Mapped[TextMap | None] = mapped_column(JSON)
    organisation: Mapped[TextMap | None] = mapped_column(JSON)
    organisation_type: Mapped[str | None] = mapped_column(String(64))
    country: Mapped[str | None] = mapped_column(String(2))
    email: Mapped[str | None] = mapped_column(String(254))
    # {"title": Text, "abstract": Text, "materials": [{label, url, language}]}
    presentation: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    workshop: Mapped[Workshop] = relationship(back_populates="people")


class GuidingQuestion(Base):
    __tablename__ = "guiding_question"
    __table_args__ = (UniqueConstraint("workshop_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[TextMap] = mapped_column(JSON)
    type: Mapped[str] = mapped_column(String(16), default="open")
    options: Mapped[list[TextMap] | None] = mapped_column(JSON)
    scale: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    workshop: Mapped[Workshop] = relationship(back_populates="guiding_questions")


class GuidelineBlock(Base):
    __tablename__ = "guideline_block"
    __table_args__ = (UniqueConstraint("workshop_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[TextMap] = mapped_column(JSON)
    description: Mapped[TextMap | None] = mapped_column(JSON)
    prompts: Mapped[list[TextMap]] = mapped_column(JSON, default=list)
    assessment: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    workshop: Mapped[Workshop] = relationship(back_populates="guideline_blocks")


class CaseStudy(Base):
    __tablename__ = "case_study"
    __table_args__ = (UniqueConstraint("workshop_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[TextMap] = mapped_column(JSON)
    description: Mapped[TextMap | None] = mapped_column(JSON)
    territory: Mapped[TextMap | None] = mapped_column(JSON)
    # [{"name", "type", "people": [{"name", "title"}]}]: reference content, read as a whole.
    organisations: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    workshop: Mapped[Workshop] = relationship(back_populates="case_studies")


class ProgramItem(Base):
    __tablename__ = "program_item"
    __table_args__ = (UniqueConstraint("workshop_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    day_id: Mapped[int] = mapped_column(ForeignKey("day.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    start: Mapped[time] = mapped_column(Time)
    end: Mapped[time] = mapped_column(Time)
    title: Mapped[TextMap] = mapped_column(JSON)
    kind: Mapped[str | None] = mapped_column(String(32))
    notes: Mapped[TextMap | None] = mapped_column(JSON)

    workshop: Mapped[Workshop] = relationship(back_populates="program")
    day: Mapped[Day] = relationship(back_populates="items")
    speaker_links: Mapped[list[ItemPerson]] = relationship(
        cascade="all, delete-orphan", order_by="ItemPerson.position"
    )
    question_links: Mapped[list[ItemQuestion]] = relationship(
        cascade="all, delete-orphan", order_by="ItemQuestion.position"
    )
    block_links: Mapped[list[ItemBlock]] = relationship(
        cascade="all, delete-orphan", order_by="ItemBlock.position"
    )

    @property
    def people(self) -> list[Person]:
        return [link.person for link in self.speaker_links]

    @property
    def questions(self) -> list[GuidingQuestion]:
        return [link.question for link in self.question_links]

    @property
    def blocks(self) -> list[GuidelineBlock]:
        return [link.block for link in self.block_links]


class ItemPerson(Base):
    __tablename__ = "item_person"

    item_id: Mapped[int] = mapped_column(
        ForeignKey("program_item.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer)
    person: Mapped[Person] = relationship()


class ItemQuestion(Base):
    __tablename__ = "item_question"

    item_id: Mapped[int] = mapped_column(
        ForeignKey("program_item.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("guiding_question.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer)
    question: Mapped[GuidingQuestion] = relationship()


class ItemBlock(Base):
    __tablename__ = "item_block"

    item_id: Mapped[int] = mapped_column(
        ForeignKey("program_item.id", ondelete="CASCADE"), primary_key=True
    )
    block_id: Mapped[int] = mapped_column(
        ForeignKey("guideline_block.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer)
    block: Mapped[GuidelineBlock] = relationship()
