"""A lesson cleans up after itself: on finish, on rerun, and when its kernel is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from workqueue_helpers.broker.scratch import pid_alive
from workqueue_helpers.broker.counts import passive_counts
from workqueue_helpers.demo.lesson import Lesson, learner_tag

pytestmark = pytest.mark.broker


def queue_exists(broker, name: str) -> bool:
    return broker.queue_counts(name) is not None


def ready_count(broker, name: str) -> int:
    return passive_counts(broker.url, name).ready


def test_finish_stops_workers_and_deletes_queues(broker):
    lesson = Lesson("test-lesson-finish", quiet=True)
    run = lesson.new_run()
    run.start("step2/worker.py")
    pid = run.children["worker1"].process.pid
    assert queue_exists(broker, run.queue)
    lesson.finish()
    assert not pid_alive(pid)
    assert not queue_exists(broker, run.queue)


def test_a_new_run_starts_from_an_empty_queue(broker):
    lesson = Lesson("test-lesson-rerun", quiet=True)
    try:
        first = lesson.new_run()
        first.publish(["Left over.", "Also left over."])  # no worker: they stay in the queue
        assert ready_count(broker, first.queue) == 2
        second = lesson.new_run()
        second.start("step2/worker.py", seconds_per_dot=0)
        second.publish(["Fresh."])
        assert second.wait_until_done(timeout=20)
        assert second.timeline.tasks_by_worker() == {"worker1": [1]}
    finally:
        lesson.finish()


KERNEL = textwrap.dedent("""
    from workqueue_helpers.demo.lesson import Lesson, learner_tag
    lesson = Lesson("test-lesson-killed", quiet=True)
    run = lesson.new_run()
    run.start("step2/worker.py", 2)
    run.publish(["Slow task.........."])
    print(run.queue, *(w.process.pid for w in run.children.values()), flush=True)
    import time; time.sleep(600)
""")


def test_killed_kernel_leaves_no_worker_and_no_queue(broker):
    kernel = subprocess.Popen([sys.executable, "-c", KERNEL], stdout=subprocess.PIPE)
    queue, *pids = kernel.stdout.readline().decode().split()
    pids = [int(p) for p in pids]
    assert queue_exists(broker, queue)
    kernel.send_signal(signal.SIGKILL)
    kernel.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        alive = [p for p in pids if pid_alive(p)]
        if not alive and not queue_exists(broker, queue):
            break
        time.sleep(0.1)
    assert not alive, "workers outlived their kernel"
    assert not queue_exists(broker, queue), "the janitor did not delete the queue"


def test_queue_names_tell_whose_they_are(monkeypatch):
    monkeypatch.setenv("WORKQUEUE_LEARNER", "Zoë van Dijk")
    assert learner_tag() == f"Zo-van-Dijk-{os.getpid()}"
    monkeypatch.setenv("WORKQUEUE_LEARNER", "")
    assert learner_tag().endswith(f"-{os.getpid()}") and "." not in learner_tag()
