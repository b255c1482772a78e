"""Count a queue's messages: ready, unacknowledged, consumers.

Three ways, one type (``QueueCounts``):

- ``from_rabbitmqctl``: what ``rabbitmqctl list_queues`` prints (exact, about 0.85 s a call);
- ``from_management_api``: the management plugin's HTTP API (refreshed every few seconds);
- ``passive_counts``: a passive ``queue.declare`` over AMQP (fast and current,
  even for a quorum queue, but it cannot count unacknowledged messages).
"""

from __future__ import annotations

import json
import urllib.error
from dataclasses import dataclass
from typing import Optional

import pika.exceptions

from workqueue_helpers.broker import management
from workqueue_helpers.broker.rabbitmqctl import last_line
from workqueue_helpers.connection import BrokerError, close_quietly, connect


@dataclass(frozen=True)
class QueueCounts:
    """A queue's counts, as ``rabbitmqctl list_queues name messages_ready
    messages_unacknowledged consumers`` shows them."""

    ready: int                # messages waiting to be delivered
    unacked: Optional[int]    # delivered and not acknowledged yet; None: not counted (AMQP)
    consumers: int            # consumers registered on the queue

    def table(self, queue: str) -> str:
        """The counts as ``rabbitmqctl list_queues`` prints them (tab-separated, with headers)."""
        unacked = "?" if self.unacked is None else str(self.unacked)
        return (f"name\tmessages_ready\tmessages_unacknowledged\tconsumers\n"
                f"{queue}\t{self.ready}\t{unacked}\t{self.consumers}")


def from_rabbitmqctl(output: str, queue: str) -> Optional[QueueCounts]:
    """Pick ``queue`` from the JSON that ``rabbitmqctl list_queues ... --formatter json`` prints."""
    lines = output.splitlines()
    rows = None
    for number, line in enumerate(lines):  # skip any warning printed before the JSON
        if line.startswith("["):
            try:
                rows = json.loads("\n".join(lines[number:]))
                break
            except ValueError:
                continue
    if not isinstance(rows, list):
        raise BrokerError(f"Unexpected rabbitmqctl output: {last_line(output)}")
    for row in rows:
        if row.get("name") == queue:
            return _counts(row)
    return None


def from_management_api(base: str, user: str, password: str, vhost: str,
                        queue: str) -> Optional[QueueCounts]:
    """Ask the management HTTP API at ``base`` (e.g. http://host:15672) about one queue."""
    try:
        data = management.get_json(management.api_address(management.queue_page(base, vhost, queue)),
                                   user, password)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise BrokerError(f"the management API at {base} answered HTTP {error.code}") from None
    except (OSError, ValueError) as error:
        reason = type(error).__name__
        raise BrokerError(f"the management API at {base} did not answer ({reason}); "
                          "counting unacknowledged messages needs rabbitmqctl or the management plugin") from None
    return _counts(data)


def passive_counts(url: str, queue: str) -> Optional[QueueCounts]:
    """Ready and consumer counts of ``queue`` from a passive queue.declare
    (unacked is None: AMQP does not tell). None if there is no such queue."""
    connection = connect(url)
    try:
        ok = connection.channel().queue_declare(queue, passive=True).method
        return QueueCounts(ready=ok.message_count, unacked=None, consumers=ok.consumer_count)
    except pika.exceptions.ChannelClosedByBroker:
        return None  # 404 NOT_FOUND
    finally:
        close_quietly(connection)


def _counts(row: dict) -> QueueCounts:
    return QueueCounts(ready=int(row.get("messages_ready") or 0),
                       unacked=int(row.get("messages_unacknowledged") or 0),
                       consumers=int(row.get("consumers") or 0))
