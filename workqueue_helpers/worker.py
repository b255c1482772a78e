"""The worker of tutorial 2: take tasks from the queue and do them.

    python -m workqueue_helpers.worker

A task's work is to sleep one second for each dot in its message.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Optional, Sequence

import pika
import pika.exceptions

from workqueue_helpers.connection import (OneLineParser, WorkQueueError, add_queue_options,
                                          one_line,
                                          connect, declare_task_queue, explain_broker_refusal,
                                          non_negative_seconds, where)
from workqueue_helpers.record.events import (ACKED, AUTO_ACK, CONSUMING, DISCONNECTED, DONE,
                                             RECEIVED, REJECTED, record, shown, task_id,
                                             task_label)

MAX_PREFETCH = 65535  # prefetch_count is a 16-bit number in AMQP


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = parse_args(argv)
    connection = connect(args.url)
    while True:
        try:
            consume(connection, args)
            return
        except pika.exceptions.AMQPConnectionError:
            record(DISCONNECTED, args.name)
            print(" [!] Connection lost; reconnecting")
            connection = reconnect(args)


def consume(connection: pika.BlockingConnection, args: argparse.Namespace) -> None:
    channel = connection.channel()
    declare_task_queue(channel, args.queue, args.durable, args.queue_type,
                       args.dead_letter_queue)

    def callback(ch, method, properties, body: bytes) -> None:
        task = task_id(properties.message_id, body)
        print(f" [x] Received {shown(body)}")
        record(RECEIVED, args.name, task, task_label(body), method.redelivered)
        ch.connection.sleep(work_seconds(body, args))  # not time.sleep: see below
        if args.reject_if and args.reject_if.encode() in body:
            print(" [!] Cannot do this task: rejected" + (", requeued" if args.requeue else ""))
            ch.basic_reject(delivery_tag=method.delivery_tag, requeue=args.requeue)
            record(REJECTED, args.name, task, detail=str(args.requeue))
            return
        print(" [x] Done")
        record(DONE, args.name, task, detail=AUTO_ACK if args.auto_ack else "")
        if not args.auto_ack and not args.forget_ack:
            record(ACKED, args.name, task)  # before: a kill between the two must not hide an ack
            ch.basic_ack(delivery_tag=method.delivery_tag)

    if args.prefetch > 0:
        channel.basic_qos(prefetch_count=args.prefetch)
    channel.basic_consume(queue=args.queue, on_message_callback=callback,
                          auto_ack=args.auto_ack)
    print(" [*] Waiting for messages. To exit press CTRL+C")
    record(CONSUMING, args.name)
    try:
        channel.start_consuming()
    except pika.exceptions.ChannelClosedByBroker as error:
        raise WorkQueueError(explain_broker_refusal(error.reply_code, error.reply_text)) from None
    print(" [*] The broker cancelled this consumer (was the queue deleted?)")


# Why ch.connection.sleep and not time.sleep? pika's BlockingConnection does
# no network I/O while a callback runs. A task longer than two heartbeat
# intervals would then look like a dead client: the broker closes the
# connection and gives the task to someone else. connection.sleep waits the
# same time while still answering heartbeats. Real (CPU) work would run in a
# thread and ack with connection.add_callback_threadsafe.


def work_seconds(body: bytes, args: argparse.Namespace) -> float:
    """One ``--seconds-per-dot`` for each dot, capped at ``--max-seconds``."""
    seconds = body.count(b".") * args.seconds_per_dot
    if seconds > args.max_seconds:
        print(f" [!] this task asks for {seconds:g} s of work; "
              f"doing {args.max_seconds:g} s (--max-seconds)")
        return args.max_seconds
    return seconds


def reconnect(args: argparse.Namespace) -> pika.BlockingConnection:
    """Try to connect again every half second, for up to ``--reconnect-seconds``."""
    deadline = time.monotonic() + args.reconnect_seconds
    while True:
        time.sleep(0.5)
        try:
            connection = connect(args.url)
            print(" [*] Reconnected")
            return connection
        except WorkQueueError:
            if time.monotonic() > deadline:
                raise WorkQueueError(f"lost the connection to RabbitMQ at {where(args.url)} and "
                                     f"could not reconnect within {args.reconnect_seconds:g} s"
                                     ) from None


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = OneLineParser(description="Do tasks from the work queue.")
    add_queue_options(parser)
    parser.add_argument("--auto-ack", action="store_true",
                        help="let the broker forget a task as soon as it is sent (no_ack=True)")
    parser.add_argument("--prefetch", type=int, default=0,
                        help="most unacknowledged tasks at once (0 = no limit)")
    parser.add_argument("--seconds-per-dot", type=non_negative_seconds, default=1.0)
    parser.add_argument("--max-seconds", type=non_negative_seconds, default=60.0,
                        help="longest a single task may work (default 60)")
    parser.add_argument("--reconnect-seconds", type=non_negative_seconds, default=60.0,
                        help="how long to keep trying after losing the broker (default 60)")
    parser.add_argument("--name", default="worker", help="name used in the notebook's records")
    mistakes = parser.add_argument_group("deliberate mistakes, for lesson 2")
    mistakes.add_argument("--forget-ack", action="store_true",
                          help="do the work but never acknowledge it (a bug)")
    mistakes.add_argument("--reject-if", metavar="TEXT",
                          help="reject each task whose message contains TEXT")
    mistakes.add_argument("--requeue", action=argparse.BooleanOptionalAction, default=True,
                          help="whether a rejected task goes back to the queue (default: yes)")
    args = parser.parse_args(argv)
    if not 0 <= args.prefetch <= MAX_PREFETCH:
        parser.error(f"--prefetch must be from 0 (no limit) to {MAX_PREFETCH} "
                     "(prefetch_count is a 16-bit number in AMQP)")
    if args.dead_letter_queue is not None and args.dead_letter_queue == args.queue:
        parser.error("--dead-letter-queue must name another queue than --queue")
    if args.auto_ack and (args.reject_if or args.forget_ack):
        parser.error("with --auto-ack there is nothing to reject or to forget to acknowledge")
    return args


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("Interrupted")
        sys.exit(0)
    except WorkQueueError as error:
        sys.exit(f"error: {one_line(str(error))}")
