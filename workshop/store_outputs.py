"""Re-execute lessons and store their new outputs in notebooks/ (for authors).

    .venv/bin/python -m workshop.store_outputs notebooks/01_round_robin.ipynb [...]

nbval compares every later run with what is stored, so run this after
changing a lesson, then read the lesson again: do the words still match the
outputs and the charts?
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

from workshop.notebook_runner import execute


def merge_streams(notebook) -> None:
    """One output per run of stdout (or stderr) text, as nbval reads it back.

    The kernel may send one print in two messages (its text, then the line
    break) when a flush falls between them; stored apart, nbval would see an
    extra line.
    """
    for cell in notebook.cells:
        merged = []
        for output in cell.get("outputs", []):
            if (merged and output.output_type == "stream" and merged[-1].output_type == "stream"
                    and merged[-1].name == output.name):
                merged[-1].text += output.text
            else:
                merged.append(output)
        if "outputs" in cell:
            cell.outputs = merged


def main(paths) -> int:
    failed = 0
    for name in paths:
        path = Path(name).resolve()
        execution = execute(path)
        if execution.error:
            print(f"{path.name}: FAILED: {execution.error} (not stored)")
            failed += 1
            continue
        merge_streams(execution.notebook)
        nbformat.write(execution.notebook, path)
        print(f"{path.name}: stored ({execution.seconds:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
