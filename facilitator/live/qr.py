"""The join URL and its QR code: SVG for screens and print, PNG for download.

No Flask here: callers pass the base URL (the configured public URL, or the
request's host) so a venue behind a proxy gets codes that work from outside.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import qrcode
import qrcode.constants
import qrcode.image.pure
import qrcode.image.svg

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
# Medium error correction survives a smudged print or a glare on the projector.
ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M
PNG_BOX_SIZE = 16  # pixels a module: sharp enough to print at A4 size


def join_url(base: str, code: str) -> str:
    """The short join URL of a code; every screen, handout and QR code uses this one."""
    return f"{base.rstrip('/')}/j/{code}"


def _qr(data: str, box_size: int) -> qrcode.QRCode:
    qr = qrcode.QRCode(error_correction=ERROR_CORRECTION, box_size=box_size, border=4)
    qr.add_data(data)
    qr.make(fit=True)
    return qr


def qr_svg(data: str, *, title: str | None = None, inline: bool = False) -> str:
    """An SVG drawing of the QR code: one path on a white square.

    `inline` leaves out the XML declaration and the fixed size in millimetres, so
    the drawing can sit in an HTML page and take the size CSS gives it. `title`
    names the image for screen readers.
    """
    image = _qr(data, box_size=10).make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
    # Through text: qrcode builds with lxml when it is installed (python-docx brings it),
    # with the standard library otherwise; the drawing is the same either way.
    root = ET.fromstring(image.to_string())
    # The prefix map is process-wide and other libraries change it: claim <svg xmlns=…>
    # (never <ns0:svg>) each time.
    ET.register_namespace("", SVG_NAMESPACE)
    if title:
        label = ET.Element(f"{{{SVG_NAMESPACE}}}title")
        label.text = title
        root.insert(0, label)
        root.set("role", "img")
        root.set("aria-label", title)
    if inline:
        root.attrib.pop("width", None)
        root.attrib.pop("height", None)
        return ET.tostring(root, encoding="unicode")
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def qr_png(data: str, *, box_size: int = PNG_BOX_SIZE) -> bytes:
    """A black-and-white PNG of the QR code (pure Python through pypng)."""
    image = _qr(data, box_size=box_size).make_image(image_factory=qrcode.image.pure.PyPNGImage)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()
