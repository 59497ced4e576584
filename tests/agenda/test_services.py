"""Storing agendas as workshops and exporting them back, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from facilitator.accounts.models import Role
from facilitator.accounts.services import Forbidden, create_user, role_in
from facilitator.agenda.exporter import export_agenda
from facilitator.agenda.models import ItemPerson, Person, ProgramItem, Workshop
from facilitator.agenda.parsing import parse_agenda
from facilitator.agenda.schema import AgendaSpec, dump_yaml
from facilitator.agenda.services import delete_workshop, store_agenda

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "sessions").glob("*.yaml"))


def parse_file(path: Path) -> AgendaSpec:
    return parse_agenda(path.read_bytes(), str(path)).agenda


def parse_text(text: str) -> AgendaSpec:
    return parse_agenda(text, "inline.yaml").agenda


def test_there_are_five_sample_sessions() -> None:
    assert len(SAMPLES) == 5, SAMPLES


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_sample_round_trips_through_the_database(service_session: Session, path: Path) -> None:
    agenda = parse_file(path)
    store_agenda(service_session, agenda)
    service_session.commit()
    service_session.expunge_all()  # read back from the database, not the identity map

    workshop = service_session.scalar(select(Workshop).where(Workshop.slug == agenda.slug))
    assert workshop is not None
    exported = export_agenda(workshop)
    assert exported == agenda
    # dump -> load -> dump gives the same text
    first = dump_yaml(exported)
    store_agenda(service_session, parse_text(first))
    service_session.commit()
    service_session.expunge_all()
    again = service_session.scalar(select(Workshop).where(Workshop.slug == agenda.slug))
    assert again is not None and again.id == workshop.id
    assert dump_yaml(export_agenda(again)) == first


MINIMAL = """\
format: facilitator/agenda@1
slug: update-test
title: {title}
languages: [en, fr]
timezone: Europe/Paris
days:
  - {{date: 2026-03-02, start: "09:00", end: "12:00"}}
people:
  - {{id: ana, name: Ana, roles: [moderator]}}
  - {{id: ben, name: {ben}, roles: [speaker], country: FR}}
program:
  - {{id: opening, start: "09:00", end: "09:15", title: Opening, kind: introduction, people: [ana]}}
{extra}"""

TALK = (
    '  - {id: talk, start: "09:15", end: "10:00", title: Talk, kind: presentation, '
    "people: [ben, ana]}\n"
)


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_loading_an_existing_slug_updates_it_in_place(service_session: Session) -> None:
    first = store_agenda(
        service_session, parse_text(MINIMAL.format(title="One", ben="Ben", extra=TALK))
    )
    service_session.commit()
    assert first.created
    opening_id = service_session.scalar(select(ProgramItem.id).where(ProgramItem.key == "opening"))
    ben_id = service_session.scalar(select(Person.id).where(Person.key == "ben"))

    second = store_agenda(
        service_session, parse_text(MINIMAL.format(title="Two", ben="Benoît", extra=""))
    )
    service_session.commit()
    service_session.expunge_all()

    assert not second.created
    assert count(service_session, Workshop) == 1
    workshop = service_session.scalar(select(Workshop))
    assert workshop is not None and workshop.title == {"en": "Two"}
    # rows keep their identity, so what points at them later survives a re-load
    assert (
        service_session.scalar(select(ProgramItem.id).where(ProgramItem.key == "opening"))
        == opening_id
    )
    ben = service_session.get(Person, ben_id)
    assert ben is not None and ben.name == "Benoît"
    # the talk left the file, and its speaker links with it
    assert [item.key for item in workshop.program] == ["opening"]
    assert count(service_session, ItemPerson) == 1


def test_speaker_order_is_kept(service_session: Session) -> None:
    store_agenda(service_session, parse_text(MINIMAL.format(title="One", ben="Ben", extra=TALK)))
    service_session.commit()
    service_session.expunge_all()
    talk = service_session.scalar(select(ProgramItem).where(ProgramItem.key == "talk"))
    assert talk is not None
    assert [p.key for p in talk.people] == ["ben", "ana"]


def test_only_an_organiser_may_update_or_delete(service_session: Session) -> None:
    owner = create_user(service_session, "owner@example.org", "long enough pw")
    other = create_user(service_session, "other@example.org", "long enough pw")
    result = store_agenda(
        service_session, parse_text(MINIMAL.format(title="One", ben="Ben", extra="")), owner
    )
    service_session.commit()
    assert role_in(service_session, owner, result.workshop) is Role.ORGANISER

    with pytest.raises(Forbidden):
        store_agenda(
            service_session, parse_text(MINIMAL.format(title="Hacked", ben="Ben", extra="")), other
        )
    service_session.rollback()
    with pytest.raises(Forbidden):
        delete_workshop(service_session, other, result.workshop)
    service_session.rollback()
    workshop = service_session.scalar(select(Workshop))
    assert workshop is not None and workshop.title == {"en": "One"}

    delete_workshop(service_session, owner, workshop)
    service_session.commit()
    assert count(service_session, Workshop) == 0
    assert count(service_session, ProgramItem) == 0
