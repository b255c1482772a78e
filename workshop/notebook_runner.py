"""Execute one lesson notebook headless: the one way `make run` and `make benchmark` do it.

(`make test` runs the lessons under nbval instead, which compares each cell's
output with the stored one; see conftest.py.)
"""

from __future__ import annotations

import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, List, Optional

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from workshop.kernels import IpcKernelManager
from workshop.lessons import lessons

ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")
ROOT = Path(__file__).resolve().parent.parent
LESSONS: List[Path] = lessons()
# Lessons run side by side: they mostly wait on their workers, and each has queues (or a
# node, or a cluster) of its own. Four at a time keep two cores busy without starving them.
AT_A_TIME = 4
# Started first, so that four at a time end together (make run here: 146 s in name order,
# the three longest last). Lesson 6a comes once lesson 6's cluster is up: two clusters
# booting at once slow both.
LONGEST_FIRST = ["06_cluster.ipynb", "05_nothing_lost.ipynb", "04a_prefetch_and_scaling.ipynb",
                 "03_durability.ipynb", "06a_classic_queues_and_real_clusters.ipynb",
                 "02_acknowledgements.ipynb", "03a_crash_confirms_and_quorum_queues.ipynb"]


@dataclass
class Execution:
    """One executed lesson: the notebook with its new outputs, and how it went."""

    notebook: nbformat.NotebookNode
    seconds: float                # wall time of the lesson's own cells
    error: Optional[str] = None   # the last line of the first failing cell's error
    probe: Optional[str] = None   # what ``probe`` printed, run after the lesson in its kernel
    cells: List["CellTiming"] = field(default_factory=list)  # one per code cell run


# What a viewer sees change: a new output, or one redrawn in place.
OUTPUT_MESSAGES = {"stream", "display_data", "update_display_data", "execute_result",
                   "error", "clear_output"}


@dataclass
class CellTiming:
    """When one cell ran, and the longest time its output stayed unchanged."""

    index: int
    first_line: str
    seconds: float
    longest_silence: float
    outputs_at: List[float] = field(default_factory=list)  # each output message, seconds in


class TimedClient(NotebookClient):
    """A NotebookClient that notes when each output message of a cell arrives."""

    def process_message(self, msg, cell, cell_index):  # type: ignore[override]
        if msg["msg_type"] in OUTPUT_MESSAGES:
            self.output_times.append(time.perf_counter())
        return super().process_message(msg, cell, cell_index)

    def timed_cell(self, cell, index: int) -> CellTiming:
        """Execute ``cell``; time it and its longest silence (start, outputs, end)."""
        self.output_times: List[float] = []
        started = time.perf_counter()
        try:
            self.execute_cell(cell, index)
        finally:
            ended = time.perf_counter()
            moments = [started] + self.output_times + [ended]
            gaps = [later - earlier for earlier, later in zip(moments, moments[1:])]
            first_line = next((line for line in cell.source.splitlines() if line.strip()), "")
            self.timings.append(CellTiming(index, first_line, ended - started, max(gaps),
                                           [t - started for t in self.output_times]))


def execute(path: Path, probe: Optional[str] = None, timeout: int = 600) -> Execution:
    """Run every code cell of ``path`` in a fresh kernel, in the notebook's folder.

    ``probe``: code to run in the same kernel after the lesson (not saved in the notebook).
    """
    notebook = nbformat.read(path, as_version=4)
    kernel = IpcKernelManager(kernel_name="python3")
    client = TimedClient(notebook, km=kernel, timeout=timeout, kernel_name="python3",
                         resources={"metadata": {"path": str(path.parent)}})
    client.timings = []
    result = Execution(notebook, 0.0, cells=client.timings)
    # cleanup_kc: shut the kernel down at the end, as a learner closing the lesson would
    # (nbclient keeps a kernel it did not start itself, here until our process exits).
    # The notebook's path, as Jupyter Server gives it to a kernel: a translated lesson's
    # kernel speaks its language (workqueue_helpers/language.py).
    environment = {**os.environ, "JPY_SESSION_NAME": str(path)}
    with client.setup_kernel(cleanup_kc=True, env=environment):
        started = time.perf_counter()
        try:
            for index, cell in enumerate(notebook.cells):
                if cell.cell_type == "code":
                    client.timed_cell(cell, index)
        except CellExecutionError as failure:
            result.error = ANSI_COLOUR.sub("", str(failure)).strip().splitlines()[-1]
        result.seconds = time.perf_counter() - started
        if probe is not None and result.error is None:
            notebook.cells.append(nbformat.v4.new_code_cell(probe))
            cell = client.execute_cell(notebook.cells[-1], len(notebook.cells) - 1)
            result.probe = "".join(output.get("text", "") for output in cell.outputs)
            notebook.cells.pop()  # not part of the lesson
    return result


def execute_all(paths: List[Path], probe: Optional[str] = None,
                started: Optional[Callable[[Path], None]] = None) -> List[Execution]:
    """``execute`` each of ``paths``, ``AT_A_TIME`` at a time, each in its own kernel, the
    longest first; the executions in the order of ``paths``. ``started`` is called as each one starts."""
    def one(path: Path) -> Execution:
        if started is not None:
            started(path)
        return execute(path, probe=probe)

    rank = {name: n for n, name in enumerate(LONGEST_FIRST)}
    with ThreadPoolExecutor(AT_A_TIME) as pool:
        futures = {path: pool.submit(one, path)
                   for path in sorted(paths, key=lambda path: rank.get(path.name, len(rank)))}
        return [futures[path].result() for path in paths]
