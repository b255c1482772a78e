"""Measure the suite's speed and memory, and print the figures.

    make benchmark        (or: .venv/bin/python -m workshop.benchmark)

Prints, in order:
1. worker start-to-consuming latency (median of 20) and a worker's memory;
2. private broker node: start, clean restart, crash restart (if RabbitMQ is installed);
3. timeline and chart of 10,000 tasks on 8 workers: time and peak memory;
4. a queue's counts read with rabbitmqctl and with the management API: time and lag;
5. each lesson and the suite: wall time against the work (the makespans the
   sleeps alone would take, plus the broker starts and restarts the lesson
   needs), and each lesson's longest silence (the live view's goal: at most
   2 s). The lessons run as make run runs them, side by side: the suite's wall
   time is the whole batch's;
6. the same without the live view, and what the live view adds;
7. (also alone, with --cluster) lesson 6's cluster: start, memory, and the
   queue's unavailability when its leader's node is killed, over five runs.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
import tracemalloc

import matplotlib

matplotlib.use("Agg")

import pika  # noqa: E402
import psutil  # noqa: E402

from workshop.notebook_runner import AT_A_TIME, LESSONS, execute_all  # noqa: E402
from workqueue_helpers.broker.cluster import Cluster  # noqa: E402
from workqueue_helpers.broker.counts import from_management_api  # noqa: E402
from workqueue_helpers.broker.find import get_broker  # noqa: E402
from workqueue_helpers.broker.private_node import PrivateNode  # noqa: E402
from workqueue_helpers.broker.queues import delete_queues  # noqa: E402
from workqueue_helpers.connection import BrokerError  # noqa: E402
from workqueue_helpers.demo.chaos import kill_node, start_node_again  # noqa: E402
from workqueue_helpers.demo.queue_depth import NO_QUEUE  # noqa: E402
from workqueue_helpers.demo.run import Run  # noqa: E402
from workqueue_helpers.record.events import ACKED, CONSUMING, DONE, PUBLISHED, RECEIVED, Event  # noqa: E402
from workqueue_helpers.record.timeline import Timeline  # noqa: E402
from workqueue_helpers.show.chart import plot_timeline  # noqa: E402
from workqueue_helpers.show.live import OFF_VARIABLE as LIVE_VARIABLE  # noqa: E402

SILENCE_GOAL = 2.0  # seconds: no running cell's output stays unchanged longer (issue 9)


def worker_latency(url: str, trials: int = 20) -> None:
    queue = "benchmark.latency"
    delays, memory = [], []
    for _ in range(trials):
        workers = Run(url, queue)
        started = time.time()
        workers.start("step4/worker.py")
        consuming = next(e.t for e in workers.timeline.events if e.kind == CONSUMING)
        delays.append(consuming - started)
        memory.append(psutil.Process(workers.children["worker1"].process.pid).memory_info().rss)
        workers.stop()
    delete_queues(url, [queue])
    print(f"worker start to consuming: median {statistics.median(delays) * 1000:.0f} ms "
          f"(min {min(delays) * 1000:.0f}, max {max(delays) * 1000:.0f}, n={trials}); "
          f"worker RSS {statistics.median(memory) / 2**20:.0f} MiB")


def private_node_times() -> None:
    """A private node's start and restarts, without the management plugin (a lesson's own
    node) and with it (where a learner opens the UI)."""
    for management in (False, True):
        try:
            node = PrivateNode(management=management)
        except BrokerError as error:
            print(f"private node: not measured ({error})")
            return
        try:
            clean = node.restart()
            crash = node.restart(crash=True)
            print(f"private node {'with' if management else 'without'} the management plugin: start "
                  f"{node.start_seconds:.1f} s, clean restart {clean:.1f} s, crash restart {crash:.1f} s")
        finally:
            node.stop()


def cluster_figures(runs: int = 5, tasks: int = 200) -> None:
    """Lesson 6: a three-node cluster's start, its memory, and how long its quorum queue
    is unavailable when the leader's node is killed under load (``runs`` times)."""
    try:
        cluster = Cluster(3)
    except BrokerError as error:
        print(f"cluster: not measured ({error})")
        return
    windows, rejoins, lost, twice = [], [], 0, 0
    peak = 0
    try:
        print(f"cluster of 3: start {cluster.start_seconds:.1f} s, RabbitMQ {cluster.version()}")
        for number in range(1, runs + 1):
            run = Run(cluster.url, f"benchmark-cluster-{os.getpid()}-{number}", urls=cluster.urls)
            run.declare()
            killed = cluster.leader(run.queue)
            run.start("cluster/new_task.py", options=["--interval", "0.02"],
                      args=[f"Task {n:03d} " + "." * (1 + n % 2) for n in range(1, tasks + 1)])
            run.start("cluster/worker.py", 4, seconds_per_dot=0.05)
            run.wait_until_done(tasks // 10, timeout=60, give_up_when_idle=False)
            peak = max(peak, sum(cluster.memory_bytes().values()))  # all three running, under load
            kill_node(run, cluster, killed, after_published=tasks // 2)
            run.wait_for_producer(timeout=120)
            run.wait_until_done(tasks, timeout=120, give_up_when_idle=False)
            outage, = run.timeline.node_outages()
            window = (outage.unavailable_until or float("nan")) - outage.down
            windows.append(window)
            lost += len(run.timeline.lost())
            twice += len(run.timeline.done_more_than_once())
            rejoins.append(start_node_again(run, cluster, killed))
            cluster.wait_until_replicas_agree(run.queue)
            peak = max(peak, sum(cluster.memory_bytes().values()))
            run.stop()
            cluster.delete_queues(run.queue)
            print(f"  run {number}: killed {killed}, queue unavailable {window:.2f} s "
                  f"(confirms again after {outage.published_again - outage.down:.2f} s, "
                  f"deliveries after {outage.received_again - outage.down:.2f} s), "
                  f"node back in {rejoins[-1]:.1f} s")
        print(f"cluster: unavailable median {statistics.median(windows):.2f} s, "
              f"max {max(windows):.2f} s over {runs} runs; tasks lost {lost}, done twice {twice}; "
              f"rejoin median {statistics.median(rejoins):.1f} s; "
              f"memory of the 3 nodes at most {peak / 2**20:.0f} MiB")
    finally:
        cluster.stop()


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


def queue_count_readings() -> None:
    """Lesson 2's readings of a queue's ready and unacked counts: rabbitmqctl (exact at
    the moment it asks) against the management API (its statistics are sampled), on a
    private node, whose statistics interval is 1 s."""
    try:
        node = PrivateNode(management=True)
    except BrokerError as error:
        print(f"queue counts: not measured ({error})")
        return
    queue = "benchmark.counts"
    try:
        base, password = node.management_ui(), pika.URLParameters(node.url).credentials.password
        connection = node.connection()
        channel = connection.channel()
        channel.queue_declare(queue, durable=True)

        def by_api():
            return from_management_api(base, node.user, password, node.vhost, queue)

        ctl = [_seconds(lambda: node.queue_counts(queue)) for _ in range(5)]
        api = [_seconds(by_api) for _ in range(5)]
        behind = []
        for n in range(1, 4):
            channel.basic_publish("", queue, b"one more")
            published = time.monotonic()
            while (by_api() or NO_QUEUE).ready != n and time.monotonic() - published < 15:
                time.sleep(0.02)
            behind.append(time.monotonic() - published)
        connection.close()
        print(f"queue counts: rabbitmqctl {statistics.median(ctl) * 1000:.0f} ms a reading, exact; "
              f"management API {statistics.median(api) * 1000:.0f} ms a reading, but a new message "
              f"showed {min(behind):.1f} to {max(behind):.1f} s late")
    finally:
        node.stop()


def _seconds(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


# Run in each lesson's kernel after it: its work, as the benchmark counts it.
MEASURE = """
import json
print(json.dumps({"intrinsic": lesson.intrinsic_seconds(),
                  "broker_start": getattr(lesson.broker, "start_seconds", 0.0) if lesson.broker.owned else 0.0,
                  "restarts": sum(up - down for run in lesson.runs
                                  for down, up in run.timeline.broker_downtime() if up is not None)}))
"""


def lessons(live: bool = True) -> float:
    """Run every lesson, side by side as make run does, and print its figures; return the
    suite's wall time.

    With the live view, also each lesson's longest silence: the longest time
    the output of a cell running over 2 s stayed unchanged.
    """
    os.environ[LIVE_VARIABLE] = "1" if live else "0"   # the kernels inherit it
    started = time.perf_counter()
    executions = execute_all(LESSONS, probe=MEASURE)
    total_wall = time.perf_counter() - started
    total_work = 0.0
    for path, execution in zip(LESSONS, executions):
        if execution.error is not None:
            raise SystemExit(f"{path.name} failed: {execution.error}")
        figures = json.loads(execution.probe or "{}")
        intrinsic, start, restarts = figures["intrinsic"], figures["broker_start"], figures["restarts"]
        wall, cells, work = execution.seconds, execution.cells, intrinsic + start + restarts
        total_work += work
        print(f"{path.stem}: wall {wall:.1f} s, work {work:.1f} s (sleeps {intrinsic:.1f} s, broker "
              f"start {start:.1f} s, restarts {restarts:.1f} s), overhead ratio {wall / work:.2f}")
        long_cells = [cell for cell in cells if cell.seconds > SILENCE_GOAL]
        if live and long_cells:
            worst = max(long_cells, key=lambda cell: cell.longest_silence)
            print(f"  {len(long_cells)} cells over {SILENCE_GOAL:.0f} s; longest silence "
                  f"{worst.longest_silence:.2f} s, in cell {worst.index} ({worst.first_line[:50]!r})"
                  + ("" if worst.longest_silence <= SILENCE_GOAL else "  OVER THE GOAL"))
    print(f"suite{'' if live else ' without the live view'}, {AT_A_TIME} lessons at a time: wall "
          f"{total_wall:.1f} s, work {total_work:.1f} s, overhead ratio {total_wall / total_work:.2f}")
    return total_wall


def main() -> int:
    if "--cluster" in sys.argv[1:]:  # lesson 6's figures only
        cluster_figures()
        return 0
    broker = get_broker()
    print(f"Broker: {broker.describe()}")
    worker_latency(broker.url)
    private_node_times()
    cluster_figures()
    chart_figures()
    queue_count_readings()
    with_live = lessons(live=True)
    without = lessons(live=False)
    print(f"the live view adds {100 * (with_live / without - 1):+.1f}% to the suite's wall time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
