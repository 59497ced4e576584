"""The PDF worker: a child process that keeps WeasyPrint loaded and its fonts warm.

`python -m facilitator.record.pdf_worker [IDLE_S]` imports WeasyPrint, lays out a
little page in every script the record uses (so fontconfig and Pango have found their
Latin and Hangul fonts), then answers requests on its standard input and output until
that input closes, or until nobody asked for IDLE_S seconds (its memory goes back).

One request: 8 bytes of length (big-endian) and the HTML in UTF-8; a length of 0 is a
ping that only says "still wanted". One answer: `P` or `E`, 8 bytes of length, then the
PDF or, after `E`, the error's text. Stdlib and WeasyPrint only, so it starts quickly.
"""

from __future__ import annotations

import gc
import os
import select
import sys
import traceback
from typing import BinaryIO

IDLE_S = 1800.0
WARM_UP = (
    '<html lang="en"><body style="font-family: sans-serif">'
    "<h1>Record</h1><p>Compte rendu, participación, 기록 <strong>기록</strong> <em>séance</em></p>"
    "<table><tr><th>1</th><td>2</td></tr></table></body></html>"
)
OK, FAILED = b"P", b"E"
LENGTH = 8


def render(html: str) -> bytes:
    """The PDF of `html`, with the collector paused: a long record makes hundreds of
    thousands of short-lived objects, and collecting among them was a tenth of the time."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    paused = gc.isenabled()
    gc.disable()
    try:
        pdf: bytes = HTML(string=html).write_pdf()
    finally:
        if paused:
            gc.enable()
    return pdf


def read_exactly(fd: int, size: int) -> bytes | None:
    """`size` bytes from a file descriptor (unbuffered: what `select` sees is all there
    is), or None if it ended first."""
    parts, left = [], size
    while left:
        part = os.read(fd, min(left, 1 << 20))
        if not part:
            return None
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def _answer(out: BinaryIO, status: bytes, body: bytes) -> None:
    out.write(status + len(body).to_bytes(LENGTH, "big") + body)
    out.flush()


def warm_up(inp: int) -> None:
    """Load WeasyPrint, then find the fonts by laying out a little page, unless an export
    is already waiting: its own layout finds the fonts it needs (a record without Hangul
    never loads the CJK font), and it is not kept waiting for this page."""
    import weasyprint  # noqa: F401

    waiting, _, _ = select.select([inp], [], [], 0)
    if not waiting:
        render(WARM_UP)


def serve(inp: int, out: BinaryIO, idle_s: float = IDLE_S) -> None:
    warm_up(inp)
    gc.collect()
    gc.freeze()  # WeasyPrint's modules and caches: never looked at by the collector again
    while True:
        waiting, _, _ = select.select([inp], [], [], idle_s)
        if not waiting:
            return
        head = read_exactly(inp, LENGTH)
        if head is None:
            return
        size = int.from_bytes(head, "big")
        if size == 0:
            continue
        html = read_exactly(inp, size)
        if html is None:
            return
        try:
            _answer(out, OK, render(html.decode("utf-8")))
        except Exception:
            _answer(out, FAILED, traceback.format_exc().encode("utf-8", "replace"))
        gc.collect()  # the layout's garbage, once the answer is on its way


def main() -> None:
    # The answers get a descriptor of their own; anything a library prints goes to stderr
    # instead of into a PDF.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    serve(sys.stdin.fileno(), out, float(sys.argv[1]) if len(sys.argv) > 1 else IDLE_S)


if __name__ == "__main__":
    main()
