"""The seed-001 workshop stored, a rapporteur logged in, and helpers to drive the record."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from facilitator.accounts.models import Role, User
from facilitator.accounts.services import create_user, grant
from facilitator.agenda.models import Workshop
from facilitator.agenda.parsing import parse_agenda
from facilitator.agenda.services import store_agenda
from tests.conftest import PASSWORD, SESSIONS, csrf_token, login

SEED = SESSIONS / "2020-gsef-local-governments-sse-partnership.yaml"

SUMMARIES = {
    "speaker-1": (
        "emmanuelle-rousset",
        "Ms. Rousset has presented the labor of RTES, a French network of 130 local authorities.",
    ),
    "speaker-2": (
        "ayako-koike",
        "Ms. Koike has presented ASSEPJ's mission: WE21 Japan Group has 37 charity shop owners.",
    ),
    "speaker-3": (
        "malick-diop",
        "Mr. Diop has elaborated on the activities of RACTES and clear strategies.",
    ),
    "speaker-4": (
        "young-kim",
        "The goal of SSEGOV, established in 2013, is to promote SSE and social innovation.",
    ),
}
ANSWERS = {
    "ayako-koike": "We need to offer more opportunities to SSE actors, and partnerships.",
    "malick-diop": "SSE should be an inclusive response for everybody.",
    "young-kim": "We need capacity-building and a good financing structure.",
}
CONCLUSIONS = {
    "Marieme": "A local policy that is created from the bottom: grass-roots engagement.",
    "amanda-flety": "SSE needs to have a strategy and a plan shared between stakeholders.",
    "Madani Koumaré": "Public policies development should be global and multi-actor based.",
    "Khady Samba": "We must think about developing crowdfunding and a multi-actor partnership.",
}


@dataclass
class Seed:
    client: FlaskClient
    db: Session
    workshop: Workshop
    rapporteur: User
    token: str

    def post(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.post(path, json=body, headers={"X-CSRFToken": self.token})

    def note(self, **fields: Any) -> Any:
        body = {"cid": str(uuid.uuid4()), "based_on": 0, "language": "en", **fields}
        return self.post(f"/w/{self.workshop.slug}/record/notes", body)


@pytest.fixture
def seed(client: FlaskClient, session: Session) -> Seed:
    organiser = create_user(session, "organiser@example.org", PASSWORD)
    workshop = store_agenda(session, parse_agenda(SEED.read_bytes()).agenda, organiser).workshop
    rapporteur = create_user(session, "rapporteur@example.org", PASSWORD, "Rapporteur")
    grant(session, rapporteur, workshop, Role.RAPPORTEUR)
    session.commit()
    login(client, "rapporteur@example.org")
    token = csrf_token(client, "/account/password")
    return Seed(client, session, workshop, rapporteur, token)


def take_seed_notes(seed: Seed) -> None:
    for item, (person, text) in SUMMARIES.items():
        assert seed.note(kind="summary", item=item, person=person, text=text).status_code == 200
    for person, text in ANSWERS.items():
        response = seed.note(
            kind="answer", question="transform-the-present", person=person, text=text
        )
        assert response.status_code == 200, response.get_json()
    for who, text in CONCLUSIONS.items():
        where = {"person": who} if who.islower() else {"name": who}
        assert seed.note(kind="conclusion", text=text, **where).status_code == 200


Make = Callable[..., Any]
