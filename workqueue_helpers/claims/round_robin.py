"""Lesson 1, round-robin dispatch: the claims its text makes about its runs."""

from __future__ import annotations

from workqueue_helpers.claims import claim
from workqueue_helpers.demo.run import Run
from workqueue_helpers.record.events import ACKED


def check_yourself(run: Run) -> None:
    """Lesson 1's claims about its run of five tasks on two auto-ack workers."""
    timeline = run.timeline
    by_worker = timeline.tasks_by_worker()
    claim("worker1 took tasks 1, 3 and 5, worker2 took 2 and 4: round-robin, "
          "in the order the workers registered",
          by_worker == {"worker1": [1, 3, 5], "worker2": [2, 4]}, by_worker)
    problems = (timeline.lost(), timeline.done_more_than_once(),
                [a.number for a in timeline.attempts() if a.redelivered])
    claim("Every task was done once: none lost, none done twice, none redelivered",
          problems == ([], [], []), f"lost, done twice, redelivered: {problems}")
    acks = [event for event in timeline.events if event.kind == ACKED]
    claim("The workers acknowledged nothing: with auto_ack=True there is nothing to acknowledge",
          acks == [], f"{len(acks)} acks")
    busy = timeline.busy_time()
    claim("worker1 worked about 9 s (1 + 3 + 5 dots), worker2 about 6 s (2 + 4)",
          abs(busy["worker1"] - 9) < 1.0 and abs(busy["worker2"] - 6) < 1.0, busy)
    # new_task.py runs once per task: however long each run takes to start, worker2 is
    # done about 3 s before worker1 (1 s either way with up to 2 s between two runs).
    idle = timeline.idle_at_end()
    claim("worker2 sat idle about 3 s at the end, while worker1 finished task 5",
          idle["worker1"] == 0 and abs(idle["worker2"] - 3) < 1.0, idle)


def check_three_workers(run: Run) -> None:
    """Going further: three workers share the five tasks in registration order."""
    by_worker = run.timeline.tasks_by_worker()
    claim("The deal went round the three workers in the order they registered, "
          "then began again at worker1",
          by_worker == {"worker1": [1, 4], "worker2": [2, 5], "worker3": [3]}, by_worker)
