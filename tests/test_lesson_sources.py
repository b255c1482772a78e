"""The lessons show the tutorial's programs as they are: ``show_program`` prints a step's
file, ``show_change`` what changed from the step before; and every program a lesson
names in such a call exists.

No broker: a renamed or missing program is caught in a second.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
from pathlib import Path
from typing import Iterable, List, Tuple

import nbformat
import pytest

from workqueue_helpers import programs
from workqueue_helpers.connection import WorkQueueError
from workqueue_helpers.show.source import show_change, show_program

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
PROGRAMS = sorted(path.relative_to(programs.FOLDER).as_posix()
                  for path in programs.FOLDER.glob("*/*.py"))

# show_program("step1/worker.py") and show_change("step1/worker.py", "step2/worker.py"),
# with either kind of quotes; calls whose arguments are not string literals are not read.
STRING = r"""(?P<q{n}>["'])(?P<p{n}>[^"'\n]+)(?P=q{n})"""
SHOW_PROGRAM = re.compile(r"\bshow_program\(\s*" + STRING.format(n=1) + r"\s*\)")
SHOW_CHANGE = re.compile(r"\bshow_change\(\s*" + STRING.format(n=1) + r"\s*,\s*"
                         + STRING.format(n=2) + r"\s*\)")


def printed(function, *args) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        function(*args)
    return out.getvalue()


def changed_lines(diff: str) -> List[str]:
    """The lines a diff takes out (-) and puts in (+), without its two header lines."""
    return [line for line in diff.splitlines()[2:] if line[:1] in "+-"]


# --- show_program ------------------------------------------------------------------------------

def test_the_programs_are_the_tutorials_steps():
    assert PROGRAMS == ["cluster/new_task.py", "cluster/worker.py", "hello/receive.py",
                        "hello/send.py", *(f"step{n}/{name}" for n in range(1, 5)
                                           for name in ("new_task.py", "worker.py"))]


@pytest.mark.parametrize("program", PROGRAMS)
def test_show_program_prints_the_whole_file_under_its_path(program):
    text = (programs.FOLDER / program).read_text(encoding="utf-8")
    assert printed(show_program, program) == f"# programs/{program}\n{text.rstrip()}\n"


def test_show_program_names_a_learners_file_by_its_name(tmp_path):
    mine = tmp_path / "my_worker.py"
    mine.write_text("print('mine')\n\n")
    assert printed(show_program, str(mine)) == "# my_worker.py\nprint('mine')\n"


@pytest.mark.parametrize("call", [lambda: show_program("step9/worker.py"),
                                  lambda: show_program("step1/nothing.py"),
                                  lambda: show_change("step1/worker.py", "step9/worker.py")],
                         ids=["no step", "no file", "no file to compare"])
def test_a_program_that_is_not_there_is_refused(call):
    with pytest.raises(WorkQueueError, match="no program step"):
        call()


# --- show_change -------------------------------------------------------------------------------

def test_show_change_shows_lesson_2s_ack_between_headers_and_context():
    diff = printed(show_change, "step1/worker.py", "step2/worker.py").splitlines()
    assert diff[:3] == ["--- programs/step1/worker.py", "+++ programs/step2/worker.py", "..."]
    assert "@@" not in "\n".join(diff)
    assert changed_lines("\n".join(diff)) == [
        "+    ch.basic_ack(delivery_tag=method.delivery_tag)",
        "-channel.basic_consume(queue=QUEUE, on_message_callback=callback, auto_ack=True)",
        "+channel.basic_consume(queue=QUEUE, on_message_callback=callback)"]
    # Two lines of context on each side of a change, no more.
    ack = diff.index("+    ch.basic_ack(delivery_tag=method.delivery_tag)")
    assert diff[ack - 3:ack] == ["...", '     time.sleep(body.count(b".") * SECONDS_PER_DOT)',
                                 '     print(" [x] Done")']  # unchanged: " " and the line


def test_show_change_shows_lesson_3s_persistent_messages():
    lines = changed_lines(printed(show_change, "step2/new_task.py", "step3/new_task.py"))
    assert lines[0] == '-channel.basic_publish(exchange="", routing_key=QUEUE, body=message)'
    assert "+        delivery_mode=pika.DeliveryMode.Persistent," in lines
    assert all(line.startswith("+") for line in lines[1:])


def test_show_change_shows_lesson_4s_prefetch():
    assert changed_lines(printed(show_change, "step3/worker.py", "step4/worker.py")) == [
        "+channel.basic_qos(prefetch_count=1)"]


@pytest.mark.parametrize("before, after", [("step1/new_task.py", "step2/new_task.py"),
                                           ("step2/worker.py", "step3/worker.py"),
                                           ("step3/new_task.py", "step4/new_task.py")])
def test_show_change_says_when_a_step_leaves_a_program_as_it_was(before, after):
    assert printed(show_change, before, after) == \
        f"# programs/{after} is the same as programs/{before}\n"


# --- the lessons' calls ------------------------------------------------------------------------

def shown_programs(notebooks: Iterable[Path]) -> List[Tuple[str, str]]:
    """(notebook, program) for each program named in a show_program or show_change call
    of a code cell."""
    found = []
    for path in notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            for match in SHOW_PROGRAM.finditer(cell.source):
                found.append((path.name, match["p1"]))
            for match in SHOW_CHANGE.finditer(cell.source):
                found += [(path.name, match["p1"]), (path.name, match["p2"])]
    return found


def missing(shown: Iterable[Tuple[str, str]]) -> List[Tuple[str, str]]:
    """Those of ``shown`` whose program does not exist, as a lesson's kernel (which runs in
    the notebooks' folder) would look for it."""
    here = os.getcwd()
    os.chdir(NOTEBOOKS)
    try:
        gone = []
        for notebook, program in shown:
            try:
                exists = os.path.isfile(programs.resolve(program))
            except WorkQueueError:
                exists = False
            if not exists:
                gone.append((notebook, program))
        return gone
    finally:
        os.chdir(here)


def test_every_program_a_lesson_shows_exists():
    shown = shown_programs(sorted(NOTEBOOKS.glob("*.ipynb")))
    assert shown, "no lesson calls show_program or show_change: is the pattern out of date?"
    assert missing(shown) == []


def test_a_lesson_showing_a_program_that_is_not_there_is_caught(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell('show_program("step9/worker.py") in prose is not a call'),
        nbformat.v4.new_code_cell("from workqueue_helpers.show.source import show_program\n"
                                  "show_program('step1/worker.py')"),
        nbformat.v4.new_code_cell('show_change(\n    "step3/worker.py", "step5/worker.py")'),
        nbformat.v4.new_code_cell('show_program("step9/worker.py")'),
    ]
    path = tmp_path / "07_made_up.ipynb"
    path.write_text(json.dumps(notebook))
    shown = shown_programs([path])
    assert shown == [("07_made_up.ipynb", "step1/worker.py"), ("07_made_up.ipynb", "step3/worker.py"),
                     ("07_made_up.ipynb", "step5/worker.py"), ("07_made_up.ipynb", "step9/worker.py")]
    assert missing(shown) == [("07_made_up.ipynb", "step5/worker.py"),
                              ("07_made_up.ipynb", "step9/worker.py")]
