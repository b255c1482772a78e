"""Lesson 2's claims: what auto-ack lost, what manual ack redelivered, what a forgotten ack kept."""

from __future__ import annotations

from workqueue_helpers.claims import claim
from workqueue_helpers.demo.queue_depth import QueueDepth
from workqueue_helpers.demo.run import Run

# rabbitmqctl learns a quorum queue's counts 4 to 5 s late (3.10 and 4.3), and each
# reading is a call of most of a second, several on a machine that runs a whole class.
SLOWEST_READING_AFTER_STOP = 15.0


def check_yourself(auto: Run, manual: Run, forgetful: Run, depth: QueueDepth) -> None:
    """Print each of lesson 2's claims ticked, or raise ClaimFailed where this run says otherwise."""
    claim("auto-ack: worker1 was killed during task 3, and tasks 3 and 5 were never done",
          auto.timeline.lost() == [3, 5]
          and auto.timeline.tasks_by_worker() == {"worker1": [1, 3], "worker2": [2, 4]},
          (auto.timeline.lost(), auto.timeline.tasks_by_worker()))

    by_worker = manual.timeline.tasks_by_worker()
    redelivered = [a.redelivered for a in manual.timeline.attempts() if a.worker == "worker2"]
    claim("manual ack: worker2 did tasks 3 and 5 after its own 2 and 4, both marked redelivered",
          by_worker == {"worker1": [1, 3], "worker2": [2, 4, 3, 5]}
          and redelivered == [False, False, True, True], (by_worker, redelivered))
    claim("manual ack: no task was lost, and task 3 was started twice (at least once)",
          manual.timeline.lost() == [] and sum(n == 3 for ns in by_worker.values() for n in ns) == 2,
          (manual.timeline.lost(), by_worker))

    claim("forgotten ack: the worker finished all six tasks and acknowledged none",
          forgetful.timeline.unacknowledged() == [1, 2, 3, 4, 5, 6],
          forgetful.timeline.attempts())
    samples = depth.samples
    stopped_at = forgetful.timeline.t0 + forgetful.timeline.worker_ends()[0][1]
    all_sent_at = next((s.t for s in samples if s.counts.unacked == 6), None)
    while_held = [s for s in samples if all_sent_at is not None and all_sent_at <= s.t < stopped_at]
    claim("forgotten ack: RabbitMQ held all six unacknowledged, with none ready, until the worker stopped",
          max(s.counts.unacked or 0 for s in samples) == 6 and bool(while_held)
          and all(s.counts.ready == 0 for s in while_held), while_held)
    ready_at = next((s.t for s in samples if s.t >= stopped_at and s.counts.ready == 6), None)
    claim("forgotten ack: once the worker stopped, all six were ready again",
          ready_at is not None and ready_at - stopped_at < SLOWEST_READING_AFTER_STOP
          and samples[-1].counts.ready == 6 and samples[-1].counts.unacked == 0,
          (stopped_at, ready_at, samples[-1]))
