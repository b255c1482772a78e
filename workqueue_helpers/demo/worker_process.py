"""Where a worker process starts: its pipes, read by a thread of its own; and how it
is held still for a moment (``WorkerProcess.paused``), for a kill.

The program (a step's file, or a learner's) runs under
``python -m workqueue_helpers.harness``, started by ``Run.start`` with
``processes.spawn``. It prints its terminal text to stdout and writes its
events as JSON lines to an extra pipe, named in ``WORKQUEUE_EVENTS_FD``
(nbval does not capture a child's stdout, so the parent reads both pipes).
"""

from __future__ import annotations

import fcntl
import os
import selectors
import signal
import subprocess
import termios
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple

from workqueue_helpers import processes
from workqueue_helpers.record.events import EVENTS_FD_VARIABLE, EXITED, Event

ScreenCallback = Callable[["WorkerProcess", List[str]], None]
EventCallback = Callable[["WorkerProcess", Event], None]


@dataclass
class WorkerProcess:
    """One running worker: its process, its screen and what it is doing."""

    name: str
    process: subprocess.Popen
    screen: List[str] = field(default_factory=list)
    consuming: bool = False
    current_task: Optional[str] = None
    acknowledged: bool = False  # it acknowledged current_task; its callback has not returned yet
    standby: bool = False  # started ahead, waiting for Run.release (the harness's --standby)
    reader: Optional[threading.Thread] = None
    events_fd: int = -1  # the read end of its events pipe
    # Held by the reader while it hands on what it read, and by ``paused``:
    handing_on: threading.Lock = field(default_factory=threading.Lock)

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    @contextmanager
    def paused(self, timeout: float = 5.0) -> Iterator[bool]:
        """Hold the worker still (SIGSTOP) for the block; yield whether it is held and every
        event it wrote has been handed on (False: it has ended, or that took longer than
        ``timeout``). It goes on (SIGCONT) after the block, if still alive.

        While it is held, what the notebook knows of it is all there is: a worker
        records ACKED before it sends its ack, so no ACKED means no ack sent."""
        try:
            held = processes.hold(self.process, timeout)
            deadline = time.monotonic() + timeout
            while held and _unread(self.events_fd) and time.monotonic() < deadline:
                time.sleep(0.001)
            with self.handing_on:  # what the reader has read, it has handed on
                yield held and not _unread(self.events_fd)
        finally:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGCONT)


def start_worker_process(name: str, argv: Sequence[str], on_screen: ScreenCallback,
                         on_event: EventCallback,
                         extra_env: Optional[Dict[str, str]] = None,
                         standby: bool = False) -> WorkerProcess:
    """Start ``argv`` (a worker's command line) and a thread that hands its
    terminal lines to ``on_screen`` and its events to ``on_event`` until it exits.

    ``extra_env`` is added to the worker's environment. ``standby``: its stdin is a
    pipe, for the harness's ``--standby`` (see ``Run.release``).
    Call it from the main thread (see ``processes.spawn``).
    """
    events_read, events_write = os.pipe()
    env = dict(os.environ, **(extra_env or {}), **{EVENTS_FD_VARIABLE: str(events_write)})
    try:
        process = processes.spawn(argv, env=env, pass_fds=[events_write],
                                  stdin=subprocess.PIPE if standby else subprocess.DEVNULL)
    finally:
        os.close(events_write)
    worker = WorkerProcess(name, process, events_fd=events_read)
    worker.reader = threading.Thread(target=_read_worker, name=f"reader-{name}", daemon=True,
                                     args=(worker, events_read, on_screen, on_event))
    worker.reader.start()
    return worker


def _read_worker(worker: WorkerProcess, events_fd: int, on_screen: ScreenCallback,
                 on_event: EventCallback) -> None:
    """Read a worker's terminal text and its events until it exits.

    The worker prints a line before it reports the event that follows it,
    so the terminal pipe is drained before each batch of events: when an
    event is recorded, the screen already shows what led to it.
    """
    assert worker.process.stdout is not None
    screen_fd = worker.process.stdout.fileno()
    pending = {screen_fd: b"", events_fd: b""}
    selector = selectors.DefaultSelector()
    for fd in pending:
        os.set_blocking(fd, False)
        selector.register(fd, selectors.EVENT_READ)
    open_fds = set(pending)
    while open_fds:
        ready = {key.fd for key, _ in selector.select()}
        with worker.handing_on:
            for fd in (screen_fd, events_fd):  # screen first, always
                if fd in open_fds and (fd in ready or fd == screen_fd):
                    lines, pending[fd], ended = _read_lines(fd, pending[fd])
                    if fd == screen_fd:
                        if lines:
                            on_screen(worker, lines)
                    else:
                        for line in lines:
                            on_event(worker, Event.from_json(line))
                    if ended:
                        open_fds.discard(fd)
                        selector.unregister(fd)
    selector.close()
    os.close(events_fd)
    code = worker.process.wait()
    on_event(worker, Event(time.time(), EXITED, worker.name, detail=str(code)))


def _unread(fd: int) -> int:
    """How many bytes a pipe holds that nobody has read yet (0 once it is closed)."""
    try:
        return int.from_bytes(fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"), "little")
    except OSError:
        return 0


def _read_lines(fd: int, pending: bytes) -> Tuple[List[str], bytes, bool]:
    """Read what a non-blocking pipe holds; return (whole lines, the rest, at end)."""
    chunks = [pending]
    ended = False
    while True:
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            break
        if not chunk:
            ended = True
            break
        chunks.append(chunk)
    data = b"".join(chunks)
    *lines, rest = data.split(b"\n")
    if ended and rest:
        lines, rest = lines + [rest], b""
    return [line.decode("utf-8", "replace") for line in lines], rest, ended
