"""Lesson 4 and its appendix (4a): uneven tasks, prefetch, schedules and scaling out.

    show_work_by_worker(run, units)            # who did which task, and how much work
    show_makespans({"no limit": a, ...}, unit)  # how long each batch took, idle time
    show_schedules(units, 2)                    # what each way of dealing gives on paper
    sweep = prefetch_sweep(lesson, [1, 2, 10, 0], tasks, unit)   # lesson 4a
    scaling = scale_out(lesson, 6, ...)                           # lesson 4a

The printed lines are generated from the runs' data; the lessons' claims about
them are asserted in ``workqueue_helpers/claims/fair_dispatch.py`` and
``prefetch_and_scaling.py``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from workqueue_helpers.connection import WorkQueueError
from workqueue_helpers.demo.lesson import Lesson
from workqueue_helpers.demo.run import Run
from workqueue_helpers.polling import poll
from workqueue_helpers.record.schedule import (fair_makespan, lower_bound, lpt_makespan,
                                               optimal_makespan, round_robin_makespan)


def work_by_worker(run: Run, units: Sequence[int]) -> Dict[str, int]:
    """Worker -> units of work in the tasks it did (task n has ``units[n - 1]``)."""
    return {name: sum(units[n - 1] for n in numbers)
            for name, numbers in run.timeline.tasks_by_worker().items()}


def show_work_by_worker(run: Run, units: Sequence[int]) -> None:
    """Print which tasks each worker did, and how many units of work they held."""
    work = work_by_worker(run, units)
    for name, numbers in run.timeline.tasks_by_worker().items():
        print(f"{name}: tasks {numbers}, {work[name]} units of work")


def show_makespans(runs: Dict[str, Run], unit: float) -> None:
    """Print, for each run, how long the batch took (makespan) and each worker's idle time."""
    for name, run in runs.items():
        makespan = run.timeline.makespan()
        idle = ", ".join(f"{worker} idle {seconds:.1f} s"
                         for worker, seconds in run.timeline.idle_time().items())
        print(f"{name}: all done after {makespan:.1f} s ({makespan / unit:.0f} units); {idle}")


def schedules(units: Sequence[float], workers: int) -> Dict[str, float]:
    """Makespan on paper of round-robin, prefetch_count=1 (in queue order), and the best."""
    return {"round-robin (no prefetch limit)": round_robin_makespan(units, workers),
            "prefetch_count=1": fair_makespan(units, workers),
            "best possible": optimal_makespan(units, workers)}


def show_schedules(units: Sequence[float], workers: int) -> None:
    """Print the total work, the least any schedule can take, and what each policy gives."""
    model = schedules(units, workers)
    best = model["best possible"]
    print(f"total work: {sum(units):g} units; {workers} workers need at least "
          f"{sum(units) / workers:g} units")
    for policy, makespan in model.items():
        print(f"{policy:32} {makespan:g} units ({makespan / best:.2f} × the best)")


def schedule_bracket(durations: Sequence[float], workers: int) -> Dict[str, float]:
    """Lower bound, longest task first, prefetch_count=1 in queue order, and round-robin."""
    return {"lower bound": lower_bound(durations, workers),
            "longest task first": lpt_makespan(durations, workers),
            "prefetch_count=1 (queue order)": fair_makespan(durations, workers),
            "round-robin": round_robin_makespan(durations, workers)}


def show_schedule_bracket(durations: Sequence[float], workers: int) -> None:
    """Print each schedule's makespan and how far it is over the lower bound."""
    bracket = schedule_bracket(durations, workers)
    bound = bracket["lower bound"]
    for name, seconds in bracket.items():
        print(f"{name:31} {seconds:6.1f} s  ({seconds / bound - 1:+.0%} over the bound)")


# --- lesson 4a: what a prefetch value costs --------------------------------------------


def _label(prefetch: int) -> str:
    return f"prefetch {prefetch or 'no limit'}"


@dataclass
class PrefetchSweep:
    """For each prefetch value: tiny tasks done per second, and the uneven batch's makespan."""

    prefetches: List[int]
    throughput: List[float] = field(default_factory=list)
    makespan: List[float] = field(default_factory=list)
    round_robin: float = 0.0  # the uneven batch's makespan on paper with round-robin (s)

    def show(self) -> None:
        """Print one line per prefetch value, then what the sweep showed, from its data."""
        for prefetch, rate, seconds in zip(self.prefetches, self.throughput, self.makespan):
            print(f"{_label(prefetch):>17}: {rate:5.0f} tiny tasks/s "
                  f"({rate / self.throughput[0]:.1f} × prefetch 1); "
                  f"uneven batch {seconds:.2f} s ({seconds / self.makespan[0]:.2f} × prefetch 1)")
        fastest = self.prefetches[self.throughput.index(max(self.throughput))]
        slowest = self.prefetches[self.throughput.index(min(self.throughput))]
        print(f"\nTiny tasks: most per second with {_label(fastest)}, "
              f"{max(self.throughput) / self.throughput[0]:.1f} times prefetch 1; "
              f"fewest with {_label(slowest)}.")
        shortest = self.prefetches[self.makespan.index(min(self.makespan))]
        like = [_label(p) for p, s in zip(self.prefetches, self.makespan)
                if abs(s - self.round_robin) < 0.1 * self.round_robin]
        print(f"Uneven batch: shortest with {_label(shortest)}; as long as round-robin's "
              f"{self.round_robin:.1f} s (within 10%) with {', '.join(like) or 'none'}.")


def prefetch_sweep(lesson: Lesson, prefetches: Sequence[int], uneven: Sequence[str],
                   seconds_per_dot: float, tiny: int = 1000) -> PrefetchSweep:
    """Two runs of two step-4 workers per prefetch value (0: no limit): ``tiny`` tasks that
    do no work (seconds_per_dot=0), and the ``uneven`` tasks at ``seconds_per_dot``."""
    units = [task.count(".") for task in uneven]
    sweep = PrefetchSweep(list(prefetches),
                          round_robin=round_robin_makespan(units, 2) * seconds_per_dot)
    for prefetch in prefetches:
        run = lesson.new_run("tiny")
        run.start("step4/worker.py", 2, prefetch=prefetch, seconds_per_dot=0)
        run.publish([f"Tiny task {n}" for n in range(tiny)], confirm=False)
        if not run.wait_until_done(timeout=60):
            raise WorkQueueError(f"the tiny tasks were not all done: {run.progress()}")
        sweep.throughput.append(run.timeline.throughput())
        run = lesson.new_run("uneven")
        run.start("step4/worker.py", 2, prefetch=prefetch, seconds_per_dot=seconds_per_dot)
        run.publish(uneven)
        if not run.wait_until_done(timeout=60):
            raise WorkQueueError(f"the uneven batch was not all done: {run.progress()}")
        sweep.makespan.append(run.timeline.makespan())
    return sweep


# --- lesson 4a: scaling out ----------------------------------------------------------


@dataclass
class ScaleOut:
    """A backlog worked off by workers joining one by one: when each joined, and the
    tasks done per second while 1, 2, ... of them worked."""

    run: Run
    joins: List[float]
    rates: List[float]

    @property
    def ratio(self) -> float:
        """Tasks per second with every worker, over tasks per second with one."""
        return self.rates[-1] / self.rates[0]

    def show(self) -> None:
        """Print the join times and each stretch's rate."""
        print("workers started consuming at", ", ".join(f"{t:.1f}" for t in self.joins), "s")
        for n, rate in enumerate(self.rates, start=1):
            print(f"{n} worker(s): {rate:5.1f} tasks/s")


def scale_out(lesson: Lesson, workers: int, tasks_each: int, last: int,
              seconds_per_dot: float) -> ScaleOut:
    """A backlog of one-dot tasks; one step-4 worker starts, and one more joins each time
    ``tasks_each`` more tasks are done, up to ``workers``, who then do ``last`` more."""
    run = lesson.new_run("backlog")
    count = tasks_each * (workers - 1) + last
    run.publish([f"Small task {n} ." for n in range(1, count + 1)])
    run.start("step4/worker.py", seconds_per_dot=seconds_per_dot)
    # The others start now and stand by until their turn: on a busy machine, starting
    # Python can take longer than the last workers take to empty the queue.
    waiting = run.start("step4/worker.py", workers - 1, seconds_per_dot=seconds_per_dot,
                        standby=True)
    for joined, name in enumerate(waiting, start=1):
        # Manual acks and no kill: every task gets done, so a wait that ends short is a fault.
        if not run.wait_until_done(tasks_each * joined, timeout=60, give_up_when_idle=False):
            raise WorkQueueError(f"scaling out stalled before {tasks_each * joined} tasks "
                                 f"were done: {run.progress()}")
        run.release(name)
    if not run.wait_until_done(count, timeout=60, give_up_when_idle=False):
        raise WorkQueueError(f"scaling out stalled before {count} tasks were done: {run.progress()}")
    joins = list(run.timeline.consuming_times().values())
    starts = joins + [run.timeline.last_time()]
    rates = [run.timeline.throughput_between(a, b) for a, b in zip(starts, starts[1:])]
    return ScaleOut(run, joins, rates)


def held_by_one_consumer(lesson: Lesson, backlog: int, settle: float = 0.5) -> int:
    """How many of ``backlog`` waiting tasks RabbitMQ hands at once to one worker with no
    prefetch limit (step 3's, one second per dot), on the lesson's quorum queue: the tasks
    that left the queue and are not done, ``settle`` seconds after it started consuming.
    The worker is then stopped."""
    run = lesson.new_run("no-limit-backlog")
    # Confirmed: every task is in the queue before the worker starts. (Unconfirmed, some
    # were still on their way under load, and the count of those held came out too high.)
    run.publish([f"Task {n} ." for n in range(1, backlog + 1)], confirm=True)
    run.start("step3/worker.py", seconds_per_dot=1.0)
    time.sleep(settle)

    def answered() -> Optional[Tuple[int]]:  # a busy quorum queue may not answer at once
        ready = run.ready_messages()
        return None if ready is None else (ready,)

    answer = poll(answered, timeout=5.0, interval=0.1)
    done = run.done_count
    run.stop()
    return backlog - (answer[0] if answer else backlog) - done
