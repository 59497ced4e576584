"""The join URL and its QR code, without decoding images: regenerate and compare."""

from __future__ import annotations

import io
import re

import png
import qrcode
import qrcode.image.svg

from facilitator.live.qr import join_url, qr_png, qr_svg

URL = "https://venue.example.org/j/ABCD2345"


def path_of(svg: str) -> str:
    match = re.search(r'<path d="([^"]+)"', svg)
    assert match, svg[:200]
    return match.group(1)


def reference_path(data: str) -> str:
    """The modules of `data` drawn by qrcode itself, for comparison."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(data)
    qr.make(fit=True)
    image = qr.make_image(image_factory=qrcode.image.svg.SvgPathImage)
    return path_of(image.to_string(encoding="unicode"))


def test_join_url_is_the_base_and_the_code_with_one_slash() -> None:
    assert join_url("https://venue.example.org", "ABCD2345") == URL
    assert join_url("https://venue.example.org/", "ABCD2345") == URL
    assert join_url("http://localhost:5000/", "ABCD2345") == "http://localhost:5000/j/ABCD2345"


def test_svg_document_encodes_the_url() -> None:
    svg = qr_svg(URL, title="Join")
    assert svg.startswith("<?xml")
    assert "<svg" in svg and 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert "<title>Join</title>" in svg and 'role="img"' in svg
    assert path_of(svg) == reference_path(URL)
    assert path_of(svg) != reference_path(URL.replace("venue", "other"))


def test_inline_svg_has_no_declaration_and_no_fixed_size() -> None:
    svg = qr_svg(URL, inline=True)
    assert svg.startswith("<svg")
    assert 'width="' not in svg.split(">", 1)[0]
    assert "viewBox=" in svg
    assert "style=" not in svg  # a strict CSP forbids inline styles
    assert 'fill="white"' in svg  # a white square behind it: scannable on dark screens


def test_png_is_a_black_and_white_square_image() -> None:
    data = qr_png(URL)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, _rows, info = png.Reader(file=io.BytesIO(data)).read()
    assert width == height
    assert info["greyscale"] and info["bitdepth"] == 1
