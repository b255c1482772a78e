"""The learner's copies (workshop/learner_copies.py): nothing answered before the learner runs the cell.

The stored lessons keep their outputs (nbval compares them; the site shows
them). `make lab`, Binder and the dev container open the copies instead.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import nbformat
import pytest

from workshop import learner_copies
from workshop.lessons import is_lesson, is_translation, translated_lessons
from workshop.lessons import lessons as all_lessons

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

RESULT_CALL = re.compile(r"\b(reveal|check_\w+)\(")
LINK = re.compile(r"\]\((?!https?:|mailto:|#)([^)\s#]+)")



def lessons() -> list[Path]:
    """Every lesson, appendix and translation: each gets a copy."""
    return all_lessons() + translated_lessons()


def make_copies(destination: Path, *arguments: str) -> str:
    """``python -m workshop.learner_copies --to DESTINATION ...``, in this process; what it printed."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert learner_copies.main(["--to", str(destination), *arguments]) == 0
    return printed.getvalue()


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> Path:
    destination = tmp_path_factory.mktemp("learner")
    make_copies(destination)
    return destination


@pytest.mark.parametrize("lesson", lessons(), ids=lambda path: path.stem)
def test_a_copy_holds_no_output(copies: Path, lesson: Path) -> None:
    stored = nbformat.read(lesson, as_version=4)
    assert any(cell.get("outputs") for cell in stored.cells), "the stored lesson is executed"
    copy = nbformat.read(copies / lesson.name, as_version=4)
    assert [cell.source for cell in copy.cells] != [], lesson.name
    for cell in copy.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


@pytest.mark.parametrize("lesson", lessons(), ids=lambda path: path.stem)
def test_what_reads_a_result_aloud_is_tagged_and_folded(copies: Path, lesson: Path) -> None:
    """The markdown right after a prediction's or an exercise's result (a cell calling
    reveal() or check_...()) states that result: unless it opens a new section, it is
    tagged ``answer``, and the copy folds it."""
    stored = nbformat.read(lesson, as_version=4).cells
    copy = nbformat.read(copies / lesson.name, as_version=4).cells
    untagged = []
    for index, (cell, following) in enumerate(zip(stored, stored[1:])):
        if (cell.cell_type == "code" and RESULT_CALL.search(cell.source)
                and following.cell_type == "markdown" and not following.source.startswith("#")
                and "answer" not in following.metadata.get("tags", [])):
            untagged.append(index + 1)
    assert untagged == [], f"{lesson.name}: markdown cells {untagged} read a result but are not tagged answer"
    for cell, copied in zip(stored, copy):
        if "answer" in cell.metadata.get("tags", []):
            assert copied.source.startswith("<details>") and copied.source.endswith("</details>")


def test_links_from_the_copies_still_resolve(copies: Path) -> None:
    """Copies live in notebooks/learner/: a link to a program or the guide goes one folder up."""
    broken = []
    for copy in sorted(copies.glob("*.ipynb")):
        for cell in nbformat.read(copy, as_version=4).cells:
            if cell.cell_type == "markdown":
                for target in LINK.findall(cell.source):
                    if not (NOTEBOOKS / "learner" / target).resolve().exists() and not (
                            (is_lesson(Path(target)) or is_translation(Path(target)))
                            and (NOTEBOOKS / target).exists()):
                        broken.append(f"{copy.name}: {target}")
    assert broken == []


def test_a_copy_the_learner_worked_in_is_kept(tmp_path: Path) -> None:
    make_copies(tmp_path)
    mine = tmp_path / lessons()[0].name
    notebook = nbformat.read(mine, as_version=4)
    notebook.cells[0].source += "\n\nMy own note."
    nbformat.write(notebook, mine)
    assert "Kept" in make_copies(tmp_path)
    assert "My own note." in mine.read_text()
    make_copies(tmp_path, "--fresh")
    assert "My own note." not in mine.read_text()


@pytest.mark.browser
@pytest.mark.skipif(not Path(os.environ.get("CHROMIUM", "/usr/bin/chromium")).exists(),
                    reason="needs a Chromium: Debian's chromium package, or CHROMIUM=path")
def test_jupyterlab_shows_a_learner_copy_with_its_answers_folded(tmp_path: Path) -> None:
    """A real browser: lesson 1's learner copy in JupyterLab shows no output, and each
    reading of a result stays folded until the learner opens it."""
    import secrets
    import signal

    from playwright.sync_api import sync_playwright

    from workshop.live_view_screenshot import CHROMIUM, free_port, start_lab

    make_copies(tmp_path / "learner")
    port, token = free_port(), secrets.token_hex(8)
    lab = start_lab(tmp_path, port, token)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(f"http://127.0.0.1:{port}/lab/tree/learner/{lessons()[0].name}?token={token}&reset")
                page.wait_for_selector(".jp-Notebook .jp-MarkdownCell details", timeout=60_000)
                folds = page.locator(".jp-Notebook details")
                assert folds.count() >= 1
                assert page.evaluate("() => [...document.querySelectorAll('.jp-Notebook details')]"
                                     ".every(fold => !fold.open)")
                assert page.locator(".jp-OutputArea-output").count() == 0   # no stored output
                reading = folds.first.locator(":scope > :not(summary)").first
                assert not reading.is_visible()
                folds.first.locator("summary").click()                     # the learner opens one
                assert reading.is_visible()
            finally:
                browser.close()
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        lab.wait(15)
