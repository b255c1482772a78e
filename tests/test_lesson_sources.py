"""Every show_source call in every lesson finds its start and end lines in today's code.

show_source raises ValueError for a marker it cannot find, so a lesson cannot
silently show a whole function where it meant three lines. This test runs each
call without a broker, so a renamed line is caught in seconds.
"""

from __future__ import annotations

import ast
import contextlib
import io
from pathlib import Path

import nbformat
import pytest

from workqueue_helpers import cluster_new_task, cluster_worker, new_task, worker
from workqueue_helpers.show.source import show_source

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def show_source_calls():
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code" or cell.source.lstrip().startswith("%%"):
                continue
            for node in ast.walk(ast.parse(cell.source)):
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "show_source":
                    yield pytest.param(ast.unparse(node), id=f"{path.stem}: {ast.unparse(node)}")


CALLS = list(show_source_calls())


def test_the_lessons_show_code():
    assert len(CALLS) >= 5, CALLS


@pytest.mark.parametrize("call", CALLS)
def test_each_show_source_call_finds_its_lines(call):
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        eval(call, {"show_source": show_source, "worker": worker, "new_task": new_task,
                    "cluster_worker": cluster_worker, "cluster_new_task": cluster_new_task})
    lines = printed.getvalue().splitlines()
    assert lines[0].startswith("# workqueue_helpers/") and len(lines) >= 2, lines


@pytest.mark.parametrize("markers", [dict(start="no such line"), dict(end="no such line"),
                                     dict(start="start_consuming", end="def callback")])
def test_a_marker_that_is_not_there_is_refused(markers):
    with pytest.raises(ValueError, match="is not in main"):
        show_source(worker.main, **markers)
