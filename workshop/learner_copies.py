"""Make the learner's copies of the lessons: no stored output, answers folded away.

    .venv/bin/python -m workshop.learner_copies [--fresh] [--to DIR]

The lessons in notebooks/ are stored executed: nbval compares every run with
them, and the site shows them whole. A learner should see no prediction's
answer, no exercise's verdict and no solution before running the cell, so
`make lab`, Binder and the dev container open these copies instead
(notebooks/learner/ by default, ignored by git):
- every code cell has no output and no execution count;
- a markdown cell tagged ``answer`` (it reads a result aloud) is folded into
  a ``<details>`` block, to open once the cell above has run;
- relative links point back to notebooks/ (``programs/...``, the guide),
  except links between lessons, which stay among the copies.

A copy that is already there is kept, since the learner may have worked in
it; ``--fresh`` replaces every copy.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import List

import nbformat

from workqueue_helpers.language import translated
from workshop.lessons import NOTEBOOKS, is_lesson, is_translation, language_of, lessons, translated_lessons

DEFAULT_DESTINATION = NOTEBOOKS / "learner"
ANSWER_TAG = "answer"
FOLD_OPEN = "<details><summary><b>{}</b></summary>\n\n"
FOLD_LABEL = "Open after you have run the cell above"
FOLD_CLOSE = "\n\n</details>"
RELATIVE_LINK = re.compile(r"(\]\()(?!https?:|mailto:|#|/)([^)\s]+)(\))")


def _relink(markdown: str) -> str:
    """``programs/step1/worker.py`` becomes ``../programs/step1/worker.py``; a lesson stays a sibling."""
    def fix(match: "re.Match[str]") -> str:
        target = match.group(2)
        linked = Path(target.split("#", 1)[0])
        if is_lesson(linked) or is_translation(linked):
            return match.group(0)
        return f"{match.group(1)}../{target}{match.group(3)}"
    return RELATIVE_LINK.sub(fix, markdown)


def learner_copy(notebook: nbformat.NotebookNode, language: str = "en") -> nbformat.NotebookNode:
    """``notebook`` as a learner should first see it (a new object; the stored one is untouched)."""
    copy = nbformat.from_dict(notebook)
    for cell in copy.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        elif cell.cell_type == "markdown":
            source = _relink(cell.source)
            if ANSWER_TAG in cell.metadata.get("tags", []):
                source = FOLD_OPEN.format(translated(FOLD_LABEL, language)) + source + FOLD_CLOSE
            cell.source = source
    return copy


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="replace copies that are already there")
    parser.add_argument("--to", type=Path, default=DEFAULT_DESTINATION, help="where the copies go")
    options = parser.parse_args(argv)
    options.to.mkdir(parents=True, exist_ok=True)
    made, kept = [], []
    for path in lessons() + translated_lessons():
        target = options.to / path.name
        if target.exists() and not options.fresh:
            kept.append(path.name)
            continue
        nbformat.write(learner_copy(nbformat.read(path, as_version=4), language_of(path)), target)
        made.append(path.name)
    where = options.to.relative_to(NOTEBOOKS.parent) if options.to.is_relative_to(NOTEBOOKS.parent) else options.to
    if made:
        print(f"Learner copies in {where}/: {len(made)} made")
    if kept:
        print(f"Kept {len(kept)} copies you already had in {where}/ (--fresh replaces them)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
