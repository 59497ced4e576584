"""The speaker's link as a page and as JSON (with ETag), and the projector's answer count
while results are hidden: no account, the token is the key."""

from __future__ import annotations

import json
import re

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from facilitator.database import utcnow
from facilitator.live.services import live_state
from facilitator.qa import services as qa
from facilitator.qa.votes import vote
from facilitator.questions import answering
from tests.questions.support import Room, opened, room


def _link(r: Room) -> str:
    link, _ = qa.speaker_link(r.db, r.workshop.id, "ana")
    r.db.commit()
    return link.token


def _ask(r: Room, who: int, text: str, speaker: str | None = "ana") -> int:
    question, _ = qa.ask(r.db, r.people[who], text, now=utcnow(), anonymous=False, speaker=speaker)
    r.db.commit()
    return question.id


def _page_data(html: str) -> dict[str, object]:
    match = re.search(r'<script type="application/json" id="page-data">(.*?)</script>', html, re.S)
    assert match
    data: dict[str, object] = json.loads(match.group(1))
    return data


def test_the_speaker_page_lists_their_questions_by_votes(
    client: FlaskClient, session: Session
) -> None:
    r = room(session)
    token = _link(r)
    first = _ask(r, 0, "Why <b>now</b>?")
    second = _ask(r, 1, "Pourquoi pas avant ?")
    _ask(r, 2, "누구에게?", speaker=None)  # to nobody in particular: not on Ana's page
    vote(session, r.people[2], second, True, utcnow())
    session.commit()

    page = client.get(f"/speaker/{token}", headers={"Accept-Language": "fr"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Questions pour Ana Lee" in html or "Questions for Ana Lee" in html
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "<b>now</b>" not in html  # what participants write is text, never markup
    data = _page_data(html)
    initial = data["initial"]
    assert isinstance(initial, dict)
    assert [q["id"] for q in initial["questions"]] == [second, first]  # most votes first
    assert data["json_url"] == f"/speaker/{token}.json"


def test_the_speakers_json_answers_304_while_nothing_changed(
    client: FlaskClient, session: Session
) -> None:
    r = room(session)
    token = _link(r)
    for n in range(4):  # enough to be compressed on the way
        _ask(r, 1, f"Another question, number {n}, long enough to need some bytes?")
    asked = _ask(r, 0, "Why?")  # the newest: last, with no votes
    zipped = {"Accept-Encoding": "gzip"}
    first = client.get(f"/speaker/{token}.json", headers=zipped)
    assert first.status_code == 200 and first.headers["Content-Encoding"] == "gzip"
    assert first.headers["ETag"].startswith("W/")  # the same list, gzipped or not
    again = client.get(
        f"/speaker/{token}.json", headers={**zipped, "If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304 and again.get_data() == b""
    plain = client.get(f"/speaker/{token}.json")
    assert [q["id"] for q in plain.get_json()["questions"]][-1] == asked
    assert plain.headers["ETag"] == first.headers["ETag"]

    vote(session, r.people[1], asked, True, utcnow())
    session.commit()
    changed = client.get(f"/speaker/{token}.json", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    top = changed.get_json()["questions"][0]
    assert top["id"] == asked and top["votes"] == 1  # the most voted first now


def test_an_unknown_speaker_token_is_not_found(client: FlaskClient, session: Session) -> None:
    room(session)
    assert client.get("/speaker/not-a-token").status_code == 404
    assert client.get("/speaker/not-a-token.json").status_code == 404


def test_the_projector_reads_how_many_answered_while_results_are_hidden(
    client: FlaskClient, session: Session
) -> None:
    r = room(session)
    token = live_state(session, r.workshop).display_token
    session.commit()
    pick = opened(r, "pick")
    for who, option in [(0, 1), (1, 2)]:
        answering.submit(session, r.people[who], pick, option, utcnow(), None)
    session.commit()
    assert not pick.revealed

    counts = client.get(f"/d/{token}/answers.json")
    assert counts.status_code == 200
    assert counts.get_json() == {"answered": [[pick.id, 2]]}  # ready questions are not listed
    assert "options" not in counts.get_data(as_text=True)  # a count, never the results
    unchanged = client.get(
        f"/d/{token}/answers.json", headers={"If-None-Match": counts.headers["ETag"]}
    )
    assert unchanged.status_code == 304

    answer, _ = answering.submit(session, r.people[2], pick, 0, utcnow(), None)
    answering.hide_answer(session, r.workshop.id, answer.id, True)
    session.commit()
    assert client.get(f"/d/{token}/answers.json").get_json() == {"answered": [[pick.id, 2]]}
    assert client.get("/d/wrong-token/answers.json").status_code == 404
