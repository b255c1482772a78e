"""Queue housekeeping over AMQP: peek at a queue, check for it, delete it, probe the broker's policy."""

from __future__ import annotations

import time
import uuid
from typing import Iterable, List, Optional, Tuple

import pika.exceptions

from workqueue_helpers.connection import WorkQueueError, close_quietly, connect


def delete_queues(url: str, queues: Iterable[str]) -> None:
    """Delete each queue that exists; ignore the ones that do not."""
    connection = connect(url)
    try:
        for queue in queues:
            channel = connection.channel()  # a failed operation closes its channel: one each
            try:
                channel.queue_delete(queue)
            except pika.exceptions.ChannelClosedByBroker as error:
                if error.reply_code != 404:  # 404: already gone
                    raise WorkQueueError(f"could not delete queue {queue!r}: {error.reply_text}") from None
                continue
            channel.close()
    finally:
        close_quietly(connection)


def queue_exists(url: str, queue: str) -> bool:
    """True if ``queue`` exists (a passive declare)."""
    connection = connect(url)
    try:
        connection.channel().queue_declare(queue, passive=True)
        return True
    except pika.exceptions.ChannelClosedByBroker:
        return False  # 404 NOT_FOUND
    finally:
        close_quietly(connection)


def peek(url: str, queue: str, settle_timeout: float = 5.0) -> Optional[List[Tuple[bytes, dict]]]:
    """The messages in ``queue`` as (body, headers), left in the queue; None if
    there is no such queue. (They come back marked as redelivered.)

    Returns once the broker counts them as ready again (up to ``settle_timeout``):
    a quorum queue takes them back asynchronously, and a broker killed in
    that moment was seen to bring them back only seconds after its restart.
    """
    connection = connect(url)
    try:
        channel = connection.channel()
        try:
            channel.queue_declare(queue, passive=True)
        except pika.exceptions.ChannelClosedByBroker:
            return None  # 404 NOT_FOUND
        messages = []
        while True:
            method, properties, body = channel.basic_get(queue, auto_ack=False)
            if method is None:
                break
            messages.append((body, properties.headers or {}))
    finally:
        close_quietly(connection)  # closing the channel puts them all back
    _wait_until_ready(url, queue, len(messages), settle_timeout)
    return messages


def _wait_until_ready(url: str, queue: str, count: int, timeout: float) -> None:
    """Wait until ``queue`` has at least ``count`` ready messages, or ``timeout`` passes."""
    if count == 0:
        return
    deadline = time.monotonic() + timeout
    connection = connect(url)
    try:
        channel = connection.channel()
        while channel.queue_declare(queue, passive=True).method.message_count < count:
            if time.monotonic() > deadline:
                return
            connection.sleep(0.05)
    except pika.exceptions.AMQPError:
        return  # the queue went away meanwhile: nothing to wait for
    finally:
        close_quietly(connection)


def transient_queues_denied(url: str) -> bool:
    """True if the broker refuses non-durable queues that are not exclusive.

    RabbitMQ 4.3's release notes make that the default
    (``deprecated_features.permit.transient_nonexcl_queues = false``); hosted
    brokers enforce it. Such a broker answers the declare with 541, which
    closes the whole connection. Debian's 4.3.6 and every 3.x permit them.
    """
    name = f"workqueue.probe.{uuid.uuid4().hex[:12]}"
    connection = connect(url)
    try:
        channel = connection.channel()
        channel.queue_declare(name, durable=False, auto_delete=True)
        channel.queue_delete(name)
        return False
    except pika.exceptions.ConnectionClosedByBroker as error:
        if error.reply_code == 541:
            return True
        raise
    finally:
        close_quietly(connection)
