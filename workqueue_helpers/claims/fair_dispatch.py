"""Lesson 4's claims: round-robin piles the long tasks on one worker; prefetch_count=1 shares them."""

from __future__ import annotations

from typing import Sequence

from workqueue_helpers.claims import claim
from workqueue_helpers.demo.fair_dispatch import schedules, work_by_worker
from workqueue_helpers.demo.run import Run

ROUND_ROBIN = {"worker1": [1, 3, 5, 7], "worker2": [2, 4, 6, 8]}
FAIR = {"worker1": [1, 4, 6, 7], "worker2": [2, 3, 5, 8]}
# Timing slack, in units (dots): this machine's runs were within a tenth of a unit of the
# model (a few milliseconds of overhead per task); three units leave room for a busy
# machine and are still far less than the 15 units between the two pictures (36 and 21).
SLACK_UNITS = 3


def check_yourself(unfair: Run, fair: Run, units: Sequence[int], unit: float) -> None:
    """Check lesson 4's claims against its two runs (no limit, then prefetch_count=1)."""
    slack = SLACK_UNITS * unit
    tasks = unfair.timeline.tasks_by_worker()
    claim("With no prefetch limit, round-robin gave worker1 every long task (36 units of work) "
          "and worker2 the short ones (6 units)",
          tasks == ROUND_ROBIN and work_by_worker(unfair, units) == {"worker1": 36, "worker2": 6},
          tasks)
    claim("With prefetch_count=1, worker1 did tasks 1, 4, 6 and 7, worker2 tasks 2, 3, 5 and 8",
          fair.timeline.tasks_by_worker() == FAIR, fair.timeline.tasks_by_worker())
    # When each task left the queue: when its worker had acked the one before. (Not when the
    # worker recorded receiving it: a busy machine delayed that by 0.16 s once, and task 5
    # seemed to start after task 6.) Two tasks handed out at the same moment to two workers
    # may be recorded a few milliseconds apart, either way; the closest two that are not
    # are a unit apart.
    handed_out = fair.timeline.handed_out()
    claim("The tasks still left the queue in order, 1 to 8",
          sorted(handed_out) == list(range(1, 9))
          and all(handed_out[n] <= handed_out[n + 1] + unit / 2 for n in range(1, 8)), handed_out)
    makespan, idle = unfair.timeline.makespan(), unfair.timeline.idle_time()
    claim("With no limit the batch took 36 units, and worker2 sat idle for 30 of them",
          abs(makespan - 36 * unit) < slack and abs(idle["worker2"] - 30 * unit) < slack,
          (makespan, idle))
    makespan, idle = fair.timeline.makespan(), fair.timeline.idle_time()
    claim("With prefetch_count=1 it took 21 units, and neither worker sat idle",
          abs(makespan - 21 * unit) < slack and max(idle.values()) < slack, (makespan, idle))
    model = schedules(units, 2)
    claim("On paper, 42 units of work on two workers take at least 21: round-robin takes 36, "
          "prefetch_count=1 the best possible, 21",
          list(model.values()) == [36, 21, 21] and sum(units) == 42, model)
