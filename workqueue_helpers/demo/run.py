"""A run: the worker processes on one queue, as the notebook commands them.

    run = lesson.new_run()          # a fresh queue (see lesson.py)
    run.start(2)                    # two workers, each consuming before the next starts
    run.publish(["First message.", "Second message.."])
    run.wait_until_done()
    run.kill("worker1")             # SIGKILL, as a crash would
    run.stop()                      # CTRL+C for every worker

Where things happen: a worker process starts in ``worker_process.py``; its
events reach ``Run._on_event`` and ``Timeline.record``; tasks are sent by
``publisher.py``; the broker is restarted under a run by ``chaos.py``.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Union

import pika.exceptions

from workqueue_helpers import processes, programs
from workqueue_helpers.broker.counts import passive_counts
from workqueue_helpers.connection import (DEFAULT_QUEUE, WorkQueueError, close_quietly, connect,
                                          declare_task_queue)
from workqueue_helpers.demo.publisher import publish_tasks
from workqueue_helpers.demo.worker_process import WorkerProcess, start_worker_process
from workqueue_helpers.record.events import (ACKED, CONSUMING, DISCONNECTED, DONE,
                                             EXITED, KILLED, PRODUCER, PUBLISHED, RECEIVED,
                                             REJECTED, STANDBY, STOPPED, Event, task_label)
from workqueue_helpers.record.timeline import Timeline
from workqueue_helpers.show.terminals import side_by_side
from workqueue_helpers.show import live


class Run:
    """Worker processes on one queue, with one timeline of what they did."""

    def __init__(self, url: str, queue: str = DEFAULT_QUEUE, *, queue_type: str = "quorum",
                 dead_letter_queue: Optional[str] = None,
                 urls: Sequence[str] = ()) -> None:
        self.url = url
        self.urls = list(urls) or [url]  # every node of a cluster (lesson 6), else the one broker
        self.queue = queue
        self.queue_type = queue_type
        self.dead_letter_queue = dead_letter_queue
        self.timeline = Timeline()
        self.children: Dict[str, WorkerProcess] = {}  # every process started: workers, and the producer
        self.first_declared: Optional[float] = None  # when the queue was first declared (time.time())
        self._changed = threading.Condition()  # notified after every event
        self._settings: Dict[str, dict] = {}  # each worker's start() options

    # --- starting -----------------------------------------------------------

    def declare(self) -> None:
        """Declare the run's queue now, through ``url`` (on a cluster, the first node,
        where a new quorum queue's first leader is placed)."""
        connection = connect(self.url)
        try:
            declare_task_queue(connection.channel(), self.queue, True, self.queue_type,
                               self.dead_letter_queue)
        finally:
            close_quietly(connection)
        self.first_declared = self.first_declared or time.time()

    def start(self, program: str, count: int = 1, *, args: Sequence[str] = (),
              seconds_per_dot: float = 1.0, prefetch: Optional[int] = None,
              options: Sequence[str] = (), timeout: float = 20.0,
              standby: bool = False) -> List[str]:
        """Start ``count`` copies of ``program``; return their names. The one way a child starts.

        ``program`` is a step's file (``"step2/worker.py"``, see ``programs.py``) or
        the path of a learner's. It runs under the harness, with ``args`` as its
        command line, and reads from its environment this run's broker, queue and
        ``seconds_per_dot``; on a cluster, every node, the list starting one node
        further on for each worker, so that the workers spread over the nodes.
        ``prefetch`` sets the consumer's prefetch_count whatever the program says;
        ``options`` are more of the harness's (lesson 2's ``--forget-ack``...).

        A worker is started only once the one before it is consuming, so the broker
        registers them in order: that is what makes round-robin repeatable. A
        producer (``new_task.py``) is named ``producer`` and runs beside the workers.

        ``standby=True``: each worker's process starts, loads Python and pika, and
        waits; its program runs, and it registers, at ``release(name)``. It then joins
        in a moment, not in the second or more a busy machine takes to start Python
        (lesson 4a's workers joining a backlog).
        """
        path = programs.resolve(program)
        names = []
        for _ in range(count):
            producer = programs.is_producer(path)
            name = PRODUCER if producer else self._next_worker_name()
            self._settings[name] = dict(program=program, args=tuple(args),
                                        seconds_per_dot=seconds_per_dot, prefetch=prefetch,
                                        options=tuple(options), timeout=timeout)
            first = 0 if producer else (int(name[len("worker"):]) - 1) % len(self.urls)
            nodes = self.urls[first:] + self.urls[:first] if len(self.urls) > 1 else ()
            env = programs.environment(nodes[0] if nodes else self.url, self.queue,
                                       seconds_per_dot, nodes)
            argv = [sys.executable, "-u", "-m", "workqueue_helpers.harness", "--name", name,
                    *(["--once"] if nodes else []),  # a cluster's programs reconnect by themselves
                    *(["--prefetch", str(prefetch)] if prefetch is not None else []),
                    *(["--queue-type", "classic"] if self.queue_type == "classic" else []),
                    *(["--dead-letter-queue", self.dead_letter_queue]
                      if self.dead_letter_queue else []),
                    *(["--standby"] if standby else []), *options, path, *args]
            self.first_declared = self.first_declared or time.time()
            before = self.children.get(name)
            worker = start_worker_process(name, argv, self._on_screen_lines, self._on_event, env,
                                          standby=standby)
            if before is not None and not before.alive:  # a producer run again: one terminal
                if before.reader is not None:
                    before.reader.join(2.0)
                with self._changed:
                    worker.screen[0:0] = before.screen
            self.children[name] = worker
            if not producer and not standby:
                self._wait_until_consuming(worker, timeout)
            names.append(name)
        for name in names if standby else ():  # they load side by side
            self._wait_until_standing_by(self.children[name], timeout)
        return names

    def release(self, name: str) -> None:
        """Let a worker started on standby run its program; return once it consumes."""
        worker = self.children[name]
        if not worker.standby or worker.process.stdin is None:
            raise WorkQueueError(f"{name} is not on standby")
        worker.standby = False
        try:
            worker.process.stdin.write(b"\n")
            worker.process.stdin.close()
        except BrokenPipeError:  # it has ended: _wait_until_consuming says how
            pass
        self._wait_until_consuming(worker, self._settings[name]["timeout"])

    def _next_worker_name(self) -> str:
        return f"worker{len([name for name in self.children if name != PRODUCER]) + 1}"

    def wait_for_producer(self, timeout: float = 60.0) -> bool:
        """Wait until the producer has sent every task and exited; return whether it exited 0."""
        producer = self.children[PRODUCER]
        live.watch(self)
        if not self._wait_for(lambda: not producer.alive, timeout):
            return False
        return producer.process.wait() == 0

    def _wait_until_consuming(self, worker: WorkerProcess, timeout: float) -> None:
        self._wait_until_started(worker, lambda: worker.consuming, "start consuming", timeout)

    def _wait_until_standing_by(self, worker: WorkerProcess, timeout: float) -> None:
        self._wait_until_started(worker, lambda: worker.standby, "start", timeout)

    def _wait_until_started(self, worker: WorkerProcess, started: Callable[[], bool],
                            what: str, timeout: float) -> None:
        """Wait until ``started()``; WorkQueueError if the worker ends first (with its last
        line) or takes longer than ``timeout`` (then it is killed)."""
        if not self._wait_for(lambda: started() or not worker.alive, timeout):
            self.kill(worker.name)
            raise WorkQueueError(f"{worker.name} did not {what} within {timeout:g} s")
        if not started() and worker.reader is not None:
            # It ended: read the rest of what it wrote, which may say it did start
            # (a worker with no start_consuming registers its consumer, then ends).
            worker.reader.join(2.0)
        if not started():
            last = worker.screen[-1] if worker.screen else f"exit code {worker.process.poll()}"
            raise WorkQueueError(f"{worker.name} could not start: {last}")

    # --- what the workers report (on their reader threads) ----------------------

    def _on_screen_lines(self, worker: WorkerProcess, lines: List[str]) -> None:
        with self._changed:
            worker.screen.extend(lines)
            self._changed.notify_all()

    def _on_event(self, worker: WorkerProcess, event: Event) -> None:
        """Record ``event`` (the timeline counts tasks published and done) and
        follow the worker's state."""
        if event.kind != STANDBY:  # the harness's, not the program's: no part of the lesson
            self.timeline.record(event)
        with self._changed:
            if event.kind == STANDBY:
                worker.standby = True
            elif event.kind == CONSUMING:
                worker.consuming = True
            elif event.kind == RECEIVED:
                worker.current_task, worker.acknowledged = event.task, False
            elif event.kind == ACKED and event.task is not None and event.task == worker.current_task:
                worker.acknowledged = True
            elif event.kind in (DONE, REJECTED, EXITED, DISCONNECTED):
                worker.current_task, worker.acknowledged = None, False
                worker.standby = worker.standby and event.kind != EXITED
            self._changed.notify_all()

    def _wait_for(self, condition: Callable[[], bool], timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(condition, timeout)

    # --- tasks ----------------------------------------------------------------

    def publish(self, messages: Iterable[Union[str, bytes]], *, program: Optional[str] = None,
                persistent: bool = True, confirm: bool = True, interval: float = 0.0) -> int:
        """Send each message as a task, in order; return how many.

        With ``program`` (a producer, such as ``"step1/new_task.py"``), run it once
        per message, its words as its command line, one run after another, as you
        would in a terminal; its terminal is ``screens()["producer"]``.
        Without, send them from the notebook as the final new_task.py does
        (``persistent``), faster, for runs of hundreds of tasks. Each task is
        recorded as published once the broker has it: with ``confirm`` (the
        default), when the broker confirmed it; without, when ``basic_publish``
        returned. ``interval`` waits that many seconds between two messages.
        """
        if program is not None:
            return self._run_producer(program, messages)
        self.first_declared = self.first_declared or time.time()

        def published(task: str, body: bytes) -> None:
            self.timeline.record(Event(time.time(), PUBLISHED, task=task, label=task_label(body)))
            with self._changed:
                self._changed.notify_all()

        ids = publish_tasks(self.url, self.queue, messages,
                            first_number=self.timeline.published_count() + 1,
                            on_published=published,
                            queue_type=self.queue_type, dead_letter_queue=self.dead_letter_queue,
                            persistent=persistent, confirm=confirm, interval=interval)
        return len(ids)

    def _run_producer(self, program: str, messages: Iterable[Union[str, bytes]],
                      timeout: float = 30.0) -> int:
        count = 0
        for message in messages:
            text = message.decode("utf-8", "surrogateescape") if isinstance(message, bytes) else message
            self.start(program, args=text.split())
            if not self.wait_for_producer(timeout):
                producer = self.children[PRODUCER]
                last = producer.screen[-1] if producer.screen else f"exit code {producer.process.poll()}"
                raise WorkQueueError(f"{program} failed on {text!r}: {last}")
            count += 1
        return count

    def wait_until_done(self, count: Optional[int] = None, *, timeout: float = 60.0,
                        give_up_when_idle: bool = True) -> bool:
        """Wait until ``count`` tasks are done (by default, every published task);
        return whether they are.

        Done means acknowledged (or, with auto-ack, the work finished). With
        ``give_up_when_idle``, stop early when nothing more can happen (see
        ``wait_until``): tasks lost with auto-ack never come back.
        """
        if count is None:
            return self.wait_until(self.timeline.all_done, timeout=timeout,
                                   give_up_when_idle=give_up_when_idle)
        return self.wait_until(lambda: self.timeline.done_count() >= count, timeout=timeout,
                               give_up_when_idle=give_up_when_idle)

    def wait_until(self, condition: Callable[[], bool], *, timeout: float = 60.0,
                   settle: float = 0.5, give_up_when_idle: bool = True) -> bool:
        """Wait for ``condition``; return whether it came true. The one wait for tasks.

        With ``give_up_when_idle``, give up early once no live worker is busy,
        the queue has no ready message and nothing has happened for ``settle``
        seconds. Without, wait for ``timeout`` (say, for a count of published
        tasks: ``run.wait_until(lambda: run.published_count >= 40, give_up_when_idle=False)``).
        """
        live.watch(self)
        deadline = time.monotonic() + timeout
        try:
            if not give_up_when_idle:
                return self._wait_for(condition, timeout)
            while time.monotonic() < deadline:
                if self._wait_for(condition, min(settle, deadline - time.monotonic())):
                    return True
                if self._idle() and self.ready_messages() == 0:
                    # A delivery whose RECEIVED line is still in the pipe looks idle too:
                    # nothing may have happened at all during the settle.
                    seen = len(self.timeline.events)
                    time.sleep(settle)
                    if (self._idle() and self.ready_messages() == 0
                            and len(self.timeline.events) == seen):
                        return self._wait_for(condition, 0)
            return self._wait_for(condition, 0)
        except KeyboardInterrupt:
            self.stop()
            raise

    @property
    def done_count(self) -> int:
        """How many different tasks are done (see ``Timeline.done_count``)."""
        return self.timeline.done_count()

    @property
    def published_count(self) -> int:
        """How many different tasks were published."""
        return self.timeline.published_count()

    def live_workers(self) -> List[str]:
        """Names of the workers still running, in start order (not the producer)."""
        return [name for name, worker in self.children.items() if worker.alive and name != PRODUCER]

    def worker_names(self) -> List[str]:
        """Names of every worker started, in start order (not the producer)."""
        return [name for name in self.children if name != PRODUCER]

    def busy(self) -> bool:
        """Is any live worker in the middle of a task?"""
        return not self._idle()

    def wait_while_on(self, name: str, task: Optional[str], timeout: float) -> bool:
        """Wait until worker ``name`` is no longer on ``task`` (or has ended);
        return whether it moved on."""
        worker = self.children[name]
        return self._wait_for(lambda: not worker.alive or worker.current_task != task, timeout)

    def wait_until_busy(self, name: str, timeout: float) -> bool:
        """Wait until worker ``name`` is in the middle of a task; return whether it is."""
        worker = self.children[name]
        return self._wait_for(lambda: worker.alive and worker.current_task is not None, timeout)

    def progress(self) -> str:
        """One line on where the run stands: tasks done, tasks ready, each worker's task."""
        with self._changed:
            workers = ", ".join(f"{name} {_state(w)}{'' if w.alive else ' (ended)'}"
                                for name, w in self.children.items() if name != PRODUCER)
        done, published = self.timeline.done_count(), self.timeline.published_count()
        return (f"{done} of {published} tasks done, {self.ready_messages()} ready in the queue; "
                f"workers: {workers or 'none'}")

    def _idle(self) -> bool:
        with self._changed:
            return all(w.current_task is None for w in self.children.values() if w.alive)

    def ready_messages(self) -> Optional[int]:
        """Messages ready in the queue (asked of the first node that answers);
        None while no broker or the queue does not answer.

        A quorum queue whose leader does not answer in time (its node just killed, an
        election under way, a busy machine) says 0 ready and 0 consumers (RabbitMQ 3.x
        and 4.x, rabbit_quorum_queue:stat): while one of our workers has a consumer
        registered, that is no answer either."""
        for url in self.urls:
            try:
                counts = passive_counts(url, self.queue)
            except (WorkQueueError, pika.exceptions.AMQPError):
                continue
            if counts is None:
                return None
            if (self.queue_type == "quorum" and counts.ready == counts.consumers == 0
                    and self._registered_consumers()):
                return None
            return counts.ready
        return None

    def _registered_consumers(self) -> List[str]:
        """The live workers whose consumer is registered: consuming, not disconnected since."""
        last: Dict[str, str] = {}
        for event in self.timeline.events:
            if event.kind in (CONSUMING, DISCONNECTED) and event.worker is not None:
                last[event.worker] = event.kind
        return [name for name in self.live_workers() if last.get(name) == CONSUMING]

    # --- killing, replacing and stopping ---------------------------------------

    def kill(self, name: str, *, while_working_on: Optional[str] = None, after: float = 0.0,
             timeout: float = 60.0) -> None:
        """SIGKILL worker ``name``, as a crash would: now, or ``after`` seconds into the task
        whose message is ``while_working_on``. (Held still a moment first: see ``_kill``.)"""
        worker = self.children[name]
        if while_working_on is not None:
            live.watch(self)
            started = self._wait_for(
                lambda: self._label_of(worker.current_task) == while_working_on or not worker.alive,
                timeout)
            if not started or not worker.alive:
                raise WorkQueueError(f"{name} never started {while_working_on!r}")
            # ``after`` counts from when the worker received the task (its event's time),
            # not from when its line reached the notebook, which a loaded machine delays.
            received = max((e.t for e in self.timeline.events if e.kind == RECEIVED
                            and e.worker == name and e.task == worker.current_task), default=time.time())
            time.sleep(max(0.0, received + after - time.time()))
        self._kill(worker)

    def kill_unless_acknowledged(self, name: str, task: Optional[str] = None) -> bool:
        """SIGKILL worker ``name`` unless it has acknowledged the task it is on, or (given
        ``task``) is no longer on ``task``; return whether it was killed.

        For a kill that must cut a task short: one that came between a worker's ack and
        the end of its callback would leave a task done and acknowledged that the timeline
        cannot count as done."""
        return self._kill(self.children[name], spare_if_acknowledged=True, task=task)

    def _kill(self, worker: WorkerProcess, *, spare_if_acknowledged: bool = False,
              task: Optional[str] = None) -> bool:
        """SIGKILL ``worker`` while it is held still, once every event it wrote is recorded:
        KILLED then comes after all it did. (Left running while the notebook recorded
        KILLED, it could finish a task in that moment and seem killed in the middle.)
        With ``spare_if_acknowledged``, only if it is held, on ``task`` (if given) and has
        not acknowledged it. Return whether it was killed."""
        with worker.paused() as held:
            if spare_if_acknowledged:
                with self._changed:
                    on_it = task is None or worker.current_task == task
                    if not (held and on_it and not worker.acknowledged):
                        return False
            if not worker.alive:
                return False
            self.timeline.record(Event(time.time(), KILLED, worker.name))
            processes.kill(worker.process, signal.SIGKILL)
            return True

    def _label_of(self, task: Optional[str]) -> Optional[str]:
        return None if task is None else self.timeline.labels().get(task)

    def replace(self, name: str) -> str:
        """Start a new worker as worker ``name`` was started; return its name."""
        settings = dict(self._settings[name])
        return self.start(settings.pop("program"), 1, **settings)[0]

    def stop(self, grace: float = 2.0) -> None:
        """Stop every worker as CTRL+C would; SIGKILL any still running after ``grace``."""
        running = [w for w in self.children.values() if w.alive]
        for worker in running:
            self.timeline.record(Event(time.time(), STOPPED, worker.name))
            try:
                worker.process.send_signal(signal.SIGINT)
            except ProcessLookupError:
                pass
        for worker in running:
            if _still_running(worker, grace):
                processes.kill(worker.process, signal.SIGKILL)
        for worker in self.children.values():
            if worker.reader is not None:
                worker.reader.join(2.0)
            if worker.process.stdin is not None:  # a worker's on standby (see start)
                worker.process.stdin.close()

    def prefetch_counts(self) -> Dict[str, int]:
        """Each worker's prefetch_count as its last basic_qos set it (0: no limit), by name."""
        return self.timeline.prefetch_counts()

    def seconds_per_dot(self) -> Dict[str, float]:
        """Each worker's ``seconds_per_dot``, by name."""
        return {name: settings["seconds_per_dot"] for name, settings in self._settings.items()
                if name != PRODUCER}

    # --- what the notebook shows ----------------------------------------------

    def screens(self) -> Dict[str, str]:
        """Each worker's terminal text, by name."""
        with self._changed:
            return {name: "\n".join(w.screen) for name, w in self.children.items()}

    def show_terminals(self, *names: str, width: int = 48, last: Optional[int] = None,
                       around: Optional[str] = None) -> None:
        """Print the terminals of ``names`` (default: every worker and the producer) side by
        side; only their ``last`` lines, if given; or, with ``around="[!]"``, the line
        before the first line holding it and the three after (the last four lines where
        none does)."""
        screens = self.screens()
        if names:
            screens = {name: screens[name] for name in names}
        if last is not None:
            screens = {name: "\n".join(text.splitlines()[-last:]) for name, text in screens.items()}
        if around is not None:
            screens = {name: "\n".join(_lines_around(text.splitlines(), around))
                       for name, text in screens.items()}
        print(side_by_side(screens, width=width))

    def __enter__(self) -> "Run":
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


def _still_running(worker: WorkerProcess, grace: float) -> bool:
    try:
        worker.process.wait(grace)
        return False
    except subprocess.TimeoutExpired:
        return True


def _lines_around(lines: List[str], marker: str) -> List[str]:
    """The line before the first of ``lines`` that holds ``marker``, it, and three after."""
    found = next((i for i, line in enumerate(lines) if marker in line), None)
    if found is None:
        return lines[-4:]
    return lines[max(found - 1, 0):found + 4]


def _state(worker: WorkerProcess) -> str:
    """What a worker is doing, for ``Run.progress``."""
    if worker.current_task:
        return f"on {worker.current_task}"
    return "on standby" if worker.standby else "idle"
