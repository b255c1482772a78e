"""Lesson 6's contrast: a classic queue lives on one node. While that node is
down, what do the tutorial's producer and worker see, connected to another node?"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from typing import List, Sequence

from workqueue_helpers import processes
from workqueue_helpers.broker.counts import passive_counts
from workqueue_helpers.broker.cluster import Cluster
from workqueue_helpers.demo.publisher import publish_tasks
from workqueue_helpers.show import live


@dataclass(frozen=True)
class ProgramResult:
    """What one of the tutorial's programs printed last, and its exit code."""

    exit_code: int
    last_line: str


@dataclass(frozen=True)
class ClassicOutage:
    """A classic queue, its node killed and started again."""

    home: str                  # the node the queue lives on
    via: str                   # the node the programs connected to
    published: int             # tasks in the queue before the kill
    producer: ProgramResult    # new_task.py, while the home node was down
    worker: ProgramResult      # worker.py, while the home node was down
    back: int                  # tasks in the queue once the home node ran again


def classic_queue_while_its_node_is_down(cluster: Cluster, queue: str, tasks: Sequence[str], *,
                                         home: str = "rabbit2", via: str = "rabbit1") -> ClassicOutage:
    """Declare a durable classic queue on node ``home`` and put ``tasks`` in it
    (persistent, confirmed); kill ``home``; run the package's new_task.py and
    worker.py against node ``via``; start ``home`` again and count the tasks."""
    home_url, via_url = cluster.node(home).url, cluster.node(via).url
    publish_tasks(home_url, queue, tasks, first_number=1, on_published=lambda *_: None,
                  queue_type="classic")
    cluster.kill(home)
    live.say(f"{home} killed: trying the classic queue through {via}")
    common = ["--url", via_url, "--queue", queue, "--queue-type", "classic"]
    producer = _run([sys.executable, "-m", "workqueue_helpers.new_task", "Task while down.",
                     "--confirm", *common])
    worker = _run([sys.executable, "-m", "workqueue_helpers.worker", "--name", "worker",
                   "--reconnect-seconds", "0", *common])
    cluster.start_again(home)
    counts = passive_counts(via_url, queue)
    return ClassicOutage(home, via, len(tasks), _short_names(producer, cluster),
                         _short_names(worker, cluster), counts.ready if counts else 0)


def _short_names(result: ProgramResult, cluster: Cluster) -> ProgramResult:
    """The result with each node's full name (it holds the kernel's pid) as its short name."""
    line = result.last_line
    for node in cluster.nodes:
        line = line.replace(node.node, cluster.short_name(node))
    return ProgramResult(result.exit_code, line)


def _run(argv: List[str], timeout: float = 30.0) -> ProgramResult:
    """Run a program to its end; its exit code and last line (stdout or stderr), no password."""
    process = processes.spawn(argv)  # dies with the kernel; stderr joins stdout
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        processes.kill(process)
        return ProgramResult(-1, f"still running after {timeout:g} s")
    lines = [line.strip() for line in output.decode("utf-8", "replace").splitlines() if line.strip()]
    return ProgramResult(process.returncode, lines[-1] if lines else "")
