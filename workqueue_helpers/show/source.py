"""Show the code that runs: a step's program as it is, or what changed from the step before."""

from __future__ import annotations

import difflib
from pathlib import Path

from workqueue_helpers import programs


def _shown_path(path: str) -> str:
    """The path as a learner finds it beside the lessons: ``programs/step2/worker.py``."""
    resolved = Path(path).resolve()
    try:
        return str(resolved.relative_to(programs.FOLDER.parent))
    except ValueError:
        return resolved.name


def show_program(program: str) -> None:
    """Print a program's file whole (a step's, as ``"step1/worker.py"``), under its path."""
    path = programs.resolve(program)
    print(f"# {_shown_path(path)}")
    print(Path(path).read_text(encoding="utf-8").rstrip())


def show_change(before: str, after: str) -> None:
    """Print what changed from program ``before`` to program ``after``: the lines taken
    out (``-``) and put in (``+``), with two lines around each change."""
    old, new = programs.resolve(before), programs.resolve(after)
    diff = difflib.unified_diff(
        Path(old).read_text(encoding="utf-8").splitlines(),
        Path(new).read_text(encoding="utf-8").splitlines(),
        fromfile=_shown_path(old), tofile=_shown_path(new), n=2, lineterm="")
    shown = ["..." if line.startswith("@@") else line for line in diff]
    print("\n".join(shown) or f"# {_shown_path(new)} is the same as {_shown_path(old)}")
