"""A class on one broker: run several copies of lessons at the same moment, each as its own learner.

    .venv/bin/python -m workshop.class_on_one_broker --copies 5 --lessons 01 02

Each copy is a learner (WORKQUEUE_LEARNER=learner1, learner2, ...) running the
lessons in order under nbval, as `make test` does, all against the same broker.
``--simulate 30`` instead gives the broker 30 learners' workers and tasks of
lesson 1 without their notebooks (a class's laptops run those, not the broker). While
they run, the broker's connections, memory and CPU are sampled. Afterwards
the script looks for any queue the copies left behind.

Prints one line per copy and the broker's figures; exits non-zero if a copy
failed or a queue was left.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Dict, List, Optional

import psutil

from workqueue_helpers.broker.find import find_running_broker
from workqueue_helpers.broker.queues import delete_queues
from workqueue_helpers.connection import BrokerError

ROOT = Path(__file__).resolve().parent.parent


ANSI = re.compile(r"\x1b\[[0-9;]*m")
SECTION = re.compile(r"^={5,} (.+?) ={5,}$")  # pytest's section headers: "==== FAILURES ===="


def broker_process(port: int) -> Optional[psutil.Process]:
    """The Erlang VM listening on ``port`` on this machine, if it can be seen."""
    for connection in psutil.net_connections("tcp"):
        if connection.status == psutil.CONN_LISTEN and connection.laddr.port == port and connection.pid:
            return psutil.Process(connection.pid)
    return None


class BrokerSampler(threading.Thread):
    """Samples the broker's memory, CPU and AMQP connections every second."""

    def __init__(self, process: Optional[psutil.Process], port: int) -> None:
        super().__init__(daemon=True)
        self.process, self.port = process, port
        self.memory: List[int] = []
        self.cpu: List[float] = []
        self.connections: List[int] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        if self.process is not None:
            self.process.cpu_percent()
        while not self.stopping.wait(1.0):
            established = [c for c in psutil.net_connections("tcp")
                           if c.status == psutil.CONN_ESTABLISHED and c.laddr.port == self.port]
            self.connections.append(len(established))
            if self.process is not None:
                self.memory.append(self.process.memory_info().rss)
                self.cpu.append(self.process.cpu_percent())


def lesson_path(number: str) -> Path:
    matches = sorted((ROOT / "notebooks").glob(f"{number}_*.ipynb"))
    if not matches:
        raise SystemExit(f"class_on_one_broker: no lesson {number} in notebooks/")
    return matches[0]


def queues_of(broker, learners: List[str]) -> List[str]:
    """The broker's queues whose names start with one of these learners."""
    try:
        names = broker.queue_names()
    except BrokerError as error:
        raise SystemExit(f"class_on_one_broker: {error}") from None
    return [name for name in names if name.split("-")[0] in learners]


def run_lessons(copies: int, lessons: List[str]) -> int:
    """``copies`` learners at once, each running ``lessons`` in order under nbval;
    print one line per learner; return how many failed."""
    paths = [str(lesson_path(number)) for number in lessons]
    learners: Dict[str, subprocess.Popen] = {}
    for n in range(1, copies + 1):
        learner = f"learner{n}"
        learners[learner] = subprocess.Popen(
            [sys.executable, "-m", "pytest", *paths, "-q", "-n", "0", "-p", "no:cacheprovider"],
            cwd=ROOT, env=dict(os.environ, WORKQUEUE_LEARNER=learner),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    failed = 0
    for learner, copy in learners.items():
        output, _ = copy.communicate()
        last = output.strip().splitlines()[-1] if output.strip() else "no output"
        failed += copy.returncode != 0
        print(f"{learner}, lessons {' '.join(lessons)}: "
              f"{'passed' if copy.returncode == 0 else 'FAILED'} ({last.strip('= ')})")
        if copy.returncode != 0:
            print("    " + "\n    ".join(failures(ANSI.sub("", output))))
    return failed


def failures(output: str, most: int = 80) -> List[str]:
    """pytest's report of what went wrong: its ERRORS and FAILURES sections (for a lesson,
    nbval's: the cell, what it expected and what it got); at most ``most`` lines. Without
    them, the lines that name an error."""
    report: List[str] = []
    inside = False
    for line in output.splitlines():
        header = SECTION.match(line)
        if header:
            inside = header.group(1) in ("ERRORS", "FAILURES")
        elif inside:
            report.append(line)
    if not report:
        report = [line for line in output.splitlines()
                  if line.startswith(("FAILED", "ERROR", "E ", "---->")) or "Error" in line]
    return report if len(report) <= most else report[:most] + [f"... ({len(report) - most} more lines)"]

def simulate(url: str, learners: int) -> int:
    """The broker's side of ``learners`` doing lesson 1 at once, without their notebooks:
    each gets two workers and the five tasks; return how many did not get round-robin."""
    from workqueue_helpers.demo.lesson import learner_tag
    from workqueue_helpers.demo.run import Run

    tasks = ["First message.", "Second message..", "Third message...",
             "Fourth message....", "Fifth message....."]
    runs = [Run(url, f"sim{n}-{learner_tag()}.lesson01.tasks") for n in range(1, learners + 1)]
    try:
        for run in runs:                     # workers start from the main thread, one by one
            run.start("step1/worker.py", 2, seconds_per_dot=0.5)
        for run in runs:
            run.publish(tasks)
        failed = 0
        for run in runs:
            run.wait_until_done(timeout=60)
            failed += run.timeline.tasks_by_worker() != {"worker1": [1, 3, 5], "worker2": [2, 4]}
        return failed
    finally:
        for run in runs:
            run.stop()
        delete_queues(url, [run.queue for run in runs])


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=5, help="learners per lesson (default 5)")
    parser.add_argument("--lessons", nargs="+", default=["01", "02"],
                        help="lesson numbers each learner runs, in order (default 01 02)")
    parser.add_argument("--simulate", type=int, default=0, metavar="N",
                        help="instead: N learners' workers and tasks of lesson 1, without notebooks")
    args = parser.parse_args(argv)
    broker = find_running_broker()
    if broker is None:
        print("class_on_one_broker: no broker on localhost:5672 or RABBITMQ_URL", file=sys.stderr)
        return 2
    process = broker_process(broker.port) if broker.host in ("localhost", "127.0.0.1") else None
    sampler = BrokerSampler(process, broker.port)
    baseline = process.memory_info().rss if process else 0

    started = time.monotonic()
    sampler.start()
    if args.simulate:
        failed = simulate(broker.url, args.simulate)
        learners = []
    else:
        failed = run_lessons(args.copies, args.lessons)
        learners = [f"learner{n}" for n in range(1, args.copies + 1)]
    wall = time.monotonic() - started
    sampler.stopping.set()
    sampler.join()

    left = queues_of(broker, learners) if learners else []
    count = args.simulate or args.copies
    print(f"{count} learners at once: {count - failed} passed in {wall:.0f} s; "
          f"queues left: {', '.join(left) or 'none'}")
    if sampler.connections:
        print(f"broker: at most {max(sampler.connections)} AMQP connections", end="")
        if sampler.memory:
            print(f", memory {baseline / 2**20:.0f} MiB before, at most {max(sampler.memory) / 2**20:.0f} MiB, "
                  f"CPU at most {max(sampler.cpu):.0f}% of one core (mean {sum(sampler.cpu) / len(sampler.cpu):.0f}%)",
                  end="")
        print()
    load = os.getloadavg()[0]
    print(f"machine: load average {load:.1f} on {os.cpu_count()} cores")
    return 1 if failed or left else 0


if __name__ == "__main__":
    sys.exit(main())
