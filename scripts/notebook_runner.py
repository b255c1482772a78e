"""Execute one lesson notebook headless: the one way `make run` and `make benchmark` do it.

(`make test` runs the lessons under nbval instead, which compares each cell's
output with the stored one; see conftest.py.)
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")
ROOT = Path(__file__).resolve().parent.parent
LESSONS: List[Path] = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@dataclass
class Execution:
    """One executed lesson: the notebook with its new outputs, and how it went."""

    notebook: nbformat.NotebookNode
    seconds: float                # wall time of the lesson's own cells
    error: Optional[str] = None   # the last line of the first failing cell's error
    probe: Optional[str] = None   # what ``probe`` printed, run after the lesson in its kernel


def execute(path: Path, probe: Optional[str] = None, timeout: int = 600) -> Execution:
    """Run every code cell of ``path`` in a fresh kernel, in the notebook's folder.

    ``probe``: code to run in the same kernel after the lesson (not saved in the notebook).
    """
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    result = Execution(notebook, 0.0)
    with client.setup_kernel():
        started = time.perf_counter()
        try:
            for index, cell in enumerate(notebook.cells):
                if cell.cell_type == "code":
                    client.execute_cell(cell, index)
        except CellExecutionError as failure:
            result.error = ANSI_COLOUR.sub("", str(failure)).strip().splitlines()[-1]
        result.seconds = time.perf_counter() - started
        if probe is not None and result.error is None:
            notebook.cells.append(nbformat.v4.new_code_cell(probe))
            cell = client.execute_cell(notebook.cells[-1], len(notebook.cells) - 1)
            result.probe = "".join(output.get("text", "") for output in cell.outputs)
            notebook.cells.pop()  # not part of the lesson
    return result
