"""Each lesson's core path (its markdown outside *Going further*) holds at most 700 words.

workshop/word_count.py counts them, as the README and LESSON_SHAPE.md say.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from workshop import word_count


@dataclass
class Counted:
    returncode: int
    stdout: str


@pytest.fixture
def count(capsys: pytest.CaptureFixture):
    """``python -m workshop.word_count PATHS``, in this process: its exit code and what it printed."""
    def run(*paths: Path) -> Counted:
        code = word_count.main([str(path) for path in paths])
        return Counted(code, capsys.readouterr().out)
    return run


def test_every_lesson_is_within_its_budget(count) -> None:
    result = count()
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    assert len(lines) == 7 and lines[-1].startswith("total"), result.stdout  # six lessons


def test_the_count_leaves_out_going_further_and_counts_a_code_span_as_one_word(count, tmp_path: Path) -> None:
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Lesson 9\n\nCall `channel.basic_qos(prefetch_count=1)` first."),
        nbformat.v4.new_code_cell("print('code is not counted')"),
        nbformat.v4.new_markdown_cell("## Going further (optional)\n\nnot counted\n\n### Nor this\n\nno"),
        nbformat.v4.new_markdown_cell("## Summary\n\n- [three words here](02_acknowledgements.ipynb) | ---"),
    ])
    path = tmp_path / "09_sample.ipynb"
    nbformat.write(notebook, path)
    result = count(path)
    # "Lesson 9" 2, "Call CODE first." 3, "Summary" 1, "three words here" 3
    assert result.stdout.splitlines()[0].split()[1] == "9", result.stdout
    notebook.cells[0].source += " " + "word " * 700
    nbformat.write(notebook, path)
    assert count(path).returncode == 1
