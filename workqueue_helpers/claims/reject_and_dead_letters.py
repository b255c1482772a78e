"""Lesson 2a's claims: a requeued poison task comes back again and again; a rejected one is dead-lettered."""

from __future__ import annotations

from workqueue_helpers.broker.queues import peek
from workqueue_helpers.claims import claim
from workqueue_helpers.demo.run import Run


def check_yourself(picky: Run, dead: Run, url: str) -> None:
    """Print each of lesson 2a's claims ticked, or raise ClaimFailed where this run says otherwise."""
    poison_deliveries = picky.timeline.tasks_by_worker()["worker1"].count(1)
    # round and round: about 9 in the second when the machine is idle
    claim("with requeue, the poison task came back again and again (3 times or more in a second)",
          poison_deliveries >= 3, poison_deliveries)
    claim("with requeue, the good task was done once",
          picky.timeline.completed() == [2], picky.timeline.attempts())
    left = picky.ready_messages()
    claim("with requeue, the poison task was still in the queue after the worker stopped",
          left == 1 and 1 not in picky.timeline.completed(), left)
    dead_letters = peek(url, dead.dead_letter_queue) or []
    claim("without requeue, the poison task went to the dead-letter queue, and only it",
          [body for body, _ in dead_letters] == [b"Poison task."], dead_letters)
    claim("its x-death header says it was rejected",
          all(headers["x-death"][0]["reason"] == "rejected" for _, headers in dead_letters),
          dead_letters)
