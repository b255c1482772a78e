"""The exercises' solutions, and typical mistakes made from them on purpose."""

from __future__ import annotations

from pathlib import Path

from workqueue_helpers.exercises import Exercise, Verdict

SOLUTIONS = Path(__file__).resolve().parent.parent / "notebooks" / "solutions"


def solution(name: str) -> str:
    """The text of a solution file in notebooks/solutions/."""
    return (SOLUTIONS / name).read_text(encoding="utf-8")


def mistake(text: str, old: str, new: str) -> str:
    """``text`` with ``old`` replaced by ``new``; fails if ``old`` is not there."""
    assert old in text, f"the solution no longer contains {old!r}"
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
