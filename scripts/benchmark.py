"""Measure the suite's speed and memory, and print the figures.

    make benchmark        (or: .venv/bin/python scripts/benchmark.py)

Prints, in order:
1. worker start-to-consuming latency (median of 20) and a worker's memory;
2. private broker node: start, clean restart, crash restart (if RabbitMQ is installed);
3. timeline and chart of 10,000 tasks on 8 workers: time and peak memory;
4. each lesson and the suite: wall time against intrinsic work time (the
   makespans the sleeps alone would take) plus broker start-up.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import psutil  # noqa: E402

from notebook_runner import LESSONS, execute  # noqa: E402
from workqueue_helpers.broker.find import get_broker  # noqa: E402
from workqueue_helpers.broker.private_node import PrivateNode  # noqa: E402
from workqueue_helpers.broker.queues import delete_queues  # noqa: E402
from workqueue_helpers.connection import BrokerError  # noqa: E402
from workqueue_helpers.demo.run import Run  # noqa: E402
from workqueue_helpers.record.events import ACKED, CONSUMING, DONE, PUBLISHED, RECEIVED, Event  # noqa: E402
from workqueue_helpers.record.timeline import Timeline  # noqa: E402
from workqueue_helpers.show.chart import plot_timeline  # noqa: E402


def worker_latency(url: str, trials: int = 20) -> None:
    queue = "benchmark.latency"
    delays, memory = [], []
    for _ in range(trials):
        workers = Run(url, queue)
        started = time.time()
        workers.start(1)
        consuming = next(e.t for e in workers.timeline.events if e.kind == CONSUMING)
        delays.append(consuming - started)
        memory.append(psutil.Process(workers.workers["worker1"].process.pid).memory_info().rss)
        workers.stop()
    delete_queues(url, [queue])
    print(f"worker start to consuming: median {statistics.median(delays) * 1000:.0f} ms "
          f"(min {min(delays) * 1000:.0f}, max {max(delays) * 1000:.0f}, n={trials}); "
          f"worker RSS {statistics.median(memory) / 2**20:.0f} MiB")


def private_node_times() -> None:
    try:
        node = PrivateNode()
    except BrokerError as error:
        print(f"private node: not measured ({error})")
        return
    try:
        clean = node.restart()
        crash = node.restart(crash=True)
        print(f"private node: start {node.start_seconds:.1f} s, clean restart {clean:.1f} s, "
              f"crash restart {crash:.1f} s")
    finally:
        node.stop()


def synthetic_timeline(workers: int = 8, tasks: int = 10_000) -> Timeline:
    rng = random.Random(1)
    events, free_at = [], [0.0] * workers
    for n in range(tasks):
        events.append(Event(0.0, PUBLISHED, task=f"task-{n}", label=f"task {n}"))
    for n in range(tasks):
        w = min(range(workers), key=free_at.__getitem__)
        start, length = free_at[w], rng.choice([0.01, 0.05, 0.2])
        name = f"worker{w + 1}"
        events += [Event(start, RECEIVED, name, f"task-{n}"),
                   Event(start + length, DONE, name, f"task-{n}"),
                   Event(start + length, ACKED, name, f"task-{n}")]
        free_at[w] = start + length
    for w in range(workers):
        events.insert(0, Event(0.0, CONSUMING, f"worker{w + 1}"))
    return Timeline(events)


def chart_figures() -> None:
    timeline = synthetic_timeline()
    started = time.perf_counter()
    attempts = timeline.attempts()
    analysed = time.perf_counter()
    ax = plot_timeline(timeline, title="8 workers, 10,000 tasks")
    ax.figure.canvas.draw()
    drawn = time.perf_counter()
    tracemalloc.start()  # a second pass, for memory only: tracing slows Python down
    plot_timeline(synthetic_timeline(), title="again").figure.canvas.draw()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"10,000 tasks on 8 workers: attempts() {analysed - started:.2f} s for "
          f"{len(attempts)} attempts, chart drawn in {drawn - analysed:.2f} s, "
          f"peak Python memory {peak / 2**20:.0f} MiB")


MEASURE = """
import json
print(json.dumps({"intrinsic": lesson.intrinsic_seconds(),
                  "broker_start": getattr(lesson.broker, "start_seconds", 0.0) if lesson.broker.owned else 0.0}))
"""


def run_lesson(path: Path) -> tuple:
    """Execute one lesson; return (wall seconds, intrinsic work seconds, broker start seconds)."""
    execution = execute(path, probe=MEASURE)
    if execution.error is not None:
        raise SystemExit(f"{path.name} failed: {execution.error}")
    figures = json.loads(execution.probe or "{}")
    return execution.seconds, figures["intrinsic"], figures["broker_start"]


def lessons() -> None:
    total_wall = total_intrinsic = total_start = 0.0
    for path in LESSONS:
        wall, intrinsic, start = run_lesson(path)
        total_wall, total_intrinsic, total_start = (total_wall + wall, total_intrinsic + intrinsic,
                                                    total_start + start)
        print(f"{path.stem}: wall {wall:.1f} s, intrinsic work {intrinsic:.1f} s, "
              f"broker start {start:.1f} s, overhead ratio {wall / (intrinsic + start):.2f}")
    print(f"suite: wall {total_wall:.1f} s, intrinsic work {total_intrinsic:.1f} s + broker "
          f"start {total_start:.1f} s, overhead ratio {total_wall / (total_intrinsic + total_start):.2f}")


def main() -> int:
    broker = get_broker()
    print(f"Broker: {broker.describe()}")
    worker_latency(broker.url)
    private_node_times()
    chart_figures()
    lessons()
    return 0


if __name__ == "__main__":
    sys.exit(main())
