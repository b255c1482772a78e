"""Lesson 3 (durability) and its appendix 3a: the claims their text makes, checked on their runs."""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence

from workqueue_helpers.broker.queues import transient_queues_denied
from workqueue_helpers.claims import claim
from workqueue_helpers.demo.durability import (QueueKind, first_sent_after_restart,
                                               interrupted_by_restart)


def _survivors_hold(queues: Sequence[QueueKind], after: Dict[str, Optional[List[str]]]) -> bool:
    return after == {queues[0].name: None, queues[1].name: ["persistent message"],
                     queues[2].name: ["transient message", "persistent message"]}


def _nothing_lost(run, tasks: int) -> bool:
    timeline = run.timeline
    return (timeline.lost() == [] and timeline.completed() == list(range(1, tasks + 1))
            and len(timeline.broker_downtime()) == 1)


def check_yourself(lesson, refusal, queues: Sequence[QueueKind], refused: Sequence[str],
                   after: Dict[str, Optional[List[str]]], run, tasks: int) -> None:
    """Lesson 3's claims, checked against this run of it."""
    denied = transient_queues_denied(lesson.broker.url)  # RabbitMQ 4.3's announced default
    claim("RabbitMQ refused to declare an existing queue with other options, and closed the "
          "channel (a broker that denies non-durable queues refused the first declare)",
          refusal.reply_code == (541 if denied else 406), refusal.reply_code)
    claim("After a restart the non-durable queue was gone, the durable classic queue kept only "
          "its persistent message, and the quorum queue kept both",
          list(refused) == ([queues[0].name] if denied else []) and _survivors_hold(queues, after),
          (refused, after))
    timeline = run.timeline
    attempts = timeline.attempts()
    cut = interrupted_by_restart(timeline)
    claim("Each worker lost its connection and reconnected",
          all("Connection lost; reconnecting" in screen for screen in run.screens().values()),
          run.screens())
    claim("The restart caught at most one unacknowledged task per worker; each came back, "
          "flagged redelivered, and was done",
          1 <= len(cut) == len({a.worker for a in cut}) <= 2
          and all(any(b.number == a.number and b.start > a.start and b.redelivered
                      and b.outcome == "done" for b in attempts) for a in cut)
          and {a.number for a in attempts if a.redelivered}
          <= {a.number for a in cut} | set(timeline.done_more_than_once()),
          attempts)
    down = timeline.broker_downtime()[0][0]
    fresh = first_sent_after_restart(timeline)
    claim("The tasks not yet sent waited in the queue and went out after the restart",
          bool(fresh) and not set(fresh) & {a.number for a in attempts if a.start <= down},
          attempts)
    claim("All {tasks} tasks were done and none was lost", _nothing_lost(run, tasks),
          timeline.task_rows(), tasks=tasks)


def check_going_further(lesson, queues: Sequence[QueueKind], refused: Sequence[str],
                        after_crash: Dict[str, Optional[List[str]]], crash, tasks: int,
                        outcome: Dict[str, str], refusals: Dict[str, object],
                        deliveries: int, poison_left: int, default_limit) -> None:
    """Appendix 3a's claims, checked against this run of it."""
    denied = transient_queues_denied(lesson.broker.url)
    major = int(lesson.broker.version().split(".")[0])
    claim("A crash kept what a clean restart keeps: the persistent message on the durable "
          "classic queue, both messages on the quorum queue",
          list(refused) == ([queues[0].name] if denied else [])
          and _survivors_hold(queues, after_crash), after_crash)
    claim("Workers across a crash: all {tasks} tasks done, none lost", _nothing_lost(crash, tasks),
          crash.timeline.task_rows(), tasks=tasks)
    claim("Confirms alone accepted the unroutable message; mandatory made pika raise "
          "UnroutableError",
          outcome == {"no confirms": "returns", "confirms": "returns",
                      "confirms + mandatory": "UnroutableError"}, outcome)
    claim("A quorum queue refused to be exclusive or non-durable",
          refusals.get("exclusive") == 406
          and refusals.get("non-durable") in ((406, 541) if denied else (406,)), refusals)
    claim("With x-delivery-limit 2, the message was dropped after 3 deliveries",
          deliveries == 3 and poison_left == 0, (deliveries, poison_left))
    default_deliveries, default_left = default_limit
    claim("Without x-delivery-limit, the message came back as this version does it "
          "(every time before 4.0; from 4.0, 21 deliveries, then dropped)",
          (default_deliveries, default_left) == ((21, 0) if major >= 4 else (30, 1)),
          default_limit)
