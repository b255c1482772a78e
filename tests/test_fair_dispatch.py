"""Lessons 4 and 5's machinery on the real broker. (Fair dispatch of the uneven batch, and
nothing lost under kills and a restart, are lessons 4 and 5's own claims: their notebooks check them.)"""

from __future__ import annotations

import time

import pytest

from workqueue_helpers.demo.chaos import BrokerWatch, kill_mid_task
from workqueue_helpers import programs
from workqueue_helpers.record.timeline import OUTCOME_DONE, OUTCOME_KILLED
from workqueue_helpers.demo.run import Run

pytestmark = pytest.mark.broker



def test_a_worker_joining_a_backlog_gets_a_share_with_a_prefetch_limit(broker, queue):
    with Run(broker.url, queue) as workers:
        workers.publish([f"Small task {n} ." for n in range(300)])
        workers.start("step4/worker.py", prefetch=5, seconds_per_dot=0.01)
        workers.start("step4/worker.py", prefetch=5, seconds_per_dot=0.01)
        assert workers.prefetch_counts() == {"worker1": 5, "worker2": 5}
        assert workers.wait_until_done(timeout=60)
    shares = {w: len(tasks) for w, tasks in workers.timeline.tasks_by_worker().items()}
    assert shares["worker2"] > 50, shares


def test_kill_mid_task_waits_for_a_task_long_enough(broker, queue):
    # Tasks without dots end within a millisecond: a kill aimed at one could
    # land after its basic_ack, before its callback returns. kill_mid_task
    # waits for the long task and kills it before its ack.
    tasks = [f"Quick {n}" for n in range(40)] + ["Long ....", "Last"]
    with Run(broker.url, queue) as workers:
        (worker,) = workers.start("step4/worker.py", seconds_per_dot=0.25)
        workers.publish(tasks)
        kill_mid_task(workers, worker, timeout=30)
        workers.start("step4/worker.py", seconds_per_dot=0.25)
        assert workers.wait_until_done(timeout=30)
    attempts = workers.timeline.attempts()
    killed = [a for a in attempts if a.outcome == OUTCOME_KILLED]
    assert [a.label for a in killed] == ["Long ...."]
    # Cut short before its ack: the broker sent it again, and the second worker did it.
    assert [(a.worker, a.redelivered, a.outcome) for a in attempts if a.label == "Long ...."] == [
        ("worker1", False, OUTCOME_KILLED), ("worker2", True, OUTCOME_DONE)]
    assert workers.timeline.lost() == []


def test_a_worker_that_has_acknowledged_its_task_is_not_killed_to_cut_it_short(
        broker, queue, tmp_path):
    # A worker that acknowledges first and works after: from its ack to the end of its
    # callback, a kill would cut nothing short (the broker has forgotten the task).
    ack_first = tmp_path / "ack_first.py"
    with open(programs.resolve("step4/worker.py")) as step4:
        source = step4.read()
    ack = "    ch.basic_ack(delivery_tag=method.delivery_tag)\n"
    received = '    print(f" [x] Received {body.decode()}")\n'
    assert ack in source and received in source
    ack_first.write_text(source.replace(ack, "").replace(received, received + ack))
    with Run(broker.url, queue) as workers:
        (early,) = workers.start(str(ack_first), seconds_per_dot=1.0)
        workers.publish(["Long ...."])
        assert workers.wait_until(lambda: workers.children[early].acknowledged, timeout=10,
                                  give_up_when_idle=False)
        task = workers.children[early].current_task
        assert not workers.kill_unless_acknowledged(early, task)
        assert workers.children[early].current_task == task  # 4 s of work: still on it
        assert workers.wait_until_done(timeout=30)
        workers.kill(early)
        (late,) = workers.start("step4/worker.py", seconds_per_dot=0.5)
        workers.publish(["Long again ...."])
        assert workers.wait_until_busy(late, timeout=10)
        assert workers.kill_unless_acknowledged(late)  # 2 s of work to go: no ack yet
    assert [(a.label, a.worker, a.outcome) for a in workers.timeline.attempts()] == [
        ("Long ....", early, OUTCOME_DONE), ("Long again ....", late, OUTCOME_KILLED)]


class ScriptedBroker:
    """A broker whose ``answers()`` follow a script (the last answer repeats)."""

    def __init__(self, script):
        self.script = list(script)
        self.calls = []  # time.time() of each call

    def answers(self):
        self.calls.append(time.time())
        return self.script.pop(0) if len(self.script) > 1 else self.script[0]


def test_broker_watch_times_the_first_answer_after_the_restart():
    # One refusal is a hiccup; three in a row, the broker has gone. It answers
    # again after the start of the last attempt it refused.
    broker = ScriptedBroker([True, False, True, False, False, False, True])
    watch = BrokerWatch(broker)
    watch.start()
    watch.join(5)
    assert len(broker.calls) == 7
    assert broker.calls[4] < watch.answers_again <= broker.calls[5]


def test_broker_watch_without_a_restart_says_nothing():
    broker = ScriptedBroker([True, False, False, True])
    watch = BrokerWatch(broker)
    watch.start()
    time.sleep(0.3)
    watch.stop()
    assert watch.answers_again is None and len(broker.calls) > 4
