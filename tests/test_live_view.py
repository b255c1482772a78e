"""The live view: a waiting cell redraws itself at least every 2 s, and ends empty."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from notebook_runner import execute  # noqa: E402

pytestmark = pytest.mark.broker

CELLS = [
    'from workqueue_helpers.demo.lesson import Lesson\nlesson = Lesson("test-live", quiet=True)',
    "run = lesson.new_run()\nrun.start(2, auto_ack=True, seconds_per_dot=0.5)",
    'run.publish(["A....", "B....", "C....", "D...."])\nrun.wait_until_done(timeout=60)\nprint("done")',
    "lesson.finish()",
]


def test_a_waiting_cell_is_redrawn_and_stored_as_its_final_output(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    path = tmp_path / "live.ipynb"
    nbformat.write(notebook, path)
    execution = execute(path)
    assert execution.error is None, execution.error
    waiting = execution.cells[2]
    assert waiting.seconds > 3.5                   # four tasks of 2 s on two workers
    assert waiting.longest_silence < 2.0, waiting  # redrawn all along
    outputs = execution.notebook.cells[2].outputs
    # What is stored: the live display, empty again, then what the cell printed.
    assert [output.output_type for output in outputs] == ["display_data", "stream"]
    assert outputs[0].data == {"text/plain": ""} and outputs[1].text == "done\n"


def test_off_means_no_display(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKQUEUE_LIVE", "0")          # the kernel inherits it
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    path = tmp_path / "off.ipynb"
    nbformat.write(notebook, path)
    execution = execute(path)
    assert execution.error is None, execution.error
    assert [output.output_type for output in execution.notebook.cells[2].outputs] == ["stream"]


@pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"), reason="needs Debian's chromium package")
def test_jupyterlab_shows_a_partly_drawn_timeline_mid_cell(tmp_path):
    """A real browser: JupyterLab in headless Chromium, screenshot taken while the cell runs."""
    screenshot = tmp_path / "live_view.png"
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "live_view_screenshot.py"),
                             str(screenshot)], capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    assert "live: still running: True" in result.stdout
    assert "tasks done" in result.stdout and screenshot.stat().st_size > 10_000
