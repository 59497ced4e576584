"""A role taken away, a workshop deleted: open sockets stop reading at once (issue 9,
finding 1). Every event re-checks the sender; the change closes their sockets."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from sqlalchemy import delete

from facilitator.accounts.models import Membership
from facilitator.agenda.models import Workshop
from tests.conftest import csrf_token
from tests.realtime.support import Client, World, login, state_of

Sock = Callable[..., Client]


def remove_by_page(app: Flask, world: World, who: str) -> None:
    organiser = login(app, world.emails["organiser"])
    people = f"/w/{world.slug}/people"
    response = organiser.post(
        f"/w/{world.slug}/people/{world.user_ids[who]}/remove",
        data={"csrf_token": csrf_token(organiser, people)},
    )
    assert response.status_code == 302, response.status_code


def test_a_moderator_whose_role_is_removed_is_disconnected(
    app: Flask, sock: Sock, world: World
) -> None:
    removed, organiser, display = sock("moderator"), sock("organiser"), sock("display")
    old_token = world.display_token

    remove_by_page(app, world, "moderator")

    assert not removed.is_connected()  # out of every room: no live.state, no presence
    assert organiser.is_connected()
    # The display link the removed moderator could see is replaced, and closed.
    new_token = state_of(world).display_token
    assert new_token != old_token
    assert not display.is_connected()
    assert sock("display", token=old_token).refusal_code == "forbidden"
    assert sock("display", token=new_token).is_connected()
    changed = organiser.events("display.changed")
    assert [data["display_token"] for _, data in changed] == [new_token]
    assert changed[0][1]["stream"] == "moderators"
    # And they cannot come back.
    assert sock("moderator").refusal_code == "forbidden"


def test_removing_a_rapporteur_keeps_the_display_link(app: Flask, sock: Sock, world: World) -> None:
    display = sock("display")
    remove_by_page(app, world, "rapporteur")  # never saw the console, nor its token
    assert state_of(world).display_token == world.display_token
    assert display.is_connected()


def test_every_event_re_checks_the_role(sock: Sock, world: World) -> None:
    """A socket that outlived its role (a worker that missed the kick) reads nothing."""
    moderator = sock("moderator")
    with world.session() as s:
        s.execute(delete(Membership).where(Membership.user_id == world.user_ids["moderator"]))
        s.commit()
    for event, payload in (("live.sync", {}), ("live.start", {"cid": "cid-00000001"})):
        ack = moderator.call(event, payload)
        assert ack["ok"] is False and ack["error"]["code"] == "forbidden", event
        assert "data" not in ack  # no names, no display token


def test_a_deleted_workshop_closes_every_screen(app: Flask, sock: Sock, world: World) -> None:
    screens = [sock("organiser"), sock("moderator"), sock("display"), sock("participant")]
    other = sock("participant", token=world.other_participant.token, workshop=world.other_slug)
    organiser = login(app, world.emails["organiser"])
    page = f"/w/{world.slug}/delete"
    response = organiser.post(
        page, data={"csrf_token": csrf_token(organiser, page), "confirm": world.slug}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert not any(screen.is_connected() for screen in screens)
    assert other.is_connected()  # another workshop's phone is untouched


def test_sync_on_a_deleted_workshop_answers_forbidden(sock: Sock, world: World) -> None:
    display, phone = sock("display"), sock("participant")
    with world.session() as s:
        s.execute(delete(Workshop).where(Workshop.id == world.workshop_id))
        s.commit()
    for screen in (display, phone):
        ack = screen.call("live.sync", {})
        assert ack["error"]["code"] == "forbidden", ack
