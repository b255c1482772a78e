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
from typing import Dict, List, Optional, Sequence

import pika
import pika.exceptions

from workqueue_helpers.broker.queues import delete_queues, peek
from workqueue_helpers.connection import WorkQueueError, close_quietly, connect, declare_task_queue
from workqueue_helpers.show.tables import format_table
from workqueue_helpers.show import live

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
    live.say("messages confirmed; letting the quorum queue settle before the restart")
    time.sleep(settle)
    live.say("")
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
