"""One exercise: the file a learner writes, the queue it uses, and running it for real.

    producer = Exercise(lesson, 1, "new_task.py")
    %%writefile {producer.file}          # the learner's code, in a notebook cell
    check_producer(producer)             # runs it against the real broker (checks.py)

A learner's file finds the broker and its queue in the environment, so that
the code stays the tutorial's: ``RABBITMQ_URL``, ``TASK_QUEUE`` and
``SECONDS_PER_DOT`` (1 in the tutorial; less here, so that checks are quick).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

from workqueue_helpers import processes
from workqueue_helpers.connection import one_line
from workqueue_helpers.demo.lesson import Lesson
from workqueue_helpers.demo.run import Run, learner_environment


@dataclass(frozen=True)
class Verdict:
    """What a check says: correct, or not yet, with the mistake it recognised."""

    correct: bool
    text: str
    mistake: Optional[str] = None  # a key of checks.HINTS: which typical mistake this is

    def __repr__(self) -> str:  # what the notebook shows when a check returns
        return ("Correct: " if self.correct else "Not yet: ") + self.text


@dataclass(frozen=True)
class ProgramResult:
    """One run of a learner's program from the command line."""

    argv: List[str]
    returncode: int
    stdout: str
    stderr: str

    @property
    def last_error_line(self) -> str:
        lines = [line for line in self.stderr.splitlines() if line.strip()]
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
        """A fresh run on this exercise's queue (a durable classic queue, as the
        learner's file declares it); any earlier run on it is stopped, the queue emptied."""
        return self.lesson.new_run(f"ex{self.number}{suffix}", queue_type="classic")

    def environment(self, queue: Optional[str] = None) -> Dict[str, str]:
        """What the learner's program reads from its environment."""
        return learner_environment(self.lesson.broker.url, queue or self.queue,
                                   self.seconds_per_dot)

    def written(self) -> bool:
        return os.path.exists(self.file)

    def run_program(self, words: Sequence[str], queue: Optional[str] = None,
                    timeout: float = 20.0) -> ProgramResult:
        """Run the learner's file as ``python FILE words...``, as in a terminal."""
        argv = [sys.executable, self.file, *words]
        process = processes.spawn(argv, env=dict(os.environ, **self.environment(queue)),
                                  stderr=subprocess.PIPE)
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            processes.kill(process)
            out, err = process.communicate()
            err += f"\n(stopped after {timeout:g} s: the program did not end)".encode()
        return ProgramResult(argv, process.returncode, out.decode("utf-8", "replace"),
                             err.decode("utf-8", "replace"))
