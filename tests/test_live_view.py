"""The live view: a waiting cell redraws itself all along, and ends empty.

(How often it redraws on a quiet machine is a figure for make benchmark, not a bound here.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest

from workshop.live_view_screenshot import CHROMIUM
from workshop.notebook_runner import execute

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.broker

CELLS = [
    'from workqueue_helpers.demo.lesson import Lesson\nlesson = Lesson("test-live", quiet=True)',
    'run = lesson.new_run()\nrun.start("step1/worker.py", 2, seconds_per_dot=0.5)',
    'run.publish(["A....", "B....", "C....", "D...."])\nrun.wait_until_done(timeout=60)\nprint("done")',
    "lesson.finish()",
]


def execute_cells(folder: Path):
    """Run CELLS as a notebook in a fresh kernel, as make run does; the execution."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    path = folder / "live.ipynb"
    nbformat.write(notebook, path)
    execution = execute(path)
    assert execution.error is None, execution.error
    return execution


def test_a_waiting_cell_is_redrawn_and_stored_as_its_final_output(tmp_path):
    execution = execute_cells(tmp_path)
    waiting = execution.cells[2]
    assert waiting.seconds > 3.5                   # four tasks of 2 s on two workers
    # Redrawn all along: frames keep coming while the tasks run, not only at the start and end.
    middle = [at for at in waiting.outputs_at if 0.1 < at / waiting.seconds < 0.9]
    assert len(middle) >= 3, waiting
    outputs = execution.notebook.cells[2].outputs
    # What is stored: the live display, empty again, then what the cell printed.
    assert [output.output_type for output in outputs] == ["display_data", "stream"]
    assert outputs[0].data == {"text/plain": ""} and outputs[1].text == "done\n"


def test_off_means_no_display(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKQUEUE_LIVE", "0")          # the kernel inherits it
    execution = execute_cells(tmp_path)
    assert [output.output_type for output in execution.notebook.cells[2].outputs] == ["stream"]


@pytest.mark.skipif(not os.path.exists(CHROMIUM),
                    reason="needs a Chromium: Debian's chromium package, or CHROMIUM=path")
def test_jupyterlab_shows_a_partly_drawn_timeline_mid_cell(tmp_path):
    """A real browser: JupyterLab in headless Chromium, screenshot taken while the cell runs."""
    screenshot = tmp_path / "live_view.png"
    result = subprocess.run([sys.executable, "-m", "workshop.live_view_screenshot", str(screenshot)],
                            cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    assert "live: still running: True" in result.stdout
    assert "tasks done" in result.stdout and screenshot.stat().st_size > 10_000


INTERRUPTED = [
    'from workqueue_helpers.demo.lesson import Lesson\nlesson = Lesson("test-live-interrupt", quiet=True)',
    'run = lesson.new_run()\nrun.start("step2/worker.py", 2, seconds_per_dot=1.0)',
    'run.publish(["Long task.....", "Long task.....", "Long task....."])\nrun.wait_until_done(timeout=60)',
    'after = lesson.new_run("after")\nafter.start("step2/worker.py", seconds_per_dot=0.1)\n'
    'after.publish(["Short task."])\n'
    'print(after.wait_until_done(timeout=20), run.live_workers())\nlesson.finish()',
]


def interrupt(pid: int) -> None:
    """What Jupyter's Interrupt Kernel does to a local kernel: SIGINT to its process group."""
    group = os.getpgid(pid)
    if group != os.getpgid(0):
        os.killpg(group, signal.SIGINT)
    else:
        os.kill(pid, signal.SIGINT)


def test_interrupt_kernel_stops_a_live_cell_and_the_lesson_goes_on():
    """Interrupt Kernel in the middle of a live cell: the cell stops at once, its workers
    with it, the display is emptied, and the next cell runs a new demo."""
    from nbclient import NotebookClient

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in INTERRUPTED]
    client = NotebookClient(notebook, timeout=120, kernel_name="python3", allow_errors=True)
    with client.setup_kernel():
        for index in (0, 1):
            client.execute_cell(notebook.cells[index], index)
        kernel = client.km.provisioner.process.pid
        timer = threading.Timer(3.0, interrupt, [kernel])
        timer.start()
        started = time.monotonic()
        client.execute_cell(notebook.cells[2], 2)
        stopped_after = time.monotonic() - started
        client.execute_cell(notebook.cells[3], 3)
    assert 3.0 <= stopped_after < 8.0, stopped_after   # not the 15 s the tasks would take
    live, *rest = notebook.cells[2].outputs
    assert live.output_type == "display_data" and live.data == {"text/plain": ""}
    assert [output.get("ename") for output in rest if output.output_type == "error"] == ["KeyboardInterrupt"]
    assert notebook.cells[3].outputs[-1].text == "True []\n"   # the new run worked; the old workers are gone
