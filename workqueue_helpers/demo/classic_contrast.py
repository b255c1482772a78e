"""Lesson 6's contrast: a classic queue lives on one node. While that node is
down, what do the tutorial's producer and worker see, connected to another node?"""

from __future__ import annotations

import signal
import time
from dataclasses import dataclass
from typing import Optional, Sequence

from workqueue_helpers.broker.cluster import Cluster
from workqueue_helpers.broker.counts import passive_counts
from workqueue_helpers.connection import WorkQueueError
from workqueue_helpers.demo.publisher import publish_tasks
from workqueue_helpers.demo.run import Run
from workqueue_helpers.record.events import PRODUCER
from workqueue_helpers import status


@dataclass(frozen=True)
class ProgramResult:
    """What one of the tutorial's programs printed, and how it ended."""

    exit_code: Optional[int]  # None: still running when its time was up (then stopped)
    output: str               # stdout and stderr, node names shortened, no password

    @property
    def last_line(self) -> str:
        lines = [line.strip() for line in self.output.splitlines() if line.strip()]
        return lines[-1] if lines else ""


@dataclass(frozen=True)
class ClassicOutage:
    """A classic queue, its node killed and started again."""

    home: str                  # the node the queue lives on
    via: str                   # the node the programs connected to
    published: int             # tasks in the queue before the kill
    limit: float               # seconds the programs were given
    producer: ProgramResult    # new_task.py, while the home node was down
    worker: ProgramResult      # worker.py, while the home node was down
    back: int                  # tasks in the queue once the home node ran again

    @property
    def producer_sent(self) -> bool:
        """Did new_task.py's task reach the queue (confirmed, exit code 0)?"""
        return self.producer.exit_code == 0

    @property
    def worker_received(self) -> bool:
        return " [x] Received" in self.worker.output


def classic_queue_while_its_node_is_down(cluster: Cluster, queue: str, tasks: Sequence[str], *,
                                         home: str = "rabbit2", via: str = "rabbit1",
                                         limit: float = 10.0) -> ClassicOutage:
    """Declare a durable classic queue on node ``home`` and put ``tasks`` in it
    (persistent, confirmed); kill ``home``; run the tutorial's final new_task.py and
    worker.py (step4, the queue declared classic) against node ``via``, both at once,
    for at most ``limit`` seconds; start ``home`` again and count the tasks."""
    home_url, via_url = cluster.node(home).url, cluster.node(via).url
    publish_tasks(home_url, queue, tasks, first_number=1, on_published=lambda *_: None,
                  queue_type="classic")
    cluster.kill(home)
    status.say(f"{home} killed: trying the classic queue through {via}")
    run = Run(via_url, queue, queue_type="classic")
    deadline = time.monotonic() + limit
    run.start("step4/new_task.py", args=["Task while down."])
    worker_timed_out = False
    try:
        run.start("step4/worker.py", options=["--reconnect-seconds", "0"], timeout=limit)
    except WorkQueueError:
        # It could not consume: it ended (what it printed says why), or it was still
        # waiting for an answer when its time was up, and Run.start killed it.
        worker_timed_out = run.children["worker1"].process.returncode == -signal.SIGKILL
    run.wait_for_producer(max(0.0, deadline - time.monotonic()))
    producer = _result(run, PRODUCER, cluster)
    worker = _result(run, "worker1", cluster)
    if worker_timed_out:
        worker = ProgramResult(None, worker.output)
    run.stop(grace=0.5)
    cluster.start_again(home)
    counts = passive_counts(via_url, queue)
    return ClassicOutage(home, via, len(tasks), limit, producer, worker,
                         counts.ready if counts else 0)


def _result(run: Run, name: str, cluster: Cluster) -> ProgramResult:
    """What program ``name`` printed (each node's full name, which holds the kernel's pid,
    as its short name), and its exit code (None: still running)."""
    process = run.children[name]
    output = "\n".join(process.screen)
    for node in cluster.nodes:
        output = output.replace(node.node, cluster.short_name(node))
    return ProgramResult(process.process.poll(), output)
