"""One lesson's broker, runs and cleanup: what a notebook's setup cell creates.

    lesson = Lesson("lesson01")            # finds or starts a broker, says which
    run = lesson.new_run()                 # fresh workers on a fresh queue
    ...
    lesson.finish()                        # stops workers, deletes the queues

Queues are named after the learner and the lesson: ``alice-4242.lesson01.tasks``,
where ``alice`` is the environment variable WORKQUEUE_LEARNER (else the login
name) and 4242 the kernel's process id. So a class can share one broker: no
two running lessons share a queue, and a teacher can tell in the management
UI whose queue is whose. A queue is deleted before it is used, so a cell can
be rerun, and again when the lesson finishes. If the kernel dies first, a
small janitor process deletes them (see janitor.py).
"""

from __future__ import annotations

import atexit
import getpass
import os
import re
import shutil
import subprocess
import sys
import tempfile
from typing import List, Optional

from workqueue_helpers.broker import management
from workqueue_helpers.broker.base import Broker
from workqueue_helpers.broker.cluster import Cluster
from workqueue_helpers.broker.find import get_broker, get_cluster
from workqueue_helpers.broker.queues import delete_queues
from workqueue_helpers.demo.janitor import EXERCISE_FOLDER_PREFIX
from workqueue_helpers.demo.janitor import FINISHED as JANITOR_FINISHED
from workqueue_helpers.demo.janitor import URL_VARIABLE as JANITOR_URL_VARIABLE
from workqueue_helpers.demo.run import Run
from workqueue_helpers.language import translated


LEARNER_VARIABLE = "WORKQUEUE_LEARNER"


def learner_tag() -> str:
    """Whose queues these are: WORKQUEUE_LEARNER, else the login name, then this
    process's id (``alice-4242``); only letters, digits, ``_`` and ``-``."""
    try:
        name = os.environ.get(LEARNER_VARIABLE) or getpass.getuser()
    except (KeyError, OSError):  # no login name (a container's nameless user)
        name = ""
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")[:24] or "learner"
    return f"{name}-{os.getpid()}"


def exercise_folder_path(lesson_name: str, owner_pid: int) -> str:
    """Where a lesson's exercise files go while the kernel ``owner_pid`` runs."""
    return os.path.join(tempfile.gettempdir(), f"{EXERCISE_FOLDER_PREFIX}{owner_pid}-{lesson_name}")


class Lesson:
    """The broker a lesson uses and every run of workers it started."""

    def __init__(self, name: str, *, owned_broker: bool = False, management_ui: bool = False,
                 cluster_size: int = 0, quiet: bool = False) -> None:
        self.name = name
        self.prefix = f"{learner_tag()}.{name}"   # every queue's name starts with it
        # owned_broker: a private node of the lesson's own, with the management UI only if
        # management_ui (a learner opens it); cluster_size: a cluster of that many (lesson 6).
        self.broker: Broker = (get_cluster(cluster_size) if cluster_size
                               else get_broker(owned=owned_broker, management=management_ui))
        self.runs: List[Run] = []
        self.queues: List[str] = []
        self._janitor = subprocess.Popen(
            [sys.executable, "-m", "workqueue_helpers.demo.janitor"], stdin=subprocess.PIPE,
            env=dict(os.environ, **{JANITOR_URL_VARIABLE: self.broker.url}),
            start_new_session=True, text=True)
        atexit.register(self.finish)
        if not quiet:
            print(translated("Broker: ") + self.broker.describe())
            print(self.management_note())

    def new_run(self, queue: str = "tasks", *, queue_type: str = "quorum",
                dead_letter_queue: Optional[str] = None) -> Run:
        """Workers on a freshly declared queue ``<learner>.<lesson>.<queue>``.

        Runs still going on that queue are stopped first. A dead-letter queue
        is named the same way (``<learner>.<lesson>.<dead_letter_queue>``).
        """
        full_name = f"{self.prefix}.{queue}"
        for run in self.runs:
            if run.queue == full_name:
                run.stop()
        self._start_fresh(full_name)
        dead_letters = f"{self.prefix}.{dead_letter_queue}" if dead_letter_queue else None
        if dead_letters:
            self._start_fresh(dead_letters)
        urls = self.broker.urls if isinstance(self.broker, Cluster) else ()
        run = Run(self.broker.url, full_name, queue_type=queue_type,
                  dead_letter_queue=dead_letters, urls=urls)
        self.runs.append(run)
        return run

    def queue(self, suffix: str) -> str:
        """The name ``<learner>.<lesson>.<suffix>`` for a queue the lesson declares
        itself; any old queue of that name is deleted now, and this one at the end."""
        name = f"{self.prefix}.{suffix}"
        self._start_fresh(name)
        return name

    def management_note(self) -> str:
        """One line: where the broker's management UI is and who logs in, or how to get one."""
        base = self.broker.management_ui()
        if base is None and self.broker.kind == "private":
            return "This lesson's own node runs without the management UI: it restarts faster."
        if base is None:
            return translated(management.HOW_TO_ENABLE)
        return f"Management UI: {base}/ (log in as {self.broker.user!r}; your queues start with {self.prefix})"

    def show_queue_page(self, queue: str) -> None:
        """Print the link to ``queue``'s page in the management UI, where its ready and
        unacked counts move as the workers run (or how to get the UI). ``queue`` is a
        full name, or the last part of one, as ``new_run`` takes it ("tasks")."""
        if not queue.startswith(self.prefix + "."):
            queue = f"{self.prefix}.{queue}"
        base = self.broker.management_ui()
        if base is None:
            print(translated(management.HOW_TO_ENABLE))
        else:
            print(f"Watch {queue} in RabbitMQ's management UI: "
                  f"{management.queue_page(base, self.broker.vhost, queue)}")

    def _start_fresh(self, queue: str) -> None:
        """Delete ``queue`` now, and make sure it is deleted when the lesson ends."""
        delete_queues(self.broker.url, [queue])
        if queue not in self.queues:
            self.queues.append(queue)
            self._tell_janitor(queue)

    def _tell_janitor(self, queue: str) -> None:
        if self._janitor.poll() is None and self._janitor.stdin is not None:
            self._janitor.stdin.write(queue + "\n")
            self._janitor.stdin.flush()

    def exercise_folder(self) -> str:
        """A folder for the files the learner writes in exercises; removed when the
        lesson finishes, or by the janitor if the kernel dies."""
        folder = exercise_folder_path(self.name, os.getpid())
        os.makedirs(folder, exist_ok=True)
        return folder

    def intrinsic_seconds(self) -> float:
        """The sum of every run's ``Timeline.intrinsic_makespan``: the time the lesson's
        sleeps alone would take (for the benchmark)."""
        return sum(run.timeline.intrinsic_makespan(run.seconds_per_dot()) for run in self.runs)

    def finish(self, quiet: bool = True) -> None:
        """Stop every worker and delete every queue this lesson used (a cluster of the
        lesson's own is stopped instead, its queues with it)."""
        for run in self.runs:
            run.stop()
        cluster = isinstance(self.broker, Cluster)
        if self.queues and not cluster and not self.broker.stopped:
            delete_queues(self.broker.url, self.queues)
        shutil.rmtree(exercise_folder_path(self.name, os.getpid()), ignore_errors=True)
        stdin = self._janitor.stdin
        if stdin is not None and not stdin.closed:
            # The queues are deleted (or went with their cluster): the janitor has only the
            # folders of dead kernels to clean up. Had the deletion failed, it would delete them.
            self._tell_janitor(JANITOR_FINISHED)
            stdin.close()
            self._janitor.wait(10)
        if cluster:
            self.broker.stop()  # three nodes hold about 400 MB: free them now
        if not quiet:
            # No count of workers: lesson 5 replaces as many as its run allows.
            if cluster:
                print(translated("Stopped every worker, and the cluster's {count} nodes with their "
                                 "queues: {queues}").format(count=len(self.broker.nodes),
                                                            queues=", ".join(self.queues) or translated("none")))
            else:
                print(translated("Stopped every worker; deleted queues: {queues}").format(
                    queues=", ".join(self.queues) or translated("none")))
        atexit.unregister(self.finish)
