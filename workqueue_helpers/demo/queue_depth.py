"""Sample one queue's message counts over time, on a background thread.

    depth = QueueDepth(broker, "lesson02.tasks").start()
    ...                                   # the workers do (or forget) their work
    depth.wait_for(ready=0, unacked=6)    # read until the counts are these
    depth.wait_until_current(run)         # or: until they agree with what run's workers did
    depth.stop()
    depth.samples                         # [Sample(t, QueueCounts(ready, unacked, consumers)), ...]

``source="rabbitmqctl"`` (the default) reads what ``rabbitmqctl list_queues``
shows (see ``Broker.queue_counts``); on RabbitMQ 3.x and 4.x a quorum queue's
counts reach it a few seconds late. ``source="amqp"`` reads ready and
consumer counts from a passive queue.declare: current, fast, but without
unacked counts.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Callable, List, Optional

import pika.exceptions

from workqueue_helpers.broker.base import Broker
from workqueue_helpers.broker.counts import QueueCounts, passive_counts
from workqueue_helpers.connection import WorkQueueError
from workqueue_helpers.record.timeline import OUTCOME_UNACKED, OUTCOME_UNFINISHED
from workqueue_helpers.show import live

NO_QUEUE = QueueCounts(ready=0, unacked=0, consumers=0)  # what a missing queue counts as


@dataclass(frozen=True)
class Sample:
    """The counts at time ``t`` (``time.time()``)."""

    t: float
    counts: QueueCounts


class QueueDepth:
    """Samples one queue's counts on a background thread until stopped."""

    def __init__(self, broker: Broker, queue: str, interval: float = 0.2,
                 source: str = "rabbitmqctl") -> None:
        if source not in ("rabbitmqctl", "amqp"):
            raise ValueError(f"source must be 'rabbitmqctl' or 'amqp', not {source!r}")
        self.broker = broker
        self.queue = queue
        self.interval = interval
        self.source = source
        self.samples: List[Sample] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: Optional[threading.Thread] = None

    def latest(self) -> Optional[QueueCounts]:
        """The counts last read, if any."""
        with self._lock:
            return self.samples[-1].counts if self.samples else None

    def start(self) -> "QueueDepth":
        live.watch_counts(self)
        self._thread = threading.Thread(target=self._run, name="queue-depth", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop sampling, then take one last sample: the counts as they are now."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
        self._sample()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def wait_for(self, *, ready: Optional[int] = None, unacked: Optional[int] = None,
                 timeout: float = 20.0) -> QueueCounts:
        """Read the counts until they are ``ready`` and ``unacked`` (where given),
        keeping every reading as a sample; return the last counts read."""
        return self._read_until(lambda counts: (ready is None or counts.ready == ready)
                                and (unacked is None or counts.unacked == unacked), timeout)

    def wait_until_current(self, run, timeout: float = 20.0) -> QueueCounts:
        """Read the counts until they agree with what ``run``'s workers did (``rabbitmqctl``
        learns a quorum queue's counts seconds late), keeping every reading as a sample;
        return the last counts read. They agree when every published task not yet
        acknowledged is counted: while workers run, at least the tasks they hold are
        unacknowledged; once none runs, all are ready."""
        return self._read_until(lambda counts: _agrees(counts, run), timeout)

    def _read_until(self, wanted: Callable[[QueueCounts], bool], timeout: float) -> QueueCounts:
        """Sample until a reading is ``wanted`` or ``timeout`` passes; the last counts read."""
        deadline = time.monotonic() + timeout
        while True:
            counts = self._sample()
            if counts is not None and wanted(counts):
                return counts
            if time.monotonic() > deadline:
                return counts or NO_QUEUE
            time.sleep(0.1)

    def _sample(self) -> Optional[QueueCounts]:
        # rabbitmqctl takes most of a second to answer: that sets the sampling rate.
        try:
            counts = self.broker.queue_counts(self.queue) if self.source == "rabbitmqctl" \
                else passive_counts(self.broker.url, self.queue)
        except (WorkQueueError, pika.exceptions.AMQPError):
            return None  # the broker is down (restarting): no sample
        counts = counts or NO_QUEUE
        with self._lock:
            self.samples.append(Sample(time.time(), counts))
            self.samples.sort(key=lambda sample: sample.t)
        return counts


def _agrees(counts: QueueCounts, run) -> bool:
    """Whether ``counts`` count every task of ``run`` not yet acknowledged (see wait_until_current)."""
    timeline = run.timeline
    open_tasks = run.published_count - len(timeline.completed())
    unacked = counts.unacked or 0
    if not run.live_workers():
        return counts.ready == open_tasks and unacked == 0
    live = set(run.live_workers())
    held = {a.number for a in timeline.attempts()
            if a.worker in live and a.outcome in (OUTCOME_UNACKED, OUTCOME_UNFINISHED)}
    return counts.ready + unacked == open_tasks and unacked >= len(held)
