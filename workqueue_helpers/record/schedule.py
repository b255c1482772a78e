"""What the best possible dispatch would achieve: fair dispatch against the ideal.

Lesson 4 measures round-robin and fair dispatch on real workers. This module
says what each policy would give on paper, and what the best possible
assignment of the same tasks would give, so that the measured makespans have
something to be compared with.

``durations`` are the tasks' durations in seconds, in publish order;
``workers`` is how many workers there are. Every worker does one task at a
time, back to back, and a task is never split. All tasks are in the queue
before the work starts.
"""

from __future__ import annotations

import heapq
from typing import Sequence



def round_robin_makespan(durations: Sequence[float], workers: int) -> float:
    """Makespan when task i goes to worker i mod ``workers`` (no prefetch limit).

    With no prefetch limit RabbitMQ hands out the queued tasks in turn as soon
    as the workers subscribe, whatever each task costs.
    """
    _check(durations, workers)
    loads = [0.0] * workers
    for i, duration in enumerate(durations):
        loads[i % workers] += duration
    return max(loads)


def fair_makespan(durations: Sequence[float], workers: int) -> float:
    """Makespan when each next task goes to the worker free first (``prefetch_count=1``).

    Tasks are taken in publish order; of workers free at the same moment,
    the one with the lowest index gets the task.
    """
    _check(durations, workers)
    # (moment the worker is free, worker index): the heap's smallest is the
    # worker free first, and on equal moments the lowest index.
    free = [(0.0, worker) for worker in range(workers)]
    makespan = 0.0
    for duration in durations:
        moment, worker = heapq.heappop(free)
        finish = moment + duration
        makespan = max(makespan, finish)
        heapq.heappush(free, (finish, worker))
    return makespan


def lower_bound(durations: Sequence[float], workers: int) -> float:
    """No dispatch can beat this: the work shared evenly, or the longest task."""
    _check(durations, workers)
    if not durations:
        return 0.0
    return max(sum(durations) / workers, max(durations))


def lpt_makespan(durations: Sequence[float], workers: int) -> float:
    """Longest-processing-time first: fair dispatch of the tasks sorted longest first.

    Graham (1969): never more than 4/3 of the optimum.
    """
    return fair_makespan(sorted(durations, reverse=True), workers)


def optimal_makespan(durations: Sequence[float], workers: int, max_tasks: int = 16) -> float:
    """The best makespan any assignment of the tasks to the workers can reach.

    An exact search (depth-first branch and bound): the tasks, longest first,
    are tried on each worker in turn. A branch is dropped as soon as a worker's
    load reaches the best makespan found so far, and a worker whose load equals
    that of a worker already tried is skipped (it would give the same
    makespans). The search starts from the LPT makespan and stops as soon as
    it reaches the lower bound.

    The search can take exponential time, so more than ``max_tasks`` tasks
    raise ValueError.
    """
    _check(durations, workers)
    if len(durations) > max_tasks:
        raise ValueError(
            f"{len(durations)} tasks is more than max_tasks={max_tasks} for the exact search; "
            "use lpt_makespan and lower_bound instead: the optimum lies between them")
    tasks = sorted(durations, reverse=True)
    bound = lower_bound(tasks, workers)
    best = lpt_makespan(tasks, workers)
    loads = [0.0] * workers

    def place(i: int) -> bool:
        """Assign tasks[i:]; True once ``best`` has reached the lower bound."""
        nonlocal best
        if i == len(tasks):
            best = max(loads)  # below the old best: every load was checked on the way
            return best <= bound
        tried: set[float] = set()
        for worker in range(workers):
            old = loads[worker]
            if old in tried:
                continue
            tried.add(old)
            if old + tasks[i] >= best:
                continue
            loads[worker] = old + tasks[i]
            finished = place(i + 1)
            loads[worker] = old
            if finished:
                return True
        return False

    if best > bound:
        place(0)
    return best


def _check(durations: Sequence[float], workers: int) -> None:
    """ValueError for fewer than one worker or a negative duration."""
    if workers < 1:
        raise ValueError(f"need at least one worker, not {workers}")
    if any(duration < 0 for duration in durations):
        raise ValueError("durations must not be negative")
