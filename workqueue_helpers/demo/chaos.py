"""Trouble under a run: workers killed and the broker restarted at chosen moments.

    restart_broker(run, broker, after_done=3)             # lesson 3
    log = make_trouble(run, broker, kills=5, restarts=1, seed=7)   # lesson 5

The moments of ``make_trouble`` are numbers of tasks done, drawn from a
seeded random generator, so the same seed makes the same trouble at the same
points of the run. Both run in the notebook's main thread (workers and broker
nodes must be started from it; see processes.py).
"""

from __future__ import annotations

import random
import time
from typing import List

from workqueue_helpers.broker.base import Broker
from workqueue_helpers.demo.run import Run
from workqueue_helpers.record.events import BROKER_DOWN, BROKER_UP, Event

QUEUE_SETTLE_SECONDS = 2.0  # see restart_broker


def restart_broker(run: Run, broker: Broker, *, crash: bool = False, after_done: int = 0,
                   timeout: float = 60.0) -> float:
    """Restart ``broker`` (a clean stop, or SIGKILL if ``crash``) once ``run`` has
    ``after_done`` tasks done; record the downtime in its timeline; return its seconds."""
    run.wait_for_done_count(after_done, timeout)
    if crash and run.first_declared is not None:
        # Measured on RabbitMQ 3.10 and 4.3: a quorum queue declared less than
        # about a second before its node is killed may come back empty, or
        # not at all ("noproc"), confirmed messages and all. Let it settle.
        time.sleep(max(0.0, run.first_declared + QUEUE_SETTLE_SECONDS - time.time()))
    run.timeline.record(Event(time.time(), BROKER_DOWN, detail="crash" if crash else "stop"))
    seconds = broker.restart(crash=crash)
    run.timeline.record(Event(time.time(), BROKER_UP))
    # The node answers before all its queues do (a quorum queue takes a moment).
    deadline = time.monotonic() + timeout
    while run.ready_messages() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    return seconds


def make_trouble(run: Run, broker: Broker, *, kills: int = 5, restarts: int = 1,
                 seed: int = 7, timeout: float = 120.0) -> List[str]:
    """While ``run`` works through its published tasks: ``kills`` times, SIGKILL
    a random worker (in the middle of a task, if it gets one within 2 s) and
    start a replacement with the same options; ``restarts`` times, restart the
    broker. Returns one line per action.

    If the run stops making progress (tasks lost with auto-ack never come),
    the remaining actions are skipped and said so.
    """
    rng = random.Random(seed)
    total = run.published_count
    actions = [(point, "kill") for point in rng.sample(range(total // 10, total * 9 // 10), kills)]
    actions += [(point, "restart")
                for point in rng.sample(range(total // 4, total * 3 // 4), restarts)]
    log = []
    for point, action in sorted(actions):
        if not run.wait_for_done_count_unless_idle(point, timeout):
            log.append(f"after {run.done_count} tasks done: no more progress; "
                       f"skipped the {action} planned at {point}")
            continue
        if action == "kill":
            victim = rng.choice(sorted(run.live_workers()))
            # In the middle of a task, if it gets one soon: so that the kill cuts
            # a task short (lost with auto-ack; back in the queue with manual ack).
            run.wait_until_busy(victim, timeout=min(timeout, 2.0))
            run.kill(victim)
            log.append(f"at {point} tasks done: killed {victim} (SIGKILL), "
                       f"started {run.replace(victim)}")
        else:
            restart_broker(run, broker)
            log.append(f"at {point} tasks done: restarted the broker")
    return log
