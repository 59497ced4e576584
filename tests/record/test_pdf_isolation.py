"""Under green threads the PDF is laid out in a child process: the room's sockets go on.
That child is a long-lived worker that keeps WeasyPrint and its fonts loaded."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from facilitator.record import pdf_worker
from facilitator.record.exporters.pdf import (
    Worker,
    green_threads,
    render_here,
    render_in_child,
)

PAGE = "<h1>기록</h1>" + "".join(
    f"<p>Paragraph {n}: the groups reported back on local partnerships.</p>" for n in range(600)
)


SMALL = "<h1>기록</h1><p>The groups reported back on local partnerships.</p>"


def _text(pdf: bytes) -> str:
    return "".join(
        "".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


def test_the_child_process_renders_what_this_one_would() -> None:
    child = render_in_child(PAGE)
    assert child.startswith(b"%PDF")
    assert _text(child) == _text(render_here(PAGE))
    assert "기록" in _text(child)


@pytest.fixture
def worker() -> Iterator[Worker]:
    made = Worker()
    yield made
    made.stop()


def test_one_worker_lays_out_export_after_export(worker: Worker) -> None:
    first = worker.render(SMALL)
    assert worker.process is not None
    pid = worker.process.pid
    second = worker.render(SMALL.replace("기록", "회의록"))
    assert worker.process.pid == pid  # WeasyPrint loaded once, not once an export
    assert "기록" in _text(first) and "회의록" in _text(second)


def test_a_worker_that_died_is_replaced_on_the_next_export(worker: Worker) -> None:
    worker.render("<p>one</p>")
    assert worker.process is not None
    worker.process.kill()
    worker.process.wait()
    assert "기록" in _text(worker.render(SMALL))


def test_an_idle_worker_ends_and_the_next_export_starts_another() -> None:
    idle = Worker(idle_s=0.2)
    try:
        idle.prepare()  # started ahead of an export, as the record's screens do
        assert idle.process is not None
        idle.process.wait(timeout=60)  # warmed up, waited 0.2 s for work, gave its memory back
        assert "기록" in _text(idle.render(SMALL))
    finally:
        idle.stop()


def test_a_page_that_cannot_be_laid_out_is_an_error_and_the_worker_goes_on() -> None:
    to_worker, worker_in = os.pipe()
    worker_out, from_worker = os.pipe()
    out = os.fdopen(from_worker, "wb")
    serving = threading.Thread(target=pdf_worker.serve, args=(to_worker, out, 60))
    serving.start()
    answers = os.fdopen(worker_out, "rb")
    try:
        for body in (b"\xff not UTF-8", "<p>기록</p>".encode()):
            os.write(worker_in, len(body).to_bytes(pdf_worker.LENGTH, "big") + body)
            head = answers.read(1 + pdf_worker.LENGTH)
            answer = answers.read(int.from_bytes(head[1:], "big"))
            if body.startswith(b"\xff"):
                assert head[:1] == pdf_worker.FAILED and b"UnicodeDecodeError" in answer
            else:
                assert head[:1] == pdf_worker.OK and "기록" in _text(answer)
    finally:
        os.close(worker_in)  # its input ends: it stops
        serving.join(timeout=60)
        out.close()
        answers.close()
    assert not serving.is_alive()


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
