"""Real worker processes on the real broker: dispatch, kills, acks, cleanup."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pika
import pika.exceptions
import psutil
import pytest

from children import ctrl_c_works

from workqueue_helpers.demo.run import Run

pytestmark = pytest.mark.broker

TUTORIAL_TASKS = ["First message.", "Second message..", "Third message...",
                  "Fourth message....", "Fifth message....."]
FAST = 0.1  # seconds per dot in these tests


def test_round_robin_follows_start_order(broker, queue):
    with Run(broker.url, queue) as workers:
        workers.start(2, seconds_per_dot=FAST)
        workers.publish(TUTORIAL_TASKS)
        assert workers.wait_until_done(timeout=30)
    assert workers.timeline.tasks_by_worker() == {"worker1": [1, 3, 5], "worker2": [2, 4]}
    assert workers.timeline.lost() == []
    screens = workers.screens()
    assert screens["worker2"].splitlines() == [
        " [*] Waiting for messages. To exit press CTRL+C",
        " [x] Received 'Second message..'", " [x] Done",
        " [x] Received 'Fourth message....'", " [x] Done",
        "Interrupted"]


def test_kill_with_manual_ack_redelivers_to_the_other_worker(broker, queue):
    with Run(broker.url, queue) as workers:
        workers.start(2, seconds_per_dot=FAST)
        workers.publish(TUTORIAL_TASKS)
        workers.kill("worker1", while_working_on="Third message...", after=0.1)
        assert workers.wait_until_done(timeout=30)
    attempts = workers.timeline.attempts()
    third = [a for a in attempts if a.number == 3]
    assert [(a.worker, a.redelivered, a.outcome) for a in third] == [
        ("worker1", False, "killed"), ("worker2", True, "done")]
    assert workers.timeline.lost() == []
    # worker1 also held task 5 (dispatched to it, not yet started): it comes back too.
    assert workers.timeline.tasks_by_worker() == {"worker1": [1, 3], "worker2": [2, 4, 3, 5]}


def test_kill_with_auto_ack_loses_the_current_and_the_dispatched_tasks(broker, queue):
    with Run(broker.url, queue) as workers:
        workers.start(2, auto_ack=True, seconds_per_dot=FAST)
        workers.publish(TUTORIAL_TASKS)
        workers.kill("worker1", while_working_on="Third message...", after=0.1)
        assert not workers.wait_until_done(timeout=30)
    assert workers.timeline.lost() == [3, 5]
    assert workers.timeline.tasks_by_worker() == {"worker1": [1, 3], "worker2": [2, 4]}
    assert not any(a.redelivered for a in workers.timeline.attempts())


def test_long_task_survives_short_heartbeat(broker, queue):
    """A task lasting several heartbeat intervals is done once, with no redelivery."""
    url = broker.url + ("&" if "?" in broker.url else "?") + "heartbeat=1"
    with Run(url, queue) as workers:
        workers.start(1, seconds_per_dot=1.0)
        workers.publish(["Long task....."])  # 5 s = 5 heartbeat intervals
        assert workers.wait_until_done(timeout=30)
        time.sleep(0.5)
        assert workers.workers["worker1"].alive
    (task,) = workers.timeline.published()
    kinds = [(e.kind, e.redelivered) for e in workers.timeline.events if e.task == task]
    # The worker may receive the task a moment before the publisher hears the broker's confirm.
    assert ("published", False) in kinds
    # The ack is the callback's last line; "done" is recorded when the callback returns.
    assert [kind for kind in kinds if kind[0] != "published"] == [
        ("received", False), ("acked", False), ("done", False)]
    assert not any("error" in line for line in workers.screens()["worker1"].splitlines())


def test_absurd_and_empty_and_non_utf8_messages_are_done_not_crashed(broker, queue):
    with Run(broker.url, queue) as workers:
        workers.start(1, seconds_per_dot=FAST, options=["--max-seconds", "0.3"])
        workers.publish([b"", b"\xff\xfe..", "." * 1_000_000, "After."])
        assert workers.wait_until_done(timeout=30)
        assert workers.workers["worker1"].alive
        assert broker.queue_counts(queue).ready == 0
    screen = workers.screens()["worker1"]
    assert " [x] Received ''" in screen
    assert " [x] Received b'\\xff\\xfe..'" in screen
    assert " [!] this task asks for 100000 s of work; doing 0.3 s (--max-seconds)" in screen
    assert screen.count(" [x] Done") == 4
    assert all(a.outcome == "done" for a in workers.timeline.attempts())


def test_tasks_with_the_same_text_are_two_tasks(broker, queue):
    with Run(broker.url, queue) as workers:
        workers.start(2, seconds_per_dot=FAST)
        workers.publish(["Same task.", "Same task."])
        assert workers.wait_until_done(timeout=30)
    assert workers.timeline.tasks_by_worker() == {"worker1": [1], "worker2": [2]}
    assert workers.timeline.published() == ["task-1", "task-2"]


def test_a_forgotten_ack_is_not_done(broker, queue):
    with Run(broker.url, queue) as workers:
        workers.start(1, seconds_per_dot=0, options=["--forget-ack"])
        workers.publish(["One.", "Two."])
        assert not workers.wait_until_done(timeout=10)
        assert workers.done_count == 0
        timeline = workers.timeline
        assert [a.outcome for a in timeline.attempts()] == ["not acked", "not acked"]
        assert timeline.unacknowledged() == [1, 2] and timeline.completed() == []
        assert timeline.lost() == []


def test_stopping_a_busy_worker_is_stopped_not_killed(broker, queue):
    with Run(broker.url, queue) as workers:
        workers.start(1, seconds_per_dot=1.0)
        workers.publish(["Slow task....."])
        workers._wait_for(lambda: workers.workers["worker1"].current_task is not None, 10)
        workers.stop()
    (attempt,) = workers.timeline.attempts()
    assert attempt.outcome == "stopped"
    assert [(worker, how) for worker, _, how in workers.timeline.worker_ends()] == [
        ("worker1", "stopped")]


def test_published_is_stamped_after_the_interval_and_only_for_what_the_broker_took(broker, queue):
    def messages():
        yield "Taken."
        connection = pika.BlockingConnection(pika.URLParameters(broker.url))
        connection.channel().queue_delete(queue)  # the next message has nowhere to go
        connection.close()
        yield "Unroutable."

    workers = Run(broker.url, queue)
    with pytest.raises(pika.exceptions.UnroutableError):
        workers.publish(messages())
    assert [e.label for e in workers.timeline.events] == ["Taken."]
    assert workers.published_count == 1

    spaced = Run(broker.url, queue)
    spaced.publish(["One.", "Two."], interval=0.3)
    first, second = [e.t for e in spaced.timeline.events]
    assert second - first >= 0.3


def test_worker_that_cannot_start_reports_its_error(broker, queue):
    connection = pika.BlockingConnection(pika.URLParameters(broker.url))
    connection.channel().queue_declare(queue, durable=True)  # a classic durable queue
    connection.close()
    workers = Run(broker.url, queue, queue_type="classic", durable=False)
    with pytest.raises(Exception, match="already exists with durable=true"):
        workers.start(1)
    workers.stop()


PARENT = textwrap.dedent("""
    import sys, time
    from workqueue_helpers.demo.run import Run
    workers = Run(sys.argv[1], sys.argv[2])
    workers.start(2)
    print(" ".join(str(w.process.pid) for w in workers.workers.values()), flush=True)
    time.sleep(600)
""")


def start_parent(url: str, queue: str) -> tuple:
    parent = subprocess.Popen([sys.executable, "-c", PARENT, url, queue], stdout=subprocess.PIPE,
                              preexec_fn=ctrl_c_works)
    pids = [int(p) for p in parent.stdout.readline().split()]
    assert len(pids) == 2 and all(psutil.pid_exists(p) for p in pids)
    return parent, pids


def gone_within(pids, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = [p for p in pids if psutil.pid_exists(p)
                 and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]
        if not alive:
            return True
        time.sleep(0.05)
    return False


def test_sigkill_of_the_parent_leaves_no_worker_alive(broker, queue):
    parent, pids = start_parent(broker.url, queue)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    assert gone_within(pids, 2.0)


def test_interrupt_of_the_process_group_stops_workers(broker, queue):
    """Jupyter's "Interrupt kernel" sends SIGINT to the kernel's process group."""
    parent = subprocess.Popen([sys.executable, "-c", PARENT, broker.url, queue],
                              stdout=subprocess.PIPE, start_new_session=True,
                              preexec_fn=ctrl_c_works)
    pids = [int(p) for p in parent.stdout.readline().split()]
    os.killpg(parent.pid, signal.SIGINT)
    assert gone_within(pids, 2.0)
    parent.wait(5)
