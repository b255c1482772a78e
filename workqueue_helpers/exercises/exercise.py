"""One exercise: the file a learner writes, the queue it uses, and running it for real.

    producer = Exercise(lesson, 1, "new_task.py")
    %%writefile {producer.file}          # the learner's code, in a notebook cell
    check_producer(producer)             # runs it against the real broker (checks.py)

A learner's file starts as a step of the tutorial (``notebooks/programs/``) and
reads its broker, queue and seconds per dot from the environment, as the
steps do (``SECONDS_PER_DOT`` is less here, so that checks are quick). It runs
under the harness, as every program the lessons start, so its calls are on
the run's timeline.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from typing import Optional, Sequence

from workqueue_helpers import processes
from workqueue_helpers.connection import one_line
from workqueue_helpers.demo.lesson import Lesson
from workqueue_helpers.demo.run import Run
from workqueue_helpers.language import translated
from workqueue_helpers.record.events import PRODUCER


@dataclass(frozen=True)
class Verdict:
    """What a check says: correct, or not yet, with the mistake it recognised."""

    correct: bool
    text: str
    mistake: Optional[str] = None  # a key of checks.HINTS: which typical mistake this is

    def __repr__(self) -> str:  # what the notebook shows when a check returns
        return translated("Correct: " if self.correct else "Not yet: ") + self.text


@dataclass(frozen=True)
class ProducerResult:
    """One run of a learner's producer, as ``python new_task.py words...`` in a terminal."""

    returncode: int
    output: str  # what it printed: its own lines, or the harness's one-line error

    @property
    def last_line(self) -> str:
        lines = [line for line in self.output.splitlines() if line.strip()]
        return one_line(lines[-1]) if lines else f"exit code {self.returncode}"


class Exercise:
    """Exercise ``number`` of a lesson: the file the learner writes, and its queue."""

    def __init__(self, lesson: Lesson, number: int, filename: str,
                 seconds_per_dot: float = 0.2) -> None:
        self.lesson = lesson
        self.number = number
        self.file = os.path.join(lesson.exercise_folder(), filename)
        self.queue = f"{lesson.prefix}.ex{number}"
        self.seconds_per_dot = seconds_per_dot

    def new_run(self, suffix: str = "") -> Run:
        """A fresh run on this exercise's queue (a durable quorum queue, as the tutorial
        declares it); any earlier run on it is stopped, the queue emptied."""
        return self.lesson.new_run(f"ex{self.number}{suffix}")

    def written(self) -> bool:
        return os.path.exists(self.file)

    def run_producer(self, run: Run, words: Sequence[str], timeout: float = 20.0) -> ProducerResult:
        """Run the learner's file as ``python new_task.py words...``, in ``run``, and wait
        until it ends; its events join the run's timeline."""
        run.start(self.file, args=words, seconds_per_dot=self.seconds_per_dot)
        producer = run.children[PRODUCER]
        try:
            producer.process.wait(timeout)
        except subprocess.TimeoutExpired:
            processes.kill(producer.process)
            producer.process.wait(5)
            producer.screen.append(f"(stopped after {timeout:g} s: the program did not end)")
        if producer.reader is not None:
            producer.reader.join(2.0)
        return ProducerResult(producer.process.returncode, "\n".join(producer.screen))
