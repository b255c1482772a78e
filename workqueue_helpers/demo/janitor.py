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

URL_VARIABLE = "WORKQUEUE_JANITOR_URL"  # set by lesson.py
EXERCISE_FOLDER_PREFIX = "workqueue-exercises-"  # /tmp/workqueue-exercises-<kernel pid>-<lesson>
# The lesson's last line when it deleted its queues itself (Lesson.finish). A queue of a
# lesson is named <learner>.<lesson>.<name>, with dots: it is never this.
FINISHED = "finished"


def main() -> None:
    # Nothing is imported before stdin ends: most lessons finish, and then pika is not needed.
    lines = [line.strip() for line in sys.stdin if line.strip()]
    queues = sorted({line for line in lines if line != FINISHED})
    if queues and lines[-1] != FINISHED:
        _delete(os.environ[URL_VARIABLE], queues)
    from workqueue_helpers.broker.scratch import remove_stale_scratch_folders

    remove_stale_scratch_folders()
    remove_stale_exercise_folders()


def _delete(url: str, queues: list) -> None:
    import pika.exceptions

    from workqueue_helpers.broker.queues import delete_queues
    from workqueue_helpers.connection import WorkQueueError

    try:
        delete_queues(url, queues)
    except (WorkQueueError, pika.exceptions.AMQPError):
        pass  # the broker went away too (a private node dies with the kernel)


def remove_stale_exercise_folders() -> None:
    """Remove the exercise folders of lessons whose kernel has gone (see lesson.py)."""
    from workqueue_helpers.broker.scratch import pid_alive

    base = tempfile.gettempdir()
    for name in os.listdir(base):
        prefix = EXERCISE_FOLDER_PREFIX
        owner = name[len(prefix):].split("-")[0] if name.startswith(prefix) else ""
        if owner.isdigit() and not pid_alive(int(owner)):
            shutil.rmtree(os.path.join(base, name), ignore_errors=True)


if __name__ == "__main__":
    main()
