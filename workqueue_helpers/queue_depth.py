"""A queue's message counts over time, as ``rabbitmqctl list_queues`` shows them.

    depth = QueueDepth(broker, "lesson02.tasks").start()
    ...                                   # the workers do (or forget) their work
    depth.wait_for(ready=0, unacked=6)    # read until the counts are these
    depth.stop()
    depth.samples                         # [(t, ready, unacked, consumers), ...]

Note: on RabbitMQ 3.x the counts of a quorum queue reach rabbitmqctl a few
seconds late (they are published periodically); a classic queue's are current.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import List, Optional

import pika.exceptions

from workqueue_helpers.broker import Broker, BrokerError, QueueStats
from workqueue_helpers.connection import WorkQueueError, queue_counts


@dataclass(frozen=True)
class Sample:
    """The counts at time ``t`` (``time.time()``)."""

    t: float
    ready: int
    unacked: int
    consumers: int


class QueueDepth:
    """Samples one queue's counts on a background thread until stopped."""

    def __init__(self, broker: Broker, queue: str, interval: float = 0.2,
                 source: str = "rabbitmqctl") -> None:
        """``source="amqp"`` reads only messages_ready and consumers, from a
        passive queue.declare: current even for a quorum queue, and fast, but
        without unacked counts (reported as -1)."""
        self.broker = broker
        self.queue = queue
        self.interval = interval
        self.source = source
        self.samples: List[Sample] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: Optional[threading.Thread] = None

    def start(self) -> "QueueDepth":
        self._thread = threading.Thread(target=self._run, daemon=True)
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
                 timeout: float = 20.0) -> QueueStats:
        """Read the counts until they are ``ready`` and ``unacked`` (where given),
        keeping every reading as a sample; return the last counts read."""
        deadline = time.monotonic() + timeout
        while True:
            stats = self._sample()
            if stats is not None and (ready is None or stats.ready == ready) and \
                    (unacked is None or stats.unacked == unacked):
                return stats
            if time.monotonic() > deadline:
                return stats or QueueStats(0, 0, 0)
            time.sleep(0.1)

    def _sample(self) -> Optional[QueueStats]:
        # rabbitmqctl takes most of a second to answer: that sets the sampling rate.
        try:
            stats = self.broker.queue_stats(self.queue) if self.source == "rabbitmqctl" \
                else _passive_counts(self.broker, self.queue)
        except (BrokerError, WorkQueueError, pika.exceptions.AMQPError):
            return None  # the broker is down (restarting): no sample
        stats = stats or QueueStats(0, 0, 0)
        with self._lock:
            self.samples.append(Sample(time.time(), stats.ready, stats.unacked, stats.consumers))
            self.samples.sort(key=lambda sample: sample.t)
        return stats


def _passive_counts(broker: Broker, queue: str) -> Optional[QueueStats]:
    counts = queue_counts(broker.url, queue)
    return None if counts is None else QueueStats(counts[0], -1, counts[1])


def format_counts(queue: str, stats: QueueStats) -> str:
    """The counts as ``rabbitmqctl list_queues name messages_ready
    messages_unacknowledged consumers`` prints them."""
    return (f"name\tmessages_ready\tmessages_unacknowledged\tconsumers\n"
            f"{queue}\t{stats.ready}\t{stats.unacked}\t{stats.consumers}")
