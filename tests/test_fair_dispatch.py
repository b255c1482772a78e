"""Lessons 4 and 5 on the real broker: fair dispatch, and nothing lost under fire."""

from __future__ import annotations

import random
import time

import pytest

from workqueue_helpers.broker import get_broker
from workqueue_helpers.demo.chaos import BrokerWatch, kill_mid_task, make_trouble
from workqueue_helpers.record.events import DISCONNECTED, DONE, RECEIVED
from workqueue_helpers.record.timeline import OUTCOME_KILLED
from workqueue_helpers.broker.queues import delete_queues
from workqueue_helpers.record.schedule import fair_makespan, round_robin_makespan
from workqueue_helpers.demo.run import Run

pytestmark = pytest.mark.broker

UNIT = 0.25  # long enough that a busy machine's delays do not reorder who is free first
UNITS = [9, 1, 9, 2, 9, 1, 9, 2]
TASKS = [f"Task {n} " + "." * units for n, units in enumerate(UNITS, start=1)]


@pytest.mark.parametrize("program, prefetch, expected, units", [
    ("step2/worker.py", 0, {"worker1": [1, 3, 5, 7], "worker2": [2, 4, 6, 8]}, 36),
    ("step4/worker.py", 1, {"worker1": [1, 4, 6, 7], "worker2": [2, 3, 5, 8]}, 21),
], ids=["no-limit", "prefetch-1"])
def test_prefetch_one_balances_uneven_tasks(broker, queue, program, prefetch, expected, units):
    with Run(broker.url, queue) as workers:
        workers.start(program, 2, seconds_per_dot=UNIT)
        assert workers.prefetch_counts() == {"worker1": prefetch, "worker2": prefetch}
        workers.publish(TASKS)
        assert workers.wait_until_done(timeout=30)
    assert workers.timeline.tasks_by_worker() == expected
    assert abs(workers.timeline.makespan() - units * UNIT) < 0.5
    model = fair_makespan if prefetch == 1 else round_robin_makespan
    assert model([u * UNIT for u in UNITS], 2) == pytest.approx(units * UNIT)


def test_a_worker_joining_a_backlog_gets_a_share_with_a_prefetch_limit(broker, queue):
    with Run(broker.url, queue) as workers:
        workers.publish([f"Small task {n} ." for n in range(300)])
        workers.start("step4/worker.py", prefetch=5, seconds_per_dot=0.01)
        workers.start("step4/worker.py", prefetch=5, seconds_per_dot=0.01)
        assert workers.prefetch_counts() == {"worker1": 5, "worker2": 5}
        assert workers.wait_until_done(timeout=60)
    shares = {w: len(tasks) for w, tasks in workers.timeline.tasks_by_worker().items()}
    assert shares["worker2"] > 50, shares


@pytest.fixture(scope="module")
def own_broker():
    return get_broker(owned=True)


@pytest.mark.parametrize("auto_ack", [False, True], ids=["manual-ack", "auto-ack"])
def test_nothing_lost_under_kills_and_a_restart(own_broker, auto_ack):
    # The final worker (step 4), and lesson 1's (auto_ack=True, step 1) with the same prefetch.
    queue = f"test.capstone.{'auto' if auto_ack else 'manual'}"
    delete_queues(own_broker.url, [queue])
    rng = random.Random(5)
    tasks = [f"Task {n:03d} " + "." * rng.randint(0, 4) for n in range(1, 301)]
    with Run(own_broker.url, queue) as workers:
        # Dots of 0.05 s: a task of 1 to 4 dots lasts long enough for kill_mid_task to land
        # in its middle even on a loaded machine (with 0.01 s, a kill came too late once).
        workers.start("step1/worker.py" if auto_ack else "step4/worker.py", 3, prefetch=1,
                      seconds_per_dot=0.05)
        assert workers.publish(tasks, confirm=True) == 300
        log = make_trouble(workers, own_broker, kills=3, restarts=1, seed=3)
        done = workers.wait_until_done(timeout=120)
    timeline = workers.timeline
    if auto_ack:
        assert not done and len(timeline.lost()) > 0
    else:
        assert done and timeline.lost() == [] and len(log) == 4
        assert len(timeline.kills()) == 3 and len(timeline.broker_downtime()) == 1
        assert len(timeline.done_more_than_once()) <= 3 + 3
        # Each kill cut a task short (kill_mid_task), and nobody worked inside
        # the broker's downtime: it ends when the broker answered again.
        assert len([a for a in timeline.attempts() if a.outcome == OUTCOME_KILLED]) == 3
        (down, up), = timeline.broker_downtime()
        inside = [e for e in timeline.events
                  if e.kind in (RECEIVED, DONE) and down < e.t - timeline.t0 < up]
        assert inside == [], inside
        assert any(e.kind == DISCONNECTED for e in timeline.events)
    delete_queues(own_broker.url, [queue])


def test_kill_mid_task_waits_for_a_task_long_enough(broker, queue):
    # Tasks without dots end within a millisecond: a kill aimed at one could
    # land after its basic_ack, before its callback returns. kill_mid_task
    # waits for the long task and kills halfway through it.
    tasks = [f"Quick {n}" for n in range(40)] + ["Long ....", "Last"]
    with Run(broker.url, queue) as workers:
        (worker,) = workers.start("step4/worker.py", seconds_per_dot=0.05)
        workers.publish(tasks)
        kill_mid_task(workers, worker, timeout=30)
        workers.start("step4/worker.py", seconds_per_dot=0.05)
        assert workers.wait_until_done(timeout=30)
    killed = [a for a in workers.timeline.attempts() if a.outcome == OUTCOME_KILLED]
    assert [a.label for a in killed] == ["Long ...."]
    assert 0.05 < killed[0].end - killed[0].start < 0.2  # halfway through 0.2 s of work
    assert workers.timeline.lost() == []


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
