"""The producer of tutorial 2: send one task to the work queue.

    python -m workqueue_helpers.new_task First message.

Each dot in the message is one second of work for the worker.
"""

from __future__ import annotations

import argparse
import sys
from typing import Optional, Sequence

import pika
import pika.exceptions

from workqueue_helpers.connection import (OneLineParser, WorkQueueError, add_queue_options,
                                          one_line,
                                          connect, declare_task_queue)
from workqueue_helpers.record.events import shown


def send(channel, queue: str, body: bytes, persistent: bool = True,
         message_id: Optional[str] = None) -> None:
    """Publish one task through the default exchange straight to ``queue``.

    On a channel in confirm mode (``channel.confirm_delivery()``) this returns
    only once the broker has taken the message, and raises if it could not
    route it (``mandatory=True``) or refused it.
    """
    channel.basic_publish(
        exchange="",
        routing_key=queue,
        body=body,
        properties=pika.BasicProperties(
            delivery_mode=pika.DeliveryMode.Persistent if persistent
            else pika.DeliveryMode.Transient,
            message_id=message_id),
        mandatory=True,
    )


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = parse_args(argv)
    body = message_body(args.message)
    connection = connect(args.url)
    channel = connection.channel()
    declare_task_queue(channel, args.queue, args.durable, args.queue_type,
                       args.dead_letter_queue)
    if args.confirm:
        channel.confirm_delivery()
    send(channel, args.queue, body, args.persistent)
    print(f" [x] Sent {shown(body)}")
    connection.close()


def message_body(words: Sequence[str]) -> bytes:
    """The words joined by spaces, as bytes; "Hello World!" when there are none."""
    if not words:
        return b"Hello World!"
    # surrogateescape gives back the exact bytes typed, even if they are not UTF-8
    text = " ".join(words)
    body = text.encode("utf-8", "surrogateescape")
    if not text.strip():  # blank: only spaces, of any kind
        raise WorkQueueError("the message is empty; give the task some text, e.g. 'A task...'")
    return body


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = OneLineParser(description="Send a task to the work queue.")
    parser.add_argument("message", nargs="*", help="the task; each dot is a second of work")
    add_queue_options(parser)
    parser.add_argument("--confirm", action="store_true",
                        help="wait for the broker to confirm the message (publisher confirms)")
    parser.add_argument("--persistent", action=argparse.BooleanOptionalAction, default=True,
                        help="--no-persistent (or --transient) sends a transient message")
    parser.add_argument("--transient", dest="persistent", action="store_false",
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.dead_letter_queue is not None and args.dead_letter_queue == args.queue:
        parser.error("--dead-letter-queue must name another queue than --queue")
    return args


if __name__ == "__main__":
    try:
        main()
    except WorkQueueError as error:
        sys.exit(f"error: {one_line(str(error))}")
    except (pika.exceptions.UnroutableError, pika.exceptions.NackError) as error:
        sys.exit(f"error: the broker did not take the message ({type(error).__name__})")
