"""The exercises' starting points and solutions (the tutorial's step files), and typical
mistakes made from them on purpose."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from workqueue_helpers.broker.queues import delete_queues, queue_exists
from workqueue_helpers.exercises import Exercise, Verdict

PROGRAMS = Path(__file__).resolve().parent.parent / "notebooks" / "programs"


def program(path: str) -> str:
    """The text of a step's file in notebooks/programs/: ``program("step2/worker.py")``.
    An exercise starts from one step's file; its solution is the next step's."""
    return (PROGRAMS / path).read_text(encoding="utf-8")


def mistake(text: str, old: str, new: str) -> str:
    """``text`` with ``old`` replaced by ``new``; fails if ``old`` is not there."""
    assert old in text, f"the program no longer contains {old!r}"
    return text.replace(old, new)


def write(exercise: Exercise, text: str) -> Exercise:
    """Write ``text`` as the learner's file, as %%writefile would."""
    Path(exercise.file).write_text(text, encoding="utf-8")
    return exercise


def expect(verdict: Verdict, mistake_key: str | None) -> None:
    """The check said "correct" (``None``) or recognised ``mistake_key``."""
    if mistake_key is None:
        assert verdict.correct, repr(verdict)
    else:
        assert not verdict.correct and verdict.mistake == mistake_key, repr(verdict)


@contextmanager
def stray_queue(url: str, name: str) -> Iterator[None]:
    """For a mistake that declares a queue of the tutorial's own name (``task_queue``,
    ``hello``) on a shared broker: skip if someone else's queue has that name (the
    mistake would use it), and delete it afterwards only if this test created it."""
    if queue_exists(url, name):
        pytest.skip(f"a queue {name!r} exists on this broker already (not this test's)")
    try:
        yield
    finally:
        delete_queues(url, [name])
