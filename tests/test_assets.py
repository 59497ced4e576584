"""The built browser assets: hashed URLs from the manifest, a year of caching, compression."""

from __future__ import annotations

import gzip
import json
import re

from flask import Flask
from flask.testing import FlaskClient

from facilitator.assets import IMMUTABLE, asset, manifest_of


def test_every_entry_has_a_hashed_file_that_is_served(app: Flask, client: FlaskClient) -> None:
    manifest = manifest_of(app)
    for entry in ("live/console.js", "participation/phone.js", "participation/phone.css"):
        with app.test_request_context():
            url = asset(entry)
        stem, extension = entry.rsplit(".", 1)
        assert re.fullmatch(rf"/static/{stem}-\w{{8}}\.{extension}", url), url
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == IMMUTABLE
        response.close()
    assert manifest_of(app) is manifest  # read once per app


def test_scripts_are_modules_with_source_maps(app: Flask, client: FlaskClient) -> None:
    with app.test_request_context():
        url = asset("participation/phone.js")
    response = client.get(url)
    body = response.get_data(as_text=True)
    assert body.rstrip().endswith(f"//# sourceMappingURL={url.rsplit('/', 1)[1]}.map")
    response.close()
    source_map = client.get(url + ".map")
    assert source_map.status_code == 200
    mapped = json.loads(source_map.data)
    assert "../../shared/realtime.js" in mapped["sources"]  # relative to the built file
    assert len(mapped["sourcesContent"]) == len(mapped["sources"])  # readable in DevTools
    source_map.close()


def test_pages_are_compressed_and_not_cached_for_a_year(client: FlaskClient) -> None:
    response = client.get("/login", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert "<html" in gzip.decompress(response.data).decode()
    assert response.headers.get("Cache-Control") != IMMUTABLE
    plain = client.get("/login")
    assert "Content-Encoding" not in plain.headers


def test_pages_load_scripts_as_modules_only(client: FlaskClient) -> None:
    body = client.get("/login").get_data(as_text=True)
    assert re.search(r'<link rel="stylesheet" href="/static/shared/app-\w{8}\.css">', body)
    for attributes in re.findall(r"<script([^>]*)>", body):
        assert 'type="module"' in attributes or 'type="application/json"' in attributes
