"""`make run` serves on every interface: the handout's, projector's and QR code's join
URL is one that phones on the venue's network can open, never loopback (issue 8)."""

from __future__ import annotations

import io
import re
from html import unescape
from urllib.parse import urlsplit

import png
import pytest
import requests

from tests.integration.conftest import SLUG, ServerProcess
from tests.integration.support import TIMEOUT, moderator_cookie


def decode_qr(png_bytes: bytes) -> str:
    from pyzbar import pyzbar

    width, height, rows, info = png.Reader(file=io.BytesIO(png_bytes)).asDirect()
    planes, top = info["planes"], 2 ** info["bitdepth"] - 1
    # The first channel, scaled to 8 bits (a QR code is often written 1 bit deep).
    grey = bytes(value * 255 // top for row in rows for value in row[::planes])
    found = pyzbar.decode((grey, width, height))
    assert len(found) == 1, found
    return str(found[0].data.decode())


@pytest.mark.parametrize("server", ["eventlet"], indirect=True)
def test_join_links_served_on_every_interface_are_not_loopback(server: ServerProcess) -> None:
    server.host = "0.0.0.0"
    server.start()
    with requests.Session() as http:
        http.headers["Cookie"] = moderator_cookie(server.url)
        handout = http.get(f"{server.url}/w/{SLUG}/handout", timeout=TIMEOUT).text
        urls = set(re.findall(r"https?://[^\s<\"']+/j/[A-Z0-9]+", unescape(handout)))
        assert urls, "no join URL on the handout"
        for url in urls:
            assert urlsplit(url).hostname not in ("127.0.0.1", "localhost"), url
        (join,) = urls
        code = join.rsplit("/", 1)[1]
        qr = http.get(f"{server.url}/j/{code}/qr.png", timeout=TIMEOUT)
        assert qr.status_code == 200 and qr.headers["Content-Type"] == "image/png"
        assert decode_qr(qr.content) == join  # what a phone's camera reads
        display = http.get(f"{server.url}/w/{SLUG}/display", timeout=TIMEOUT)
        assert join in unescape(display.text) or urlsplit(join).netloc in display.text
        console = http.get(f"{server.url}/w/{SLUG}/console", timeout=TIMEOUT).text
        assert "Phones cannot open this address" not in console
        # The address phones use works: the join page answers there.
        assert requests.get(join, timeout=TIMEOUT).status_code == 200
