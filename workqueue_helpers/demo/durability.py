"""What survives a broker restart: queues of three kinds, two messages each.

    kinds = [QueueKind("lesson03.a", durable=False, queue_type="classic"), ...]
    fill(url, kinds)                       # one transient, one persistent message each
    before = contents(url, kinds)
    broker.restart()                       # or broker.restart(crash=True)
    print(survival_table(kinds, before, contents(url, kinds), "after a restart"))
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import pika
import pika.exceptions

from workqueue_helpers.broker.queues import delete_queues, peek
from workqueue_helpers.connection import (QUORUM_QUEUE_ARGUMENTS, WorkQueueError, close_quietly, connect,
                                          declare_task_queue)
from workqueue_helpers.record.timeline import OUTCOME_INTERRUPTED, Attempt
from workqueue_helpers.show.tables import format_table
from workqueue_helpers import status

TRANSIENT = b"transient message"    # published with delivery_mode=1
PERSISTENT = b"persistent message"  # published with delivery_mode=2


@dataclass(frozen=True)
class QueueKind:
    """A queue to test: its name, whether it is durable, and its type."""

    name: str
    durable: bool
    queue_type: str = "classic"

    @property
    def label(self) -> str:
        return f"{'durable' if self.durable else 'non-durable'} {self.queue_type}"


def fill(url: str, kinds: Sequence[QueueKind], settle: float = 2.0) -> List[str]:
    """Declare each queue afresh and publish one transient and one persistent
    message to it, with publisher confirms: when this returns, the broker has
    every message (and has written the persistent ones to disk).
    Returns the names of the queues the broker refused to declare (a broker
    that denies non-durable queues, as RabbitMQ 4.3's default does).

    Then wait ``settle`` seconds: on RabbitMQ 3.10 and 4.3 a quorum queue
    declared less than about a second before its node is killed may come back
    empty, or not at all ("noproc"), which is not what this experiment is about.
    """
    delete_queues(url, [kind.name for kind in kinds])
    refused: List[str] = []
    for kind in kinds:
        connection = connect(url)  # one each: a refusal may close the connection
        try:
            channel = connection.channel()
            channel.confirm_delivery()
            try:
                declare_task_queue(channel, kind.name, kind.durable, kind.queue_type)
            except WorkQueueError:
                refused.append(kind.name)
                continue
            for body, mode in ((TRANSIENT, pika.DeliveryMode.Transient),
                               (PERSISTENT, pika.DeliveryMode.Persistent)):
                channel.basic_publish("", kind.name, body,
                                      pika.BasicProperties(delivery_mode=mode), mandatory=True)
        finally:
            close_quietly(connection)
    status.say("messages confirmed; letting the quorum queue settle before the restart")
    time.sleep(settle)
    status.say("")
    return refused


def contents(url: str, kinds: Sequence[QueueKind],
             timeout: float = 30.0) -> Dict[str, Optional[List[str]]]:
    """Queue name -> the messages in it (left in place), or None if it is gone.

    Just after a restart a quorum queue may not answer yet (its process is
    still starting: "noproc"); this asks again until ``timeout``.
    """
    result: Dict[str, Optional[List[str]]] = {}
    for kind in kinds:
        messages = _peek_patiently(url, kind.name, timeout)
        result[kind.name] = None if messages is None else \
            [body.decode() for body, _ in messages]
    return result


def _peek_patiently(url: str, queue: str, timeout: float):
    deadline = time.monotonic() + timeout
    while True:
        try:
            return peek(url, queue)
        except (pika.exceptions.AMQPError, WorkQueueError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def survival_table(kinds: Sequence[QueueKind], before: Dict[str, Optional[List[str]]],
                   after: Dict[str, Optional[List[str]]], when: str,
                   refused: Sequence[str] = ()) -> str:
    """A table: for each queue, its messages before and ``when`` (e.g. "after a crash").

    A queue in ``refused`` (see ``fill``) shows "(declare refused)" in both columns.
    """
    def shown(name: str, messages: Optional[List[str]]) -> str:
        if name in refused:
            return "(declare refused)"
        if messages is None:
            return "(queue gone)"
        return ", ".join(m.replace(" message", "") for m in messages) or "(empty)"

    rows = [[kind.label, shown(kind.name, before[kind.name]), shown(kind.name, after[kind.name])]
            for kind in kinds]
    return format_table(["queue", "before", when], rows)


def what_survived(kinds: Sequence[QueueKind],
                  after: Dict[str, Optional[List[str]]]) -> Dict[str, object]:
    """For each queue, by its label: its messages' kinds left (e.g. ["persistent"]),
    or "queue gone"; as lesson 3's prediction writes it."""
    return {kind.label: "queue gone" if after[kind.name] is None
            else [message.split()[0] for message in after[kind.name]]
            for kind in kinds}


# --- lesson 3, section 4: workers across a restart, read aloud -------------------------------


def interrupted_by_restart(timeline) -> List[Attempt]:
    """The attempts the broker's restart (or crash) cut short."""
    return [attempt for attempt in timeline.attempts() if attempt.outcome == OUTCOME_INTERRUPTED]


def first_sent_after_restart(timeline) -> List[int]:
    """The tasks that first left the queue after the broker went down (not redelivered)."""
    down = timeline.broker_downtime()[0][0]
    return sorted({attempt.number for attempt in timeline.attempts()
                   if attempt.start > down and not attempt.redelivered})


def restart_story(timeline) -> str:
    """A run across one broker restart, read aloud: which tasks it cut, where they went,
    which tasks first left the queue afterwards, how long the broker was away."""
    attempts = timeline.attempts()
    (down, up), = timeline.broker_downtime()
    lines = []
    for cut in interrupted_by_restart(timeline):
        again = " and ".join(later.worker for later in timeline.later_attempts(cut))
        what = (f"finished task {cut.number}, but its connection was gone when it sent the ack "
                "(sand bar)" if cut.ack_lost else
                f"lost its connection during task {cut.number} (sand bar)")
        lines.append(f"{cut.worker} {what}. The broker never got the ack, so the task stayed in "
                     f"the queue and went to {again or 'nobody'} after the restart, flagged "
                     "redelivered (hatched).")
    fresh = first_sent_after_restart(timeline)
    if fresh:
        lines.append(f"{_tasks(fresh)} had not left the queue before the restart "
                     "(one unacknowledged task per worker); after it they went out for the first time.")
    back = min((a.start for a in attempts if a.start > up), default=up)
    lines.append(f"The broker stopped answering at {down:.1f} s and answered again {up - down:.1f} s "
                 f"later (the grey band); the first task after it began {max(0.0, back - up):.1f} s "
                 "later (a worker tries again every 0.5 s).")
    lines.append(f"Work done twice: {_tasks(timeline.done_more_than_once()) or 'none'}; "
                 f"lost: {_tasks(timeline.lost()) or 'none'}.")
    return "\n".join(lines)


def _tasks(numbers: Sequence[int]) -> str:
    if not numbers:
        return ""
    if len(numbers) == 1:
        return f"Task {numbers[0]}"
    return f"Tasks {', '.join(map(str, numbers[:-1]))} and {numbers[-1]}"


# --- lesson 3a: a quorum queue's delivery limit ----------------------------------------------


def reject_until_dropped(url: str, queue: str, most: int = 30, delivery_limit: Optional[int] = None,
                         show: bool = False) -> Tuple[int, int]:
    """Publish one message to the quorum queue ``queue`` (declared here with
    ``x-delivery-limit`` if ``delivery_limit`` is given, else the broker's default applies),
    then take it (basic_get) and reject it with requeue, again and again, at most ``most``
    times; ``show`` prints a line per delivery with its ``x-delivery-count`` header.
    Returns (deliveries, messages left in the queue): a broker with a delivery limit drops
    the message after limit + 1 deliveries; one without lets it come back every time.
    The queue is deleted at the end."""
    delete_queues(url, [queue])
    arguments = dict(QUORUM_QUEUE_ARGUMENTS)
    if delivery_limit is not None:
        arguments["x-delivery-limit"] = delivery_limit
    connection = connect(url)
    try:
        channel = connection.channel()
        channel.queue_declare(queue=queue, durable=True, arguments=arguments)
        channel.confirm_delivery()  # so the message is in the queue before basic_get asks
        channel.basic_publish("", queue, b"Poison task.")
        deliveries = 0
        while deliveries < most:
            method, properties, body = channel.basic_get(queue=queue)
            if method is None:
                break
            deliveries += 1
            if show:
                count = (properties.headers or {}).get("x-delivery-count", 0)
                print(f"delivery {deliveries}: {body!r}, x-delivery-count = {count}; "
                      "rejected, requeue=True")
            channel.basic_reject(delivery_tag=method.delivery_tag, requeue=True)
        left = channel.queue_declare(queue=queue, passive=True).method.message_count
        deadline = time.monotonic() + 2.0
        while deliveries == most and left == 0 and time.monotonic() < deadline:
            connection.sleep(0.05)  # the last requeue is still on its way back
            left = channel.queue_declare(queue=queue, passive=True).method.message_count
        channel.queue_delete(queue=queue)
    finally:
        close_quietly(connection)
    return deliveries, left
