"""Made-up event lists for the timeline and chart tests (no broker needed)."""

from __future__ import annotations

from workqueue_helpers.record.events import (ACKED, CONSUMING, DONE, EXITED, KILLED, PUBLISHED,
                                             RECEIVED, Event)
from workqueue_helpers.record.timeline import Timeline

T = 1_700_000_000.0  # an arbitrary time.time() at which the run starts

# The tutorial's tasks: one second of work per dot.
TASKS = ["First message.", "Second message..", "Third message...",
         "Fourth message....", "Fifth message....."]


def ev(t: float, kind: str, worker: str | None = None, task: str | None = None,
       redelivered: bool = False) -> Event:
    """An event ``t`` seconds after the run starts; the task's text is its id and its label."""
    return Event(T + t, kind, worker, task, label=task, redelivered=redelivered)


def publish(tasks: list[str], at: float = 0.0) -> list[Event]:
    """The producer sends ``tasks``, 10 ms apart."""
    return [ev(at + 0.01 * i, PUBLISHED, task=task) for i, task in enumerate(tasks)]


def work(worker: str, start: float, tasks: list[str], redelivered: bool = False) -> list[Event]:
    """``worker`` does ``tasks`` one after the other, one second per dot."""
    events = []
    t = start
    for task in tasks:
        events.append(ev(t, RECEIVED, worker, task, redelivered))
        t += task.count(".")
        events += [ev(t, DONE, worker, task), ev(t, ACKED, worker, task)]
    return events


def consuming(*workers: str) -> list[Event]:
    """The workers start consuming, in this order, before the run starts."""
    return [ev(-2.0 + i * 0.1, CONSUMING, worker) for i, worker in enumerate(workers)]


def round_robin() -> Timeline:
    """Tutorial part 2: worker1 gets tasks 1, 3, 5 and worker2 gets 2, 4."""
    return Timeline(consuming("worker1", "worker2") + publish(TASKS)
                    + work("worker1", 0.1, [TASKS[0], TASKS[2], TASKS[4]])
                    + work("worker2", 0.1, [TASKS[1], TASKS[3]]))


def killed(redelivery: bool) -> Timeline:
    """worker1 is killed during task 3. With redelivery (manual ack) the broker
    gives 3 and 5 to worker2; without (auto-ack), tasks 3 and 5 are lost."""
    events = (consuming("worker1", "worker2") + publish(TASKS)
              + work("worker1", 0.1, [TASKS[0]])
              + [ev(1.1, RECEIVED, "worker1", TASKS[2]),
                 ev(2.5, KILLED, "worker1"), ev(2.51, EXITED, "worker1")]
              + work("worker2", 0.1, [TASKS[1], TASKS[3]]))
    if redelivery:
        events += work("worker2", 6.1, [TASKS[2], TASKS[4]], redelivered=True)
    return Timeline(events)
