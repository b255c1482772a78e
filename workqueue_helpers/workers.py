"""Workers a notebook can command: start, publish to, wait for, kill, stop.

Where things happen:

- a worker is started in ``Workers.start`` (one ``python -m
  workqueue_helpers.worker`` process each, via ``processes.spawn``);
- its terminal text and its events are read in ``_read_worker``, on one
  thread per worker, through pipes (nbval does not capture a child's stdout);
- every event goes to ``Timeline.record``.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Union

import pika.exceptions

from workqueue_helpers import processes
from workqueue_helpers.connection import (DEFAULT_QUEUE, WorkQueueError, close_quietly,
                                          connect, declare_task_queue, queue_counts)
from workqueue_helpers.events import (BROKER_DOWN, BROKER_UP, CONSUMING, DISCONNECTED, DONE,
                                      EVENTS_FD_VARIABLE, EXITED, KILLED, PUBLISHED, RECEIVED,
                                      REJECTED, Event, task_label)
from workqueue_helpers.new_task import send
from workqueue_helpers.terminals import side_by_side
from workqueue_helpers.timeline import Timeline

QUEUE_SETTLE_SECONDS = 2.0  # see Workers.restart_broker


@dataclass
class WorkerProcess:
    """One running worker: its process, its screen and what it is doing."""

    name: str
    process: subprocess.Popen
    screen: List[str] = field(default_factory=list)
    consuming: bool = False
    current_task: Optional[str] = None
    reader: Optional[threading.Thread] = None

    @property
    def alive(self) -> bool:
        return self.process.poll() is None


class Workers:
    """Worker processes on one queue, with one timeline of what they did."""

    def __init__(self, url: str, queue: str = DEFAULT_QUEUE, *, queue_type: str = "quorum",
                 durable: bool = True, dead_letter_queue: Optional[str] = None) -> None:
        self.url = url
        self.queue = queue
        self.queue_type = queue_type
        self.durable = durable
        self.dead_letter_queue = dead_letter_queue
        self.timeline = Timeline()
        self.workers: Dict[str, WorkerProcess] = {}
        self._changed = threading.Condition()
        self._published: Dict[str, None] = {}  # task labels, in order (a dict: fast `in`)
        self._done: set = set()
        self._first_declared: Optional[float] = None  # when the queue was first declared
        self._settings: Dict[str, dict] = {}  # each worker's start() options

    # --- starting -----------------------------------------------------------

    def start(self, count: int = 1, *, auto_ack: bool = False, prefetch: int = 0,
              seconds_per_dot: float = 1.0, options: Sequence[str] = (),
              timeout: float = 20.0) -> List[str]:
        """Start ``count`` workers one after another; return their names.

        Each worker is consuming before the next one starts, so the broker
        registers them in order: that is what makes round-robin repeatable.
        """
        names = []
        settings = dict(auto_ack=auto_ack, prefetch=prefetch, seconds_per_dot=seconds_per_dot,
                        options=tuple(options))
        for _ in range(count):
            name = f"worker{len(self.workers) + 1}"
            self._settings[name] = settings
            argv = [sys.executable, "-u", "-m", "workqueue_helpers.worker", "--url", self.url,
                    "--queue", self.queue, "--queue-type", self.queue_type,
                    "--durable" if self.durable else "--no-durable",
                    "--prefetch", str(prefetch), "--seconds-per-dot", str(seconds_per_dot),
                    "--name", name, *(["--auto-ack"] if auto_ack else []),
                    *(["--dead-letter-queue", self.dead_letter_queue]
                      if self.dead_letter_queue else []), *options]
            self._start_one(name, argv, timeout)
            names.append(name)
        return names

    def _start_one(self, name: str, argv: List[str], timeout: float) -> None:
        self._first_declared = self._first_declared or time.time()
        events_read, events_write = os.pipe()
        env = dict(os.environ, **{EVENTS_FD_VARIABLE: str(events_write)})
        process = processes.spawn(argv, env=env, pass_fds=[events_write])
        os.close(events_write)
        worker = WorkerProcess(name, process)
        self.workers[name] = worker
        worker.reader = threading.Thread(target=self._read_worker, args=(worker, events_read),
                                         daemon=True)
        worker.reader.start()
        if not self._wait_for(lambda: worker.consuming or not worker.alive, timeout):
            self.kill(name)
            raise WorkQueueError(f"{name} did not start consuming within {timeout:g} s")
        if not worker.consuming:
            worker.reader.join(2.0)
            last = worker.screen[-1] if worker.screen else f"exit code {process.poll()}"
            raise WorkQueueError(f"{name} could not start: {last}")

    # --- reading what workers say -------------------------------------------

    def _read_worker(self, worker: WorkerProcess, events_fd: int) -> None:
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
            for fd in (screen_fd, events_fd):  # screen first, always
                if fd in open_fds and (fd in ready or fd == screen_fd):
                    lines, pending[fd], ended = _read_lines(fd, pending[fd])
                    if fd == screen_fd:
                        self._on_screen_lines(worker, lines)
                    else:
                        for line in lines:
                            self._on_event(worker, Event.from_json(line))
                    if ended:
                        open_fds.discard(fd)
                        selector.unregister(fd)
        selector.close()
        os.close(events_fd)
        code = worker.process.wait()
        self._on_event(worker, Event(time.time(), EXITED, worker.name, detail=str(code)))

    def _on_screen_lines(self, worker: WorkerProcess, lines: List[str]) -> None:
        if lines:
            with self._changed:
                worker.screen.extend(lines)
                self._changed.notify_all()

    def _on_event(self, worker: WorkerProcess, event: Event) -> None:
        self.timeline.record(event)
        with self._changed:
            if event.kind == CONSUMING:
                worker.consuming = True
            elif event.kind == RECEIVED:
                worker.current_task = event.task
            elif event.kind in (DONE, REJECTED, EXITED, DISCONNECTED):
                worker.current_task = None
                if event.kind == DONE:
                    self._done.add(event.task)
            self._changed.notify_all()

    def _wait_for(self, condition, timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(condition, timeout)

    # --- tasks ----------------------------------------------------------------

    def publish(self, messages: Iterable[Union[str, bytes]], persistent: bool = True,
                confirm: bool = False, interval: float = 0.0) -> int:
        """Send each message as a task, in order, with new_task.py's ``send``.

        With ``confirm``, the channel is in publisher-confirm mode: each send
        returns once the broker has the message. ``interval`` waits that many
        seconds between two messages. Returns how many were sent (and, with
        ``confirm``, confirmed).
        """
        connection = connect(self.url)
        self._first_declared = self._first_declared or time.time()
        sent = 0
        try:
            channel = connection.channel()
            declare_task_queue(channel, self.queue, self.durable, self.queue_type,
                               self.dead_letter_queue)
            if confirm:
                channel.confirm_delivery()
            for message in messages:
                body = message.encode("utf-8") if isinstance(message, str) else message
                label = task_label(body)
                with self._changed:
                    if label in self._published:
                        raise WorkQueueError(f"task {label!r} is already published: "
                                             "give each task its own message")
                    self._published[label] = None
                self.timeline.record(Event(time.time(), PUBLISHED, task=label))
                if sent and interval:
                    connection.sleep(interval)
                send(channel, self.queue, body, persistent)
                sent += 1
        finally:
            close_quietly(connection)
        return sent

    def wait_until_done(self, timeout: float = 60.0, settle: float = 0.5) -> bool:
        """Wait until every published task is done, or nothing more can happen.

        "Nothing more" means: no live worker is busy and the queue has no
        ready message for ``settle`` seconds (tasks lost with auto-ack never
        come back). Returns True if every task was done.
        """
        return self.wait_until(self._all_done, timeout, settle)

    def wait_until_done_count(self, count: int, timeout: float = 60.0,
                              settle: float = 0.5) -> bool:
        """Wait until ``count`` tasks are done (or nothing more can happen)."""
        return self.wait_until(lambda: len(self._done) >= count, timeout, settle)

    def wait_until(self, condition: Callable[[], bool], timeout: float, settle: float) -> bool:
        """Wait for ``condition``, giving up early when the workers have gone
        idle with nothing ready in the queue; return whether it came true."""
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                if self._wait_for(condition, min(settle, deadline - time.monotonic())):
                    return True
                if self._idle() and self._ready_messages() == 0:
                    time.sleep(settle)
                    if self._idle() and self._ready_messages() == 0:
                        return self._wait_for(condition, 0)
            return self._wait_for(condition, 0)
        except KeyboardInterrupt:
            self.stop()
            raise

    @property
    def done_count(self) -> int:
        """How many different tasks are done."""
        with self._changed:
            return len(self._done)

    @property
    def published_count(self) -> int:
        with self._changed:
            return len(self._published)

    def live_workers(self) -> List[str]:
        """Names of the workers still running, in start order."""
        return [name for name, worker in self.workers.items() if worker.alive]

    def _all_done(self) -> bool:
        # Counting first keeps this cheap: it runs after every event.
        return len(self._done) >= len(self._published) and \
            all(task in self._done for task in self._published)

    def _idle(self) -> bool:
        with self._changed:
            return all(w.current_task is None for w in self.workers.values() if w.alive)

    def _ready_messages(self) -> int:
        """Messages ready in the queue (-1 while the broker or the queue does not answer)."""
        try:
            counts = queue_counts(self.url, self.queue)
        except (WorkQueueError, pika.exceptions.AMQPError):
            return -1
        return -1 if counts is None else counts[0]

    # --- killing, restarting and stopping ----------------------------------------

    def restart_broker(self, broker, *, crash: bool = False, after_done: int = 0,
                       timeout: float = 60.0) -> float:
        """Restart ``broker`` (a clean stop, or SIGKILL if ``crash``) once
        ``after_done`` tasks are done; record the downtime; return its seconds."""
        self._wait_for(lambda: len(self._done) >= after_done, timeout)
        if crash and self._first_declared is not None:
            # Measured on RabbitMQ 3.10 and 4.3: a quorum queue declared less than
            # about a second before its node is killed may come back empty, or
            # not at all ("noproc"), confirmed messages and all. Let it settle.
            time.sleep(max(0.0, self._first_declared + QUEUE_SETTLE_SECONDS - time.time()))
        self.timeline.record(Event(time.time(), BROKER_DOWN, detail="crash" if crash else "stop"))
        seconds = broker.restart(crash=crash)
        self.timeline.record(Event(time.time(), BROKER_UP))
        # The node answers before all its queues do (a quorum queue takes a moment).
        deadline = time.monotonic() + timeout
        while self._ready_messages() < 0 and time.monotonic() < deadline:
            time.sleep(0.2)
        return seconds

    def kill(self, name: str, *, while_working_on: Optional[str] = None, after: float = 0.0,
             timeout: float = 60.0) -> None:
        """SIGKILL worker ``name``: now, or ``after`` seconds into a given task."""
        worker = self.workers[name]
        if while_working_on is not None:
            started = self._wait_for(
                lambda: worker.current_task == while_working_on or not worker.alive, timeout)
            if not started or not worker.alive:
                raise WorkQueueError(f"{name} never started {while_working_on!r}")
            time.sleep(after)
        if worker.alive:
            self.timeline.record(Event(time.time(), KILLED, name))
            processes.kill(worker.process, signal.SIGKILL)

    def replace(self, name: str) -> str:
        """Start a new worker with the same options as worker ``name``; return its name."""
        return self.start(1, **self._settings[name])[0]

    def stop(self, grace: float = 2.0) -> None:
        """Stop every worker as CTRL+C would; SIGKILL any still running after ``grace``."""
        running = [w for w in self.workers.values() if w.alive]
        for worker in running:
            try:
                worker.process.send_signal(signal.SIGINT)
            except ProcessLookupError:
                pass
        for worker in running:
            if _still_running(worker, grace):
                processes.kill(worker.process, signal.SIGKILL)
        for worker in self.workers.values():
            if worker.reader is not None:
                worker.reader.join(2.0)

    def intrinsic_makespan(self) -> float:
        """The makespan the sleeps alone would take: for each worker, the work
        its tasks asked for (dots x seconds per dot; for a task cut short, the
        part it did), and the most any worker had. For the benchmark."""
        work: Dict[str, float] = {}
        for attempt in self.timeline.attempts():
            asked = attempt.task.count(".") * self._settings[attempt.worker]["seconds_per_dot"]
            done = asked if attempt.outcome == "done" or attempt.end is None \
                else min(asked, attempt.end - attempt.start)
            work[attempt.worker] = work.get(attempt.worker, 0.0) + done
        return max(work.values(), default=0.0)

    # --- what the notebook shows ----------------------------------------------

    def screens(self) -> Dict[str, str]:
        """Each worker's terminal text, by name."""
        with self._changed:
            return {name: "\n".join(w.screen) for name, w in self.workers.items()}

    def show_terminals(self, width: int = 48, last: Optional[int] = None) -> None:
        """Print every worker's terminal side by side (only the ``last`` lines, if given)."""
        screens = self.screens()
        if last is not None:
            screens = {name: "\n".join(text.splitlines()[-last:]) for name, text in screens.items()}
        print(side_by_side(screens, width=width))

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


def _still_running(worker: WorkerProcess, grace: float) -> bool:
    try:
        worker.process.wait(grace)
        return False
    except subprocess.TimeoutExpired:
        return True


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
