"""PDF: the HTML export rendered by WeasyPrint (Korean needs Debian's fonts-noto-cjk).

WeasyPrint lays out a long record in a second or two of pure CPU. Inside a server of
green threads (eventlet, gevent) that would stop every socket of the room for as long,
so there the layout runs in a child process that the server waits for cooperatively.
That child is long-lived (`facilitator.record.pdf_worker`): starting Python, importing
WeasyPrint and finding the fonts cost about 0.7 s, paid once by a worker that `prepare()`
starts when a rapporteur opens the notes or the review screen or exports any format, not
by every export; it ends after half an hour without work (its ~100 MB go back). Elsewhere
(the CLI, tests, a threaded server) the layout runs here.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import threading
from typing import IO

from facilitator.record import pdf_worker
from facilitator.record.data import Record
from facilitator.record.exporters.html import render
from facilitator.record.pdf_worker import FAILED, LENGTH, OK

CHILD_TIMEOUT_S = 300
RENDERS_PER_WORKER = 100  # then a fresh one: whatever WeasyPrint keeps does not pile up


class PdfFailed(RuntimeError):
    """The child process could not render the record."""


def export(record: Record, *, isolated: bool | None = None, worker: Worker | None = None) -> bytes:
    if isolated is None:
        isolated = green_threads()
    if not isolated:
        return render_here(render(record, for_pdf=True))
    chosen = worker or WORKER
    chosen.prepare()  # a worker that must start loads WeasyPrint while the HTML is made
    return chosen.render(render(record, for_pdf=True))


def render_here(html: str) -> bytes:
    """`html` laid out in this process."""
    return pdf_worker.render(html)


def render_in_child(html: str) -> bytes:
    """`html` laid out by the warm worker (started now if none is running)."""
    return WORKER.render(html)


def prepare() -> None:
    """Under green threads, start the worker (it warms up on its own) or tell the running
    one it is still wanted, so the next export does not wait for WeasyPrint to load."""
    if green_threads():
        WORKER.prepare()


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    parts, left = [], size
    while left:
        part = stream.read(left)
        if not part:
            raise EOFError
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


class Worker:
    """One child process, one layout at a time; restarted when it has gone away."""

    def __init__(self, idle_s: float | None = None) -> None:
        self.idle_s = idle_s
        self.process: subprocess.Popen[bytes] | None = None
        self.renders = 0
        self._lock = threading.Lock()

    def _start(self) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "facilitator.record.pdf_worker"]
        if self.idle_s is not None:
            command.append(str(self.idle_s))
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.renders = 0
        return self.process

    def _running(self) -> subprocess.Popen[bytes]:
        process = self.process
        if process is None or process.poll() is not None:
            process = self._start()
        return process

    def stop(self) -> None:
        with self._lock:
            self._stop()

    def _stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()  # the worker ends when its input does
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()

    def prepare(self) -> None:
        if not self._lock.acquire(blocking=False):
            return  # busy with a layout: it is warm
        try:
            running = self.process is not None and self.process.poll() is None
            process = self._running()
            assert process.stdin is not None
            if running:  # a ping: its idle clock starts again (a new one needs none)
                process.stdin.write(bytes(LENGTH))
                process.stdin.flush()
        except OSError:
            self._stop()
        finally:
            self._lock.release()

    def render(self, html: str) -> bytes:
        body = html.encode("utf-8")
        with self._lock:
            for attempt in (1, 2):
                process = self._running()
                watchdog = threading.Timer(CHILD_TIMEOUT_S, process.kill)
                watchdog.start()
                try:
                    status, answer = self._ask(process, body)
                except (OSError, EOFError, ValueError):
                    # It went away (it ended for idleness as we wrote, or was killed):
                    # once more with a fresh one, unless it was too slow.
                    self._stop()
                    if attempt == 2 or not watchdog.is_alive():
                        raise PdfFailed("the PDF worker stopped") from None
                    continue
                finally:
                    watchdog.cancel()
                self.renders += 1
                if self.renders >= RENDERS_PER_WORKER:
                    self._stop()
                    self._start()  # warms up while nobody waits
                if status != OK:
                    raise PdfFailed(answer.decode("utf-8", "replace")[-2000:])
                return answer
        raise AssertionError("unreachable")

    def _ask(self, process: subprocess.Popen[bytes], body: bytes) -> tuple[bytes, bytes]:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(len(body).to_bytes(LENGTH, "big") + body)
        process.stdin.flush()
        head = _read_exactly(process.stdout, 1 + LENGTH)
        status = head[:1]
        if status not in (OK, FAILED):
            raise ValueError(status)
        return status, _read_exactly(process.stdout, int.from_bytes(head[1:], "big"))

    def forget(self) -> None:
        """In a forked child: the parent's worker is the parent's; this one starts its own."""
        process, self.process = self.process, None
        self._lock = threading.Lock()
        if process is not None:
            for pipe in (process.stdin, process.stdout):
                if pipe is not None:
                    pipe.close()


WORKER = Worker()
atexit.register(WORKER.stop)
os.register_at_fork(after_in_child=WORKER.forget)


def green_threads() -> bool:
    """True when this process runs on green threads, as `facilitator serve` does."""
    eventlet = sys.modules.get("eventlet.patcher")
    if eventlet is not None and eventlet.is_monkey_patched("thread"):
        return True
    gevent = sys.modules.get("gevent.monkey")
    return gevent is not None and bool(gevent.is_module_patched("threading"))
