"""Try to lose a task: kill workers at random moments, replace them, restart the broker.

    log = make_trouble(run, broker, kills=5, restarts=1, seed=7)

The moments are numbers of tasks done, drawn from a seeded random generator,
so the same seed makes the same trouble at the same points of the run. Runs
in the notebook's main thread (workers and broker nodes must be started
from it; see processes.py).
"""

from __future__ import annotations

import random
from typing import List

from workqueue_helpers.broker import Broker
from workqueue_helpers.workers import Workers


def make_trouble(run: Workers, broker: Broker, *, kills: int = 5, restarts: int = 1,
                 seed: int = 7, timeout: float = 120.0) -> List[str]:
    """While ``run`` works through its published tasks: ``kills`` times, SIGKILL
    a random live worker and start a replacement with the same options;
    ``restarts`` times, restart the broker. Returns one line per action.

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
        if not run.wait_until_done_count(point, timeout):
            log.append(f"after {run.done_count} tasks done: no more progress; "
                       f"skipped the {action} planned at {point}")
            continue
        if action == "kill":
            victim = rng.choice(sorted(run.live_workers()))
            run.kill(victim)
            log.append(f"at {point} tasks done: killed {victim} (SIGKILL), "
                       f"started {run.replace(victim)}")
        else:
            run.restart_broker(broker)
            log.append(f"at {point} tasks done: restarted the broker")
    return log
