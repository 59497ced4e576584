"""Under green threads the PDF is laid out in a child process: the room's sockets go on."""

from __future__ import annotations

import io
import subprocess
import sys

from pypdf import PdfReader

from facilitator.record.exporters.pdf import green_threads, render_here, render_in_child

PAGE = "<h1>기록</h1>" + "".join(
    f"<p>Paragraph {n}: the groups reported back on local partnerships.</p>" for n in range(600)
)


def _text(pdf: bytes) -> str:
    return "".join(
        "".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


def test_the_child_process_renders_what_this_one_would() -> None:
    child = render_in_child(PAGE)
    assert child.startswith(b"%PDF")
    assert _text(child) == _text(render_here(PAGE))
    assert "기록" in _text(child)


ASK = "from facilitator.record.exporters.pdf import green_threads\nprint(green_threads())"


def test_only_green_threads_send_the_layout_to_a_child() -> None:
    assert not green_threads()  # the tests, the CLI: laid out here
    for patch in (
        "import eventlet; eventlet.monkey_patch()",
        "from gevent import monkey; monkey.patch_all()",
    ):
        out = subprocess.run(
            [sys.executable, "-c", f"{patch}\n{ASK}"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == "True", (patch, out.stderr)


# A green thread ticks every 20 ms while the PDF is made; the longest gap between ticks
# is how long every socket of the room would have waited.
RESPONSIVE = """
import eventlet
eventlet.monkey_patch()
import time
from facilitator.record.exporters.pdf import render_in_child
from tests.record.test_pdf_isolation import PAGE
gaps, last, running = [], [time.monotonic()], [True]
def tick():
    while running[0]:
        eventlet.sleep(0.02)
        now = time.monotonic()
        gaps.append(now - last[0])
        last[0] = now
eventlet.spawn(tick)
started = time.monotonic()
render_in_child(PAGE)
took = time.monotonic() - started
running[0] = False
eventlet.sleep(0.05)
print(f"{took:.3f} {max(gaps):.3f}")
"""


def test_the_server_keeps_answering_while_a_pdf_is_made() -> None:
    out = subprocess.run(
        [sys.executable, "-c", RESPONSIVE], capture_output=True, text=True, check=True
    )
    took, longest_gap = (float(v) for v in out.stdout.split())
    assert took > 0.5  # a real layout, long enough to have stopped the room
    assert longest_gap < 0.4, (took, longest_gap)
