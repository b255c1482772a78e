"""A class on one broker: two learners run lesson 1 at the same moment, each under nbval."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from workshop.class_on_one_broker import failures

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.broker
def test_two_learners_run_lesson_1_at_once_and_leave_no_queue() -> None:
    result = subprocess.run([sys.executable, "-m", "workshop.class_on_one_broker", "--copies", "2", "--lessons", "01"],
                            cwd=ROOT, capture_output=True, text=True, timeout=400)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 learners at once: 2 passed" in result.stdout and "queues left: none" in result.stdout


def test_a_failed_learner_is_reported_with_what_its_cell_expected_and_got() -> None:
    output = "\n".join([
        "...EF...", "=================== ERRORS ===================",
        "____ ERROR at setup of test_x ____", "E   KeyError: 'broker'",
        "=================== FAILURES ===================",
        "_______ notebooks/01_round_robin.ipynb::Cell 13 _______",
        "Notebook cell execution failed", "Cell 13: Cell outputs differ",
        "Expected:", "= an output that starts with an equals sign =", "Got:", "['Not yet: something else']",
        "=========== short test summary info ===========",
        "FAILED notebooks/01_round_robin.ipynb::Cell 13 - Notebook cell execution failed",
        "========== 1 failed, 1 error, 18 passed in 27.51s =========="])
    report = failures(output)
    assert report[0] == "____ ERROR at setup of test_x ____" and report[-1] == "['Not yet: something else']"
    assert "= an output that starts with an equals sign =" in report and len(report) == 9
    assert failures(output, most=3)[-1] == "... (6 more lines)"
    assert failures("FAILED x::y - boom\nE   KeyError: 1\nother") == ["FAILED x::y - boom", "E   KeyError: 1"]
