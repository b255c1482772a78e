"""A class on one broker: two learners run lesson 1 at the same moment, each under nbval."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.broker


def test_two_learners_run_lesson_1_at_once_and_leave_no_queue() -> None:
    result = subprocess.run([sys.executable, "-m", "workshop.class_on_one_broker", "--copies", "2", "--lessons", "01"],
                            cwd=ROOT, capture_output=True, text=True, timeout=400)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 learners at once: 2 passed" in result.stdout and "queues left: none" in result.stdout
