"""Each lesson can be run twice in a row in one kernel, as a learner reruns it,
with the same checked outputs, and leaves no queue and no process behind.

nbval (run on notebooks/ by the same `pytest`) compares one run with the
stored outputs; this test runs every cell a second time in the same kernel
and compares the two runs, cell by cell, as nbval would (same sanitizing,
same cells skipped).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import nbformat
import psutil
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"

pytestmark = pytest.mark.broker


def sanitizers() -> list:
    """The (regex, replacement) pairs of nbval_sanitize.cfg."""
    text = SANITIZE.read_text()
    pairs = re.findall(r"^regex: (.*)\n^replace: (.*)$", text, flags=re.M)
    return [(re.compile(regex), replace) for regex, replace in pairs]


def checked_text(cell, rules) -> str:
    """What nbval compares for a cell: streams and text/plain, sanitized."""
    parts = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream" and output["name"] == "stdout":
            parts.append(output["text"])
        elif "data" in output and "text/plain" in output["data"]:
            parts.append(output["data"]["text/plain"])
        elif output["output_type"] == "error":
            parts.append(f"{output['ename']}: {output['evalue']}")
    text = "".join(parts)
    for regex, replace in rules:
        text = regex.sub(replace, text)
    return text


def is_checked(cell) -> bool:
    return cell.cell_type == "code" and "nbval-ignore-output" not in cell.metadata.get("tags", [])


def worker_processes() -> list:
    return [p for p in psutil.process_iter(["cmdline"])
            if "workqueue_helpers.worker" in " ".join(p.info["cmdline"] or [])]


def lesson_queues(prefix: str) -> list:
    listing = subprocess.run(["rabbitmqctl", "list_queues", "-q", "--no-table-headers", "name"],
                             capture_output=True, text=True)
    return [name for name in listing.stdout.split() if name.startswith(prefix + ".")]


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_runs_twice_in_one_kernel_and_cleans_up(path, broker):
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    rules = sanitizers()
    runs = []
    with client.setup_kernel():
        for _ in range(2):
            for index, cell in enumerate(notebook.cells):
                if cell.cell_type == "code":
                    client.execute_cell(cell, index)
            runs.append([checked_text(c, rules) for c in notebook.cells if is_checked(c)])
    first, second = runs
    assert len(first) == len(second)
    for number, (one, two) in enumerate(zip(first, second)):
        assert one == two, f"checked cell {number} printed something else on the rerun"

    assert worker_processes() == [], "worker processes outlived the kernel"
    prefix = f"lesson{path.stem[:2]}"
    if broker.kind == "local":
        assert lesson_queues(prefix) == [], "queues left behind on the broker"
