"""PDF: the HTML export rendered by WeasyPrint (Korean needs Debian's fonts-noto-cjk).

WeasyPrint lays out a long record in seconds of pure CPU. Inside a server of green
threads (eventlet, gevent) that would stop every socket of the room for as long, so
there the layout runs in a child process (`python -m facilitator.record.exporters.pdf`,
the HTML on its standard input, the PDF on its output) that the server waits for
cooperatively. Elsewhere (the CLI, tests, a threaded server) it runs here.
"""

from __future__ import annotations

import subprocess
import sys

from facilitator.record.data import Record
from facilitator.record.exporters.html import render

CHILD_TIMEOUT_S = 300


class PdfFailed(RuntimeError):
    """The child process could not render the record."""


def export(record: Record, *, isolated: bool | None = None) -> bytes:
    html = render(record, for_pdf=True)
    if isolated is None:
        isolated = green_threads()
    return render_in_child(html) if isolated else render_here(html)


def render_here(html: str) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def render_in_child(html: str) -> bytes:
    done = subprocess.run(
        [sys.executable, "-m", "facilitator.record.exporters.pdf"],
        input=html.encode("utf-8"),
        capture_output=True,
        timeout=CHILD_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF"):
        raise PdfFailed(done.stderr.decode("utf-8", "replace")[-2000:])
    return done.stdout


def green_threads() -> bool:
    """True when this process runs on green threads, as `facilitator serve` does."""
    eventlet = sys.modules.get("eventlet.patcher")
    if eventlet is not None and eventlet.is_monkey_patched("thread"):
        return True
    gevent = sys.modules.get("gevent.monkey")
    return gevent is not None and bool(gevent.is_module_patched("threading"))


if __name__ == "__main__":
    sys.stdout.buffer.write(render_here(sys.stdin.buffer.read().decode("utf-8")))
