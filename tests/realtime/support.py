"""Helpers for the realtime tests: a loaded workshop with every kind of sender, and sockets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from flask_socketio import SocketIOTestClient
from socketio import packet
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.security import generate_password_hash

from facilitator.accounts.models import Role, User
from facilitator.accounts.services import grant
from facilitator.agenda.models import Workshop
from facilitator.agenda.parsing import parse_agenda
from facilitator.agenda.services import store_agenda
from facilitator.database import make_session_factory, unit_of_work, utcnow
from facilitator.extensions import db
from facilitator.live.models import ItemRun, LiveState
from facilitator.live.services import live_state
from facilitator.participation.models import Participant
from facilitator.participation.services import Profile, join
from facilitator.realtime.models import AppliedMutation, StreamSeq
from facilitator.realtime.rooms import moderators_room, participant_room, workshop_room
from tests.conftest import minimal_workshop

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sessions" / "2021-local-governments-sse-alliances.yaml"
PASSWORD = "correct horse battery"
# One cheap hash for every test user: the real login path, without 0.25 s of scrypt each.
FAST_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")

# Who may send what: every sender the matrix covers.
CONNECTED = ("participant", "moderator", "organiser", "display")
REFUSED = ("other_moderator", "anonymous", "rapporteur")


@dataclass(frozen=True)
class Member:
    id: int
    token: str


@dataclass
class World:
    """The 2021 sample (in en, fr, ko), its staff and phones, and a second workshop."""

    slug: str
    workshop_id: int
    items: list[str]
    display_token: str
    emails: dict[str, str]
    user_ids: dict[str, int]
    participant: Member
    participant2: Member
    other_slug: str
    other_workshop_id: int
    other_display_token: str
    other_participant: Member
    factory: sessionmaker[Session] = field(repr=False)

    def session(self) -> Session:
        return self.factory()


def _user(db_session: Session, name: str, *, admin: bool = False) -> User:
    user = User(email=f"{name}@example.org", name=name, password_hash=FAST_HASH, is_admin=admin)
    db_session.add(user)
    db_session.flush()
    return user


def _participant(db_session: Session, code: str, language: str, name: str) -> Member:
    joined, _ = join(db_session, code, Profile(language=language, display_name=name), utcnow())
    return Member(joined.participant.id, joined.token)


def build_world(app: Flask) -> World:
    factory = make_session_factory(db.engine)
    with unit_of_work(factory) as s:
        workshop = store_agenda(s, parse_agenda(SAMPLE.read_bytes(), str(SAMPLE)).agenda).workshop
        workshop.languages = ["en", "fr", "ko"]  # the sample is English only; phones choose
        users = {
            name: _user(s, name)
            for name in ("organiser", "moderator", "rapporteur", "other_moderator")
        }
        users["admin"] = _user(s, "admin", admin=True)
        grant(s, users["organiser"], workshop, Role.ORGANISER)
        grant(s, users["moderator"], workshop, Role.MODERATOR)
        grant(s, users["rapporteur"], workshop, Role.RAPPORTEUR)
        other = _other_workshop(s)
        grant(s, users["other_moderator"], other, Role.MODERATOR)
        state = live_state(s, workshop)
        other_state = live_state(s, other)
        world = World(
            slug=workshop.slug,
            workshop_id=workshop.id,
            items=[item.key for item in workshop.program],
            display_token=state.display_token,
            emails={name: user.email for name, user in users.items()},
            user_ids={name: user.id for name, user in users.items()},
            participant=_participant(s, state.join_code, "en", "Ana"),
            participant2=_participant(s, state.join_code, "ko", "Min-jun"),
            other_slug=other.slug,
            other_workshop_id=other.id,
            other_display_token=other_state.display_token,
            other_participant=_participant(s, other_state.join_code, "en", "Otto"),
            factory=factory,
        )
    return world


def _other_workshop(s: Session) -> Workshop:
    workshop = minimal_workshop("another-workshop", "Another")
    s.add(workshop)
    s.flush()
    return workshop


class Client(SocketIOTestClient):  # type: ignore[misc]
    """Flask-SocketIO's test client, keeping why a connection was refused and every event."""

    refusal: Any = None
    queue: list[dict[str, Any]]  # set by the base class: what the server sent this socket

    def connect(
        self,
        namespace: str | None = None,
        query_string: str | None = None,
        headers: dict[str, str] | None = None,
        auth: Any = None,
    ) -> None:
        server = self.socketio.server
        deliver = server._send_packet

        def spy(eio_sid: str, pkt: packet.Packet) -> None:
            if eio_sid == self.eio_sid and pkt.packet_type == packet.CONNECT_ERROR:
                self.refusal = pkt.data
            deliver(eio_sid, pkt)

        server._send_packet = spy
        try:
            super().connect(namespace, query_string, headers, auth)
        finally:
            server._send_packet = deliver

    @property
    def refusal_code(self) -> str | None:
        if isinstance(self.refusal, dict):
            return str(self.refusal.get("message"))
        return None if self.refusal is None else str(self.refusal)

    def call(self, event: str, payload: Any = None, *extra: Any) -> Any:
        """Emit and return the acknowledgement (None when the server sent none)."""
        args = () if payload is None and not extra else (payload, *extra)
        return self.emit(event, *args, callback=True)

    def events(self, name: str | None = None) -> list[tuple[str, Any]]:
        """Take the events received so far (all, or those called `name`; the others stay).

        Read straight from the queue: a socket the server disconnected keeps what it got.
        """
        taken = [m for m in self.queue if name is None or m["name"] == name]
        self.queue = [m for m in self.queue if not (name is None or m["name"] == name)]
        return [(m["name"], m["args"][0] if m["args"] else None) for m in taken]


def login(app: Flask, email: str) -> Any:
    """A Flask test client logged in through the real form, as a browser would be."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "no CSRF token on /login"
    response = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": match.group(1)}
    )
    assert response.status_code == 302, response.status_code
    return client


def connect(app: Flask, world: World, sender: str, **auth_overrides: Any) -> Client:
    """A socket for one kind of sender, connected (or refused) as that sender would try."""
    flask_client = None
    auth: dict[str, Any]
    if sender in ("moderator", "organiser", "other_moderator", "rapporteur", "admin"):
        flask_client = login(app, world.emails[sender])
        auth = {"as": "moderator", "workshop": world.slug}
    elif sender == "anonymous":
        flask_client = app.test_client()
        auth = {"as": "moderator", "workshop": world.slug}
    elif sender == "participant":
        auth = {"as": "participant", "workshop": world.slug, "token": world.participant.token}
    elif sender == "participant2":
        auth = {"as": "participant", "workshop": world.slug, "token": world.participant2.token}
    elif sender == "display":
        auth = {"as": "display", "token": world.display_token}
    else:
        raise ValueError(sender)
    auth.update(auth_overrides)
    return Client(app, app.extensions["socketio"], flask_test_client=flask_client, auth=auth)


@dataclass(frozen=True)
class Fingerprint:
    """Everything a mutation of this channel may change, to prove that nothing did."""

    live: tuple[Any, ...]
    participants: tuple[tuple[Any, ...], ...]
    item_runs: int
    applied: int


def fingerprint(world: World, workshop_id: int | None = None) -> Fingerprint:
    workshop_id = world.workshop_id if workshop_id is None else workshop_id
    with world.session() as s:
        state = s.get(LiveState, workshop_id)
        assert state is not None
        live = (
            state.phase,
            state.current_item_id,
            state.joining_locked,
            state.timer_duration_s,
            state.timer_elapsed_s,
            state.timer_running_since,
            state.message,
            tuple(s.execute(select(StreamSeq.room, StreamSeq.seq).order_by(StreamSeq.room))),
        )
        people = tuple(
            (p.id, p.language, p.removed_at)
            for p in s.scalars(select(Participant).order_by(Participant.id))
        )
        runs = s.scalar(select(func.count()).select_from(ItemRun)) or 0
        applied = s.scalar(select(func.count()).select_from(AppliedMutation)) or 0
    return Fingerprint(live, people, runs, applied)


def state_of(world: World, workshop_id: int | None = None) -> LiveState:
    with world.session() as s:
        state = s.get(LiveState, world.workshop_id if workshop_id is None else workshop_id)
        assert state is not None
        _ = state.current_item  # loaded before the session closes
        return state


def flush_tallies(app: Flask, *, paced: bool = False) -> None:
    """What the tallies loop does a few times a second (it does not run in tests); as if
    a second had passed since the last flush, unless `paced` (then a phone's counts,
    sent at most once a second, wait their turn)."""
    with app.app_context():
        realtime = app.extensions["facilitator.realtime"]
        if not paced:
            realtime.tally_sent_at.clear()
        realtime.flush_tallies()


def stream_seq(world: World, stream: str = "workshop", participant_id: int | None = None) -> int:
    """The last number sent on one of the workshop's streams (0 before the first)."""
    room = {
        "workshop": workshop_room(world.workshop_id),
        "moderators": moderators_room(world.workshop_id),
        "participant": participant_room(participant_id or world.participant.id),
    }[stream]
    with world.session() as s:
        return s.scalar(select(StreamSeq.seq).where(StreamSeq.room == room)) or 0


def applied(world: World, cid: str | None = None) -> list[AppliedMutation]:
    with world.session() as s:
        query = select(AppliedMutation).order_by(AppliedMutation.id)
        if cid is not None:
            query = query.where(AppliedMutation.cid == cid)
        return list(s.scalars(query))


def item_run_count(world: World) -> int:
    with world.session() as s:
        return s.scalar(select(func.count()).select_from(ItemRun)) or 0


def participant_row(world: World, participant_id: int) -> Participant:
    with world.session() as s:
        participant = s.get(Participant, participant_id)
        assert participant is not None
        return participant


def as_organiser(world: World) -> tuple[Session, User, Workshop]:
    """A session, the organiser and the workshop, for arranging state through the services."""
    s = world.session()
    user = s.get(User, world.user_ids["organiser"])
    workshop = s.get(Workshop, world.workshop_id)
    assert user is not None and workshop is not None
    return s, user, workshop


def cid(n: int | str) -> str:
    return f"cid-{n:0>8}" if isinstance(n, int) else n


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements sent to the database inside the block, in order: for asserting
    how many queries a hot path costs, so that one more fails a test."""
    sent: list[str] = []

    def record(_connection: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        sent.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)
