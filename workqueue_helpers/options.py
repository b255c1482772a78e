"""The command lines of ``python -m workqueue_helpers.worker`` and ``.new_task``: their options, checked.

Both run a step program of the tutorial (see ``programs.py``) under the
harness; these options say which program, and what its environment and the
harness's instruments are.
"""

from __future__ import annotations

import argparse
from typing import Optional, Sequence

from workqueue_helpers.connection import (DEFAULT_QUEUE, OneLineParser, WorkQueueError, default_url,
                                          non_negative_seconds, queue_name, url_parameters)
from workqueue_helpers.harness import harness_options, prefetch_count


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", default=default_url(),
                        help="broker URL (default: $RABBITMQ_URL or the local guest broker)")
    parser.add_argument("--queue", type=queue_name, default=DEFAULT_QUEUE)
    parser.add_argument("--queue-type", choices=["classic", "quorum"], default="quorum",
                        help="quorum, as the tutorial declares it (default), or classic")


def _checked(parser: argparse.ArgumentParser, args: argparse.Namespace) -> argparse.Namespace:
    try:
        url_parameters(args.url)
    except WorkQueueError as error:
        parser.error(f"--url: {error}")
    return args


def new_task_options(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """new_task's options; ``message`` is the list of words of the task."""
    parser = OneLineParser(description="Send a task to the work queue (the tutorial's final new_task.py).")
    parser.add_argument("message", nargs="*", help="the task; each dot is a second of work")
    _common(parser)
    parser.add_argument("--name", default="producer", help="name used in the notebook's records")
    args = _checked(parser, parser.parse_args(argv))
    text = " ".join(args.message)
    if args.message and not text.strip():  # blank: only spaces, of any kind
        parser.exit(1, "error: the message is empty; give the task some text, e.g. 'A task...'\n")
    return args


def worker_options(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """worker's options, and the harness's."""
    parser = OneLineParser(description="Do tasks from the work queue (the tutorial's worker.py).")
    _common(parser)
    parser.add_argument("--auto-ack", action="store_true",
                        help="lesson 1's worker: the broker forgets a task as soon as it is sent")
    parser.add_argument("--prefetch", type=prefetch_count, default=0,
                        help="most unacknowledged tasks at once (default 0: no limit, lesson 2's "
                             "worker; 1 is the tutorial's final worker)")
    parser.add_argument("--seconds-per-dot", type=non_negative_seconds, default=1.0)
    harness_options(parser)
    return _checked(parser, parser.parse_args(argv))
