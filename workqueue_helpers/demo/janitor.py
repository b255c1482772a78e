"""Delete a lesson's queues when the notebook's kernel goes away, however it goes.

The lesson starts this as a separate process and writes each queue name it
creates to the janitor's stdin. When stdin reaches end-of-file (the kernel
exited, or was killed with SIGKILL), the janitor deletes those queues and
exits, and removes the scratch folder of any private node, and the exercise
folder of any lesson, whose kernel has gone. The broker URL comes in the environment, not in argv, so that ``ps``
never shows a password.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

import pika.exceptions

from workqueue_helpers.broker.queues import delete_queues
from workqueue_helpers.broker.scratch import pid_alive, remove_stale_scratch_folders
from workqueue_helpers.connection import WorkQueueError

URL_VARIABLE = "WORKQUEUE_JANITOR_URL"  # set by lesson.py
EXERCISE_FOLDER_PREFIX = "workqueue-exercises-"  # /tmp/workqueue-exercises-<kernel pid>-<lesson>


def main() -> None:
    url = os.environ[URL_VARIABLE]
    queues = [line.strip() for line in sys.stdin if line.strip()]
    try:
        delete_queues(url, sorted(set(queues)))
    except (WorkQueueError, pika.exceptions.AMQPError):
        pass  # the broker went away too (a private node dies with the kernel)
    remove_stale_scratch_folders()
    remove_stale_exercise_folders()


def remove_stale_exercise_folders() -> None:
    """Remove the exercise folders of lessons whose kernel has gone (see lesson.py)."""
    base = tempfile.gettempdir()
    for name in os.listdir(base):
        prefix = EXERCISE_FOLDER_PREFIX
        owner = name[len(prefix):].split("-")[0] if name.startswith(prefix) else ""
        if owner.isdigit() and not pid_alive(int(owner)):
            shutil.rmtree(os.path.join(base, name), ignore_errors=True)


if __name__ == "__main__":
    main()
