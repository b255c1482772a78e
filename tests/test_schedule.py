"""Makespans on paper: round-robin, fair dispatch, LPT and the optimum (no broker needed)."""

from __future__ import annotations

import itertools
import random

import pytest

from workqueue_helpers.show.tables import ideal_comparison_table
from workqueue_helpers.record.schedule import (fair_makespan, lower_bound,
                                        lpt_makespan, optimal_makespan, round_robin_makespan)

# Lesson 4's example: heavy and light tasks alternate, so with two workers
# round-robin gives every heavy task to the first worker.
LESSON = [9, 1, 9, 2, 9, 1, 9, 2]
# The tutorial's five tasks: one second per dot.
TUTORIAL = [1, 2, 3, 4, 5]


def brute_force(durations: list[float], workers: int) -> float:
    """The optimum by trying every assignment of tasks to workers."""
    best = float("inf")
    for assignment in itertools.product(range(workers), repeat=len(durations)):
        loads = [0.0] * workers
        for duration, worker in zip(durations, assignment):
            loads[worker] += duration
        best = min(best, max(loads))
    return best


def random_instances() -> list[tuple[list[float], int]]:
    """50 small instances, the same every run: some whole seconds, some not."""
    rng = random.Random(20240604)
    instances = []
    for i in range(50):
        n = rng.randint(1, 8)
        workers = rng.randint(2, 3)
        if i % 2:
            durations = [float(rng.randint(1, 9)) for _ in range(n)]
        else:
            durations = [round(rng.uniform(0.1, 5.0), 2) for _ in range(n)]
        instances.append((durations, workers))
    return instances


def test_the_lesson_example():
    assert round_robin_makespan(LESSON, 2) == 36
    assert fair_makespan(LESSON, 2) == 21
    assert optimal_makespan(LESSON, 2) == 21
    assert lower_bound(LESSON, 2) == 21


def test_the_tutorials_five_tasks():
    assert round_robin_makespan(TUTORIAL, 2) == 9
    assert fair_makespan(TUTORIAL, 2) == 9
    assert optimal_makespan(TUTORIAL, 2) == 8  # 5 + 3 and 4 + 2 + 1
    assert lower_bound(TUTORIAL, 2) == 7.5
    assert lpt_makespan(TUTORIAL, 2) == 8  # 5 + 2 + 1 and 4 + 3: longest first helps


def test_round_robin_ignores_what_tasks_cost():
    assert round_robin_makespan([5, 5, 5, 1, 1, 1], 3) == 6
    assert round_robin_makespan([5, 1, 5, 1, 5, 1], 2) == 15


def test_fair_dispatch_gives_the_next_task_to_the_worker_free_first():
    # Worker 2 does the three short tasks while worker 1 does the long one.
    assert fair_makespan([3, 1, 1, 1], 2) == 3
    # In publish order: the long last task starts only when a worker is free.
    assert fair_makespan([2, 2, 10], 2) == 12
    assert lpt_makespan([2, 2, 10], 2) == 10


def test_lower_bound_is_the_even_share_or_the_longest_task():
    assert lower_bound([1, 1, 1, 1], 2) == 2
    assert lower_bound([10, 1, 1], 3) == 10


def test_more_workers_than_tasks_and_no_tasks():
    assert optimal_makespan([4, 3], 5) == 4
    assert fair_makespan([4, 3], 5) == 4
    for makespan in (round_robin_makespan, fair_makespan, lower_bound, lpt_makespan,
                     optimal_makespan):
        assert makespan([], 2) == 0.0


def test_bad_arguments():
    with pytest.raises(ValueError, match="at least one worker"):
        fair_makespan([1.0], 0)
    with pytest.raises(ValueError, match="negative"):
        round_robin_makespan([1.0, -1.0], 2)


@pytest.mark.parametrize("durations,workers", random_instances())
def test_optimum_matches_brute_force(durations, workers):
    assert optimal_makespan(durations, workers) == pytest.approx(brute_force(durations, workers))


def test_the_optimum_lies_between_the_bound_and_lpt_and_lpt_within_four_thirds():
    for durations, workers in random_instances():
        optimum = optimal_makespan(durations, workers)
        assert lower_bound(durations, workers) <= optimum + 1e-9
        assert optimum <= lpt_makespan(durations, workers) + 1e-9
        assert lpt_makespan(durations, workers) <= 4 / 3 * optimum + 1e-9
        assert optimum <= fair_makespan(durations, workers) + 1e-9


def test_optimum_of_a_hard_case_needs_the_search():
    # 1..16 on 5 workers: the bound is 27.2, LPT gives 29, the optimum is 28.
    durations = list(range(1, 17))
    assert lpt_makespan(durations, 5) == 29
    assert optimal_makespan(durations, 5) == 28


def test_too_many_tasks_for_the_exact_search():
    with pytest.raises(ValueError, match="lpt_makespan and lower_bound"):
        optimal_makespan([1.0] * 17, 2)
    assert optimal_makespan([1.0] * 17, 2, max_tasks=17) == 9
    with pytest.raises(ValueError, match="max_tasks=4"):
        optimal_makespan([1.0] * 5, 2, max_tasks=4)


def test_ideal_comparison_table():
    table = ideal_comparison_table({"round-robin": 36.04, "fair (prefetch 1)": 21.3,
                                    "optimum": 21.0}, 21.0)
    assert table == (
        "policy             makespan  ratio to optimum\n"
        "-----------------  --------  ----------------\n"
        "round-robin        36.0 s    1.72\n"
        "fair (prefetch 1)  21.3 s    1.01\n"
        "optimum            21.0 s    1.00")
    assert ideal_comparison_table({"nothing": 0.0}, 0.0).splitlines()[2].split() == [
        "nothing", "0.0", "s", "-"]
