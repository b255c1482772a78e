"""Lesson 6's contrast: a classic queue lives on one node. While that node is
down, what do the tutorial's producer and worker see, connected to another node?"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from typing import List, Optional, Sequence

from workqueue_helpers import processes
from workqueue_helpers.broker.counts import passive_counts
from workqueue_helpers.broker.cluster import Cluster
from workqueue_helpers.demo.publisher import publish_tasks
from workqueue_helpers.show import live


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
    producer: ProgramResult    # new_task.py --confirm, while the home node was down
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
    (persistent, confirmed); kill ``home``; run the package's new_task.py and
    worker.py against node ``via``, both at once, for at most ``limit`` seconds;
    start ``home`` again and count the tasks."""
    home_url, via_url = cluster.node(home).url, cluster.node(via).url
    publish_tasks(home_url, queue, tasks, first_number=1, on_published=lambda *_: None,
                  queue_type="classic")
    cluster.kill(home)
    live.say(f"{home} killed: trying the classic queue through {via}")
    common = ["--url", via_url, "--queue", queue, "--queue-type", "classic"]
    producer, worker = _run_both(
        [[sys.executable, "-u", "-m", "workqueue_helpers.new_task", "Task while down.", "--confirm", *common],
         [sys.executable, "-u", "-m", "workqueue_helpers.worker", "--name", "worker", "--reconnect-seconds",
          "0", *common]], limit)
    cluster.start_again(home)
    counts = passive_counts(via_url, queue)
    return ClassicOutage(home, via, len(tasks), limit, _short_names(producer, cluster),
                         _short_names(worker, cluster), counts.ready if counts else 0)


def _run_both(commands: List[List[str]], limit: float) -> List[ProgramResult]:
    """Run the programs side by side; stop any still running after ``limit`` seconds."""
    started = [processes.spawn(argv) for argv in commands]  # they die with the kernel
    deadline = time.monotonic() + limit
    results = []
    for process in started:
        try:
            output, _ = process.communicate(timeout=max(0.0, deadline - time.monotonic()))
            code: Optional[int] = process.returncode
        except subprocess.TimeoutExpired:
            processes.kill(process)
            output, _ = process.communicate()
            code = None
        results.append(ProgramResult(code, output.decode("utf-8", "replace")))
    return results


def _short_names(result: ProgramResult, cluster: Cluster) -> ProgramResult:
    """The result with each node's full name (it holds the kernel's pid) as its short name."""
    output = result.output
    for node in cluster.nodes:
        output = output.replace(node.node, cluster.short_name(node))
    return ProgramResult(result.exit_code, output)
