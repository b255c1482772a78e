"""Made-up event lists for the timeline and chart tests (no broker needed)."""

from __future__ import annotations

from workqueue_helpers.events import ACKED, DONE, PUBLISHED, RECEIVED, Event

T = 1_700_000_000.0  # an arbitrary time.time() at which the run starts

# The tutorial's tasks: one second of work per dot.
TASKS = ["First message.", "Second message..", "Third message...",
         "Fourth message....", "Fifth message....."]


def ev(t: float, kind: str, worker: str | None = None, task: str | None = None,
       redelivered: bool = False) -> Event:
    """An event ``t`` seconds after the run starts."""
    return Event(T + t, kind, worker, task, redelivered)


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
