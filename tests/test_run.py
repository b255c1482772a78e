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

from workqueue_helpers.broker.counts import QueueCounts
from workqueue_helpers.broker.queues import peek
from workqueue_helpers.broker.scratch import pid_alive
from workqueue_helpers.connection import WorkQueueError
from workqueue_helpers.demo import run as run_module
from workqueue_helpers.demo.run import Run
from workqueue_helpers.record.events import AUTO_ACK, CONSUMING, EXITED, KILLED, RECEIVED

pytestmark = pytest.mark.broker

TUTORIAL_TASKS = ["First message.", "Second message..", "Third message...",
                  "Fourth message....", "Fifth message....."]
FAST = 0.1  # seconds per dot in these tests


def test_round_robin_follows_start_order(broker, queue):
    with Run(broker.url, queue) as workers:
        assert workers.start("step2/worker.py", 2, seconds_per_dot=FAST) == ["worker1", "worker2"]
        workers.publish(TUTORIAL_TASKS)
        assert workers.wait_until_done(timeout=30)
    assert workers.timeline.tasks_by_worker() == {"worker1": [1, 3, 5], "worker2": [2, 4]}
    assert workers.timeline.lost() == []
    screens = workers.screens()
    assert screens["worker2"].splitlines() == [
        " [*] Waiting for messages. To exit press CTRL+C",
        " [x] Received Second message..", " [x] Done",
        " [x] Received Fourth message....", " [x] Done",
        "Interrupted"]


def test_kill_with_manual_ack_redelivers_to_the_other_worker(broker, queue):
    with Run(broker.url, queue) as workers:
        workers.start("step2/worker.py", 2, seconds_per_dot=FAST)
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


def test_a_kill_is_recorded_after_everything_the_worker_did(broker, queue, monkeypatch):
    # Tasks without work, hundreds a second. Had the worker run on after the notebook
    # recorded KILLED, it could have finished a task after that moment, and that task would
    # count as killed, though done and acknowledged (lesson 5 once saw one "lost" so).
    # On a busy machine the notebook's thread may wait its turn before the signal goes out:
    real_kill = run_module.processes.kill

    def late_kill(proc, sig=signal.SIGKILL, timeout=5.0):
        time.sleep(0.05)
        return real_kill(proc, sig, timeout)

    monkeypatch.setattr(run_module.processes, "kill", late_kill)
    with Run(broker.url, queue) as workers:
        workers.start("step4/worker.py", seconds_per_dot=FAST)
        workers.publish([f"Quick {n}" for n in range(3000)], confirm=False)
        assert workers.wait_until(lambda: workers.done_count >= 200, timeout=30)
        workers.kill("worker1")
        events = workers.timeline.events
    killed, = [e.t for e in events if e.kind == KILLED]
    assert [e for e in events if e.worker == "worker1" and e.t > killed and e.kind != EXITED] == []
    # The running count (in the order events arrived) and the timeline (in the order they
    # happened) agree on what was done.
    assert len(workers.timeline.completed()) == workers.done_count


def test_kill_with_auto_ack_loses_the_current_and_the_dispatched_tasks(broker, queue):
    with Run(broker.url, queue) as workers:
        workers.start("step1/worker.py", 2, seconds_per_dot=FAST)
        workers.publish(TUTORIAL_TASKS)
        workers.kill("worker1", while_working_on="Third message...", after=0.1)
        assert not workers.wait_until_done(timeout=30)
    assert workers.timeline.lost() == [3, 5]
    assert workers.timeline.tasks_by_worker() == {"worker1": [1, 3], "worker2": [2, 4]}
    assert not any(a.redelivered for a in workers.timeline.attempts())


def test_a_task_longer_than_the_heartbeat_timeout_loses_the_connection(broker, queue):
    """Lesson 1's warning: the tutorial's worker works in ``time.sleep``, when pika does no
    network work, so a task longer than the heartbeat timeout loses its connection; the
    ack cannot reach the broker, and the task comes back, redelivered."""
    url = broker.url + ("&" if "?" in broker.url else "?") + "heartbeat=1"
    with Run(url, queue) as workers:
        workers.start("step2/worker.py", seconds_per_dot=1.0)
        workers.publish(["Long task....."])  # 5 s: the broker gives up after 2 missed beats
        assert workers._wait_for(lambda: any(e.kind == RECEIVED and e.redelivered
                                             for e in workers.timeline.events), 20)
        assert workers.done_count == 0
    first, second = workers.timeline.attempts()[:2]
    assert (first.worker, first.redelivered, first.outcome) == ("worker1", False, "interrupted")
    assert (second.worker, second.redelivered) == ("worker1", True)
    assert first.end - first.start == pytest.approx(5.0, abs=0.5)  # the ack came after the work
    screen = workers.screens()["worker1"].splitlines()
    assert screen[:5] == [" [*] Waiting for messages. To exit press CTRL+C",
                          " [x] Received Long task.....", " [x] Done",
                          " [!] Connection lost; reconnecting",
                          " [*] Waiting for messages. To exit press CTRL+C"], screen


def test_empty_and_absurd_messages_are_done_not_crashed(broker, queue):
    with Run(broker.url, queue) as workers:
        workers.start("step2/worker.py", seconds_per_dot=FAST, options=["--max-seconds", "0.3"])
        workers.publish([b"", "." * 1_000_000, "After."])
        assert workers.wait_until_done(timeout=30)
        assert workers.children["worker1"].alive
        assert broker.queue_counts(queue).ready == 0
    screen = workers.screens()["worker1"].splitlines()
    assert screen[1:3] == [" [x] Received ", " [x] Done"]
    assert " [!] this task asks for 100000 s of work; doing 0.3 s (the harness's --max-seconds)" in screen
    assert screen[-3:] == [" [x] Received After.", " [x] Done", "Interrupted"]
    assert screen.count(" [x] Done") == 3
    assert all(a.outcome == "done" for a in workers.timeline.attempts())


def test_a_non_utf8_message_stops_the_tutorials_worker_and_stays_in_the_queue(broker, queue):
    """The tutorial's callback prints ``body.decode()``, which raises for bytes that are not
    UTF-8: the worker ends with one line, before its ack, so the task is not lost."""
    with Run(broker.url, queue) as workers:
        workers.start("step2/worker.py", seconds_per_dot=FAST)
        workers.publish([b"\xff\xfe.."])
        worker = workers.children["worker1"]
        assert workers._wait_for(lambda: not worker.alive, 10)
        worker.reader.join(5)
        assert worker.process.returncode == 1
        screen = workers.screens()["worker1"].splitlines()
        assert screen[0] == " [*] Waiting for messages. To exit press CTRL+C"
        (error,) = screen[1:]
        assert error.startswith("error: worker.py line ") and error.endswith(
            ", in callback: UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff "
            "in position 0: invalid start byte"), error
        assert [body for body, _ in peek(broker.url, queue)] == [b"\xff\xfe.."]
        assert workers.done_count == 0 and not workers.wait_until_done(timeout=2)
    (attempt,) = workers.timeline.attempts()
    assert attempt.outcome == "crashed"


def test_tasks_with_the_same_text_are_two_tasks(broker, queue):
    with Run(broker.url, queue) as workers:
        workers.start("step2/worker.py", 2, seconds_per_dot=FAST)
        workers.publish(["Same task.", "Same task."])
        assert workers.wait_until_done(timeout=30)
    assert workers.timeline.tasks_by_worker() == {"worker1": [1], "worker2": [2]}
    assert workers.timeline.published() == ["task-1", "task-2"]


def test_a_forgotten_ack_is_not_done(broker, queue):
    with Run(broker.url, queue) as workers:
        workers.start("step2/worker.py", seconds_per_dot=0, options=["--forget-ack"])
        workers.publish(["One.", "Two."])
        assert not workers.wait_until_done(timeout=10)
        assert workers.done_count == 0
        timeline = workers.timeline
        assert [a.outcome for a in timeline.attempts()] == ["not acked", "not acked"]
        assert timeline.unacknowledged() == [1, 2] and timeline.completed() == []
        assert timeline.lost() == []


def test_stopping_a_busy_worker_is_stopped_not_killed(broker, queue):
    with Run(broker.url, queue) as workers:
        workers.start("step2/worker.py", seconds_per_dot=1.0)
        workers.publish(["Slow task....."])
        workers._wait_for(lambda: workers.children["worker1"].current_task is not None, 10)
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
    workers = Run(broker.url, queue)  # the tutorial's programs declare a quorum queue
    with pytest.raises(WorkQueueError, match="worker1 could not start: error: queue '.*' already "
                                             "exists with x-queue-type=(\\(not set\\)|classic), "
                                             "but this "
                                             "program declared x-queue-type=quorum"):
        workers.start("step2/worker.py")
    workers.stop()


def test_a_program_that_is_not_there_is_refused():
    with pytest.raises(WorkQueueError, match="no program step9/worker.py"):
        Run("amqp://localhost", "unused").start("step9/worker.py")


def test_a_producer_runs_beside_the_workers_and_each_task_counts_once(broker, queue):
    with Run(broker.url, queue) as workers:
        workers.start("step4/worker.py", seconds_per_dot=FAST)
        assert workers.start("step4/new_task.py", args=["A", "task.."]) == ["producer"]
        assert workers.wait_for_producer(timeout=20)
        assert workers.wait_until_done(timeout=20)
        assert workers.screens()["producer"] == " [x] Sent A task.."
    assert workers.published_count == 1 and workers.done_count == 1
    assert workers.timeline.tasks_by_worker() == {"worker1": [1]}
    assert workers.timeline.labels() == {workers.timeline.published()[0]: "A task.."}
    assert workers.seconds_per_dot() == {"worker1": FAST}


def test_prefetch_counts_are_what_each_workers_basic_qos_set(broker, queue):
    with Run(broker.url, queue) as workers:
        workers.start("step2/worker.py")                # no basic_qos: no limit
        workers.start("step4/worker.py")                # the tutorial's prefetch_count=1
        workers.start("step4/worker.py", prefetch=3)    # the harness's, whatever the program says
        workers.start("step2/worker.py", prefetch=2)    # the harness calls basic_qos for it
        assert workers.prefetch_counts() == {"worker1": 0, "worker2": 1, "worker3": 3, "worker4": 2}


def test_replace_starts_the_same_program_again(broker, queue):
    with Run(broker.url, queue) as workers:
        workers.start("step1/worker.py", seconds_per_dot=FAST)
        workers.kill("worker1")
        assert workers.replace("worker1") == "worker2"
        workers.publish(["Again."])
        assert workers.wait_until_done(timeout=20)
    assert [e.detail for e in workers.timeline.events if e.kind == CONSUMING] == [AUTO_ACK, AUTO_ACK]
    assert workers.timeline.tasks_by_worker() == {"worker1": [], "worker2": [1]}



def test_a_worker_on_standby_takes_no_task_until_released_and_then_joins_in_its_turn(broker, queue):
    with Run(broker.url, queue) as workers:
        workers.start("step4/worker.py", seconds_per_dot=FAST)
        assert workers.start("step4/worker.py", seconds_per_dot=FAST, standby=True) == ["worker2"]
        workers.publish(["First.", "Second."])
        assert workers.wait_until_done(timeout=20)
        assert workers.timeline.tasks_by_worker() == {"worker1": [1, 2]}  # worker2: no event yet
        assert "worker2 on standby" in workers.progress()
        workers.release("worker2")
        assert workers.children["worker2"].consuming
        # worker1 is on task 3 for a second, and prefetch_count=1: task 4 can only go to worker2.
        workers.publish(["Third..........", "Fourth."])
        assert workers.wait_until_done(timeout=20)
        with pytest.raises(WorkQueueError, match="worker2 is not on standby"):
            workers.release("worker2")
    assert workers.timeline.tasks_by_worker() == {"worker1": [1, 2, 3], "worker2": [4]}


def test_a_worker_on_standby_stops_as_ctrl_c_stops_it_and_runs_nothing(broker, queue):
    with Run(broker.url, queue) as workers:
        workers.start("step4/worker.py", standby=True)
        workers.stop()
        assert not workers.children["worker1"].alive
        assert workers.screens()["worker1"].splitlines() == ["Interrupted"]
        with pytest.raises(WorkQueueError, match="worker1 is not on standby"):
            workers.release("worker1")
    assert workers.timeline.tasks_by_worker() == {"worker1": []}


def test_a_wait_is_not_ended_by_a_quorum_queue_whose_leader_does_not_answer(broker, queue, monkeypatch):
    """While a quorum queue's leader is away (its node killed, an election under way),
    RabbitMQ answers a passive declare with 0 ready and 0 consumers. A wait does not take
    that for an empty queue while a worker is consuming; the real answer ends it early."""
    with Run(broker.url, queue) as workers:
        workers.start("step4/worker.py", seconds_per_dot=FAST)
        monkeypatch.setattr(run_module, "passive_counts", lambda url, name: QueueCounts(0, None, 0))
        started = time.monotonic()
        assert not workers.wait_until(lambda: False, timeout=3, settle=0.2)
        assert time.monotonic() - started >= 3          # waited it out
        monkeypatch.undo()
        started = time.monotonic()
        assert not workers.wait_until(lambda: False, timeout=60, settle=0.2)
        assert time.monotonic() - started < 30          # idle, and nothing ready: gave up


PARENT = textwrap.dedent("""
    import sys, time
    from workqueue_helpers.demo.run import Run
    workers = Run(sys.argv[1], sys.argv[2])
    workers.start("step2/worker.py", 2)
    print(" ".join(str(w.process.pid) for w in workers.children.values()), flush=True)
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
        alive = [p for p in pids if pid_alive(p)]
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
