"""Lesson 4's check, on made-up timelines (no broker): was each task dealt to a free worker?"""

from __future__ import annotations

from synthetic import consuming, ev, publish
from workqueue_helpers.exercises.checks import UNEVEN_TASKS, dealt_to_the_free
from workqueue_helpers.record.events import ACKED, DONE, RECEIVED
from workqueue_helpers.record.timeline import Timeline

ONE, TWO, THREE, FOUR = UNEVEN_TASKS  # long, short, long, short: 0.8, 0.2, 0.8, 0.2 s


def did(worker: str, task: str, start: float, end: float) -> list:
    return [ev(start, RECEIVED, worker, task), ev(end, ACKED, worker, task), ev(end, DONE, worker, task)]


def deal(*attempts: list, registered: tuple = ("worker1", "worker2")) -> Timeline:
    return Timeline(consuming(*registered) + publish(UNEVEN_TASKS)
                    + [event for attempt in attempts for event in attempt])


def test_the_usual_fair_deal():
    assert dealt_to_the_free(deal(did("worker1", ONE, 0.0, 0.8), did("worker2", TWO, 0.0, 0.2),
                                  did("worker2", THREE, 0.2, 1.0), did("worker1", FOUR, 0.8, 1.0)))


def test_workers_free_before_the_tasks_came_are_free_alike():
    # worker2 registered 0.1 s before worker1, both before the tasks were published:
    # either may take task 1 (a fresh-clone make test saw worker1 take it).
    assert dealt_to_the_free(deal(did("worker1", ONE, 0.0, 0.8), did("worker2", TWO, 0.0, 0.2),
                                  did("worker2", THREE, 0.2, 1.0), did("worker1", FOUR, 0.8, 1.0),
                                  registered=("worker2", "worker1")))


def test_a_slow_worker1_leaves_task_4_to_worker2_and_that_is_fair_too():
    # A loaded machine (a clean-clone make test): worker1 took 1.1 s over task 1.
    assert dealt_to_the_free(deal(did("worker1", ONE, 0.0, 1.1), did("worker2", TWO, 0.0, 0.2),
                                  did("worker2", THREE, 0.2, 1.0), did("worker2", FOUR, 1.0, 1.2)))


def test_round_robin_is_not_fair():
    # No prefetch limit: task 3 went to worker1, busy with task 1, while worker2 was free.
    assert not dealt_to_the_free(deal(did("worker1", ONE, 0.0, 0.8), did("worker2", TWO, 0.0, 0.2),
                                      did("worker1", THREE, 0.8, 1.6), did("worker2", FOUR, 0.2, 0.4)))


def test_a_task_never_acknowledged_is_not_a_fair_deal():
    assert not dealt_to_the_free(deal(did("worker1", ONE, 0.0, 0.8), did("worker2", TWO, 0.0, 0.2),
                                      [ev(0.2, RECEIVED, "worker2", THREE), ev(1.0, DONE, "worker2", THREE)]))
