"""The command lines of new_task.py and worker.py: their options, checked.

The two programs read their settings here, so that the code a learner reads
in them is the tutorial's: connect, declare, publish or consume.
"""

from __future__ import annotations

import argparse
from typing import Optional, Sequence

import pika

from workqueue_helpers.connection import (OneLineParser, WorkQueueError, add_queue_options,
                                          default_url, non_negative_seconds, url_parameters)

MAX_PREFETCH = 65535  # prefetch_count is a 16-bit number in AMQP


def new_task_options(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """new_task.py's options; ``message`` is the task's body as bytes."""
    parser = OneLineParser(description="Send a task to the work queue.")
    parser.add_argument("message", nargs="*", help="the task; each dot is a second of work")
    add_queue_options(parser)
    parser.add_argument("--confirm", action="store_true",
                        help="wait for the broker to confirm the message (publisher confirms), "
                             "and fail if no queue takes it")
    parser.add_argument("--persistent", action=argparse.BooleanOptionalAction, default=True,
                        help="--no-persistent (or --transient) sends a transient message")
    parser.add_argument("--transient", dest="persistent", action="store_false",
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    _check_dead_letter_queue(parser, args)
    try:
        args.message = message_body(args.message)
    except WorkQueueError as error:
        parser.exit(1, f"error: {error}\n")
    args.arguments = queue_arguments(args)
    args.delivery_mode = (pika.DeliveryMode.Persistent if args.persistent
                          else pika.DeliveryMode.Transient)
    return args


def worker_options(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """worker.py's options, and the harness's (see harness.py)."""
    parser = OneLineParser(description="Do tasks from the work queue.")
    add_queue_options(parser)
    parser.add_argument("--auto-ack", action="store_true",
                        help="let the broker forget a task as soon as it is sent (no_ack=True)")
    parser.add_argument("--prefetch", type=int, default=0,
                        help="most unacknowledged tasks at once (0 = no limit)")
    parser.add_argument("--seconds-per-dot", type=non_negative_seconds, default=1.0)
    harness = parser.add_argument_group("run around the worker by harness.py")
    harness.add_argument("--max-seconds", type=non_negative_seconds, default=60.0,
                         help="longest a single task may work (default 60)")
    harness.add_argument("--reconnect-seconds", type=non_negative_seconds, default=60.0,
                         help="how long to keep trying after losing the broker (default 60)")
    harness.add_argument("--name", default="worker", help="name used in the notebook's records")
    mistakes = parser.add_argument_group("deliberate mistakes, for lesson 2 (made by harness.py)")
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
    _check_dead_letter_queue(parser, args)
    if args.auto_ack and (args.reject_if or args.forget_ack):
        parser.error("with --auto-ack there is nothing to reject or to forget to acknowledge")
    args.arguments = queue_arguments(args)
    return args


def cluster_worker_options(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """cluster_worker.py's options (lesson 6): one ``--url`` per node, in ``args.urls``,
    and the harness's options."""
    parser = OneLineParser(description="Do tasks from a quorum queue on a cluster.")
    add_queue_options(parser, several_urls=True)
    parser.add_argument("--seconds-per-dot", type=non_negative_seconds, default=1.0)
    harness = parser.add_argument_group("run around the worker by harness.py")
    harness.add_argument("--max-seconds", type=non_negative_seconds, default=60.0,
                         help="longest a single task may work (default 60)")
    harness.add_argument("--name", default="worker", help="name used in the notebook's records")
    args = parser.parse_args(argv)
    args.urls = _checked_urls(parser, args.urls)
    return args


def cluster_new_task_options(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """cluster_new_task.py's options (lesson 6): the tasks, one ``--url`` per node
    (``args.urls``) and the pause between two tasks."""
    parser = OneLineParser(description="Send tasks to a quorum queue on a cluster, with confirms.")
    parser.add_argument("tasks", nargs="+", help="one argument per task; each dot is a second of work")
    add_queue_options(parser, several_urls=True)
    parser.add_argument("--interval", type=non_negative_seconds, default=0.0,
                        help="seconds to wait between two tasks (default 0)")
    parser.add_argument_group("run around the producer by harness.py").add_argument(
        "--name", default="producer", help="name used in the notebook's records")
    args = parser.parse_args(argv)
    args.urls = _checked_urls(parser, args.urls)
    try:
        args.tasks = [message_body([task]) for task in args.tasks]
    except WorkQueueError as error:
        parser.exit(1, f"error: {error}\n")
    return args


def _checked_urls(parser: argparse.ArgumentParser, urls: Optional[Sequence[str]]) -> list:
    """Each ``--url`` (the default broker if none), checked to be an AMQP URL."""
    urls = list(urls or [default_url()])
    for url in urls:
        try:
            url_parameters(url)
        except WorkQueueError as error:
            parser.error(f"--url: {error}")
    return urls


def _check_dead_letter_queue(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if args.dead_letter_queue is not None and args.dead_letter_queue == args.queue:
        parser.error("--dead-letter-queue must name another queue than --queue")


def queue_arguments(args: argparse.Namespace) -> Optional[dict]:
    """The ``arguments`` of the task queue's declaration: its type, its dead-letter queue."""
    arguments = {"x-queue-type": args.queue_type} if args.queue_type != "classic" else {}
    if args.dead_letter_queue:
        arguments.update({"x-dead-letter-exchange": "",
                          "x-dead-letter-routing-key": args.dead_letter_queue})
    return arguments or None


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
