"""Large requests and pages through the real server, whose connection buffers are small
(facilitator/server.py): an agenda of several hundred KiB goes in, a long page comes out."""

from __future__ import annotations

import json
import re
from pathlib import Path

import requests

from tests.integration.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, SAMPLE, SLUG, ServerProcess
from tests.integration.support import TIMEOUT

DIST = Path(__file__).resolve().parents[2] / "static" / "dist"


def test_a_large_agenda_goes_in_and_its_long_page_comes_out(server: ServerProcess) -> None:
    server.start()
    source = SAMPLE.read_text(encoding="utf-8")
    # A long comment at the end: the file is far larger than any buffer, and still valid.
    padding = "".join(f"# line {n} of a long note kept with the agenda\n" for n in range(6000))
    big = (source + "\n" + padding).encode()
    assert len(big) > 300_000
    with requests.Session() as http:
        page = http.get(server.url + "/login", timeout=TIMEOUT)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token
        http.post(
            server.url + "/login",
            data={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "csrf_token": token.group(1)},
            timeout=TIMEOUT,
        )
        dashboard = http.get(server.url + "/", timeout=TIMEOUT)
        token = re.search(r'name="csrf_token" value="([^"]+)"', dashboard.text)
        assert token
        answer = http.post(
            server.url + "/upload",
            data={"csrf_token": token.group(1)},
            files={"file": ("alliances.yaml", big, "application/x-yaml")},
            timeout=TIMEOUT,
        )
        assert answer.status_code == 200, answer.text[:500]
        assert "updated" in answer.text.lower() or "created" in answer.text.lower()

        workshop = http.get(f"{server.url}/w/{SLUG}", timeout=TIMEOUT)
        assert workshop.status_code == 200
        assert len(workshop.content) > 20_000  # the whole printable agenda
        assert workshop.text.rstrip().endswith("</html>")
        console_js = json.loads((DIST / "manifest.json").read_text())["live/console.js"]
        script = http.get(f"{server.url}/static/{console_js}", timeout=TIMEOUT)
        assert script.status_code == 200 and len(script.content) > 40_000
