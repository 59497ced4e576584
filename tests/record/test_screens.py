"""The record's two screens as the server serves them, what they poll, and the phones'
end screen showing the published record's public link."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask

from facilitator.database import utcnow
from facilitator.live.models import LiveState
from facilitator.participation.services import Profile, join
from tests.realtime.support import Client
from tests.record.conftest import Seed, take_seed_notes
from tests.record.test_protocol import cid, moderator_socket, ok


def page_data(html: str) -> Any:
    found = re.search(r'<script type="application/json" id="page-data">(.*?)</script>', html, re.S)
    assert found, "no page data"
    return json.loads(found.group(1))


def test_the_notes_screen_lays_out_the_program_people_and_notes(seed: Seed) -> None:
    take_seed_notes(seed)
    response = seed.client.get(f"/w/{seed.workshop.slug}/record/notes")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "record/notes-" in html  # the bundled screen
    data = page_data(html)
    screen = data["initial"]
    keys = [item["key"] for item in screen["program"]]
    assert "speaker-1" in keys and "guiding-question" in keys
    speaker = next(i for i in screen["program"] if i["key"] == "speaker-1")
    assert speaker["people"] == ["emmanuelle-rousset"]
    assert {n["kind"] for n in screen["notes"]} == {"summary", "answer", "conclusion"}
    assert screen["attendance"] == {
        "joined": 0,
        "peak_connected": None,
        "online_count": None,
        "online_label": None,
    }
    assert data["urls"]["notes"] == f"/w/{seed.workshop.slug}/record/notes"
    assert data["strings"]["conflict_title"]


def test_a_french_rapporteur_gets_the_screens_in_french(seed: Seed) -> None:
    seed.client.post("/language", data={"language": "fr", "csrf_token": seed.token})
    data = page_data(seed.client.get(f"/w/{seed.workshop.slug}/record/review").get_data(True))
    assert data["headings"]["summaries"] != "Summary of presentations"
    assert data["strings"]["save"] != "Save the review"


def test_polling_an_unchanged_screen_costs_a_304(seed: Seed) -> None:
    url = f"/w/{seed.workshop.slug}/record/screen.json"
    first = seed.client.get(url)
    etag = first.headers["ETag"]
    again = seed.client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    take_seed_notes(seed)
    changed = seed.client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert len(changed.get_json()["notes"]) == 11


def test_the_attendance_and_images_show_on_the_notes_screen(seed: Seed) -> None:
    slug = seed.workshop.slug
    body = {"cid": cid(), "online_count": 71, "label": "Zoom participation"}
    assert seed.post(f"/w/{slug}/record/attendance", body).status_code == 200
    screen = seed.client.get(f"/w/{slug}/record/screen.json").get_json()
    assert screen["attendance"]["online_count"] == 71
    assert screen["attendance"]["online_label"] == "Zoom participation"
    assert screen["images"] == []


def test_the_review_edits_what_was_compiled_before_its_edits(seed: Seed) -> None:
    take_seed_notes(seed)
    slug = seed.workshop.slug
    raw = seed.client.get(f"/w/{slug}/record/draft.json?review=0").get_json()["record"]
    first = raw["summaries"][0]["id"]
    edits = {"cid": cid(), "hidden": [first], "texts": {raw["summaries"][1]["id"]: "Edited."}}
    assert seed.post(f"/w/{slug}/record/draft", edits).status_code == 200
    reviewed = seed.client.get(f"/w/{slug}/record/draft.json").get_json()
    assert first not in [s["id"] for s in reviewed["record"]["summaries"]]
    assert reviewed["record"]["summaries"][0]["text"] == "Edited."
    csv = seed.client.get(f"/w/{slug}/record.csv").get_data(as_text=True)
    assert "Edited." in csv  # every export says what the review says
    again = seed.client.get(f"/w/{slug}/record/draft.json?review=0").get_json()
    assert first in [s["id"] for s in again["record"]["summaries"]]  # still there to unhide
    assert again["edits"]["hidden"] == [first]


def test_the_phones_end_screen_links_the_shared_record(app: Flask, seed: Seed) -> None:
    console = moderator_socket(app, seed)
    ok(console.call("live.start", {"cid": cid()}))
    state = seed.db.get(LiveState, seed.workshop.id)
    assert state is not None
    joined, _ = join(seed.db, state.join_code, Profile(language="en"), utcnow())
    seed.db.commit()
    auth = {"as": "participant", "workshop": seed.workshop.slug, "token": joined.token}
    phone = Client(app, app.extensions["socketio"], auth=auth)
    assert phone.is_connected()
    ok(console.call("live.end", {"cid": cid()}))
    ended = phone.events("live.state")[-1][1]["live"]
    assert ended["phase"] == "ended" and ended["record_url"] is None  # not shared yet

    slug = seed.workshop.slug
    published = seed.client.post(f"/w/{slug}/record/publish", headers={"X-CSRFToken": seed.token})
    assert published.status_code == 201
    shared = seed.post(f"/w/{slug}/record/share", {"cid": cid()}).get_json()
    link = phone.events("live.state")[-1][1]["live"]["record_url"]
    assert link == f"/r/{shared['public_token']}"
    assert seed.client.get(link).status_code == 200
    # A phone that syncs later (or opens the page) gets it too.
    assert ok(phone.call("live.sync", {}))["live"]["record_url"] == link
    seed.post(f"/w/{slug}/record/share", {"cid": cid(), "shared": False})
    assert phone.events("live.state")[-1][1]["live"]["record_url"] is None
    phone.disconnect()
    console.disconnect()
