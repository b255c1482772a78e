"""Delete a lesson's queues when the notebook's kernel goes away, however it goes.

The lesson starts this as a separate process and writes each queue name it
creates to the janitor's stdin. When stdin reaches end-of-file (the kernel
exited, or was killed with SIGKILL), the janitor deletes those queues and
exits, and removes the scratch folder of any private node whose kernel has
gone. The broker URL comes in the environment, not in argv, so that ``ps``
never shows a password.
"""

from __future__ import annotations

import os
import sys

import pika.exceptions

from workqueue_helpers.broker.queues import delete_queues
from workqueue_helpers.broker.scratch import remove_stale_scratch_folders
from workqueue_helpers.connection import WorkQueueError

URL_VARIABLE = "WORKQUEUE_JANITOR_URL"  # set by lesson.py


def main() -> None:
    url = os.environ[URL_VARIABLE]
    queues = [line.strip() for line in sys.stdin if line.strip()]
    try:
        delete_queues(url, sorted(set(queues)))
    except (WorkQueueError, pika.exceptions.AMQPError):
        pass  # the broker went away too (a private node dies with the kernel)
    remove_stale_scratch_folders()


if __name__ == "__main__":
    main()
