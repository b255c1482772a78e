"""Print each lesson's core-path word count: its markdown outside *Going further*.

    .venv/bin/python -m workshop.word_count [notebooks/01_round_robin.ipynb ...]

The budget is 700 words a lesson (LESSON_SHAPE.md). What counts:
- every markdown cell, title to *What's next*, except a ``## Going further``
  section (it runs to the next level-2 heading, its ``###`` parts included);
- a code span (`basic_qos(prefetch_count=1)`) is one word; a link counts its
  text, not its address; a token with no letter or digit (``|``, ``---``) is none.
Appendix notebooks (``03a_...``) are optional throughout and are not counted.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Dict, List

import nbformat

from workshop.lessons import is_appendix, lessons

BUDGET = 700
CODE_SPAN = re.compile(r"`[^`\n]+`")
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"\w")


def core_markdown(path: Path) -> str:
    """The lesson's markdown, ``## Going further`` sections left out."""
    kept: List[str] = []
    skipping = False
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if line.startswith("## ") or line.startswith("# "):
                skipping = line.lower().lstrip("# ").startswith("going further")
            if not skipping:
                kept.append(line)
    return "\n".join(kept)


def count_words(markdown: str) -> int:
    text = CODE_SPAN.sub(" CODE ", markdown)
    text = LINK.sub(r" \1 ", text)
    text = TAG.sub(" ", text)
    return sum(1 for token in text.split() if WORD.search(token))


def core_words(path: Path) -> int:
    return count_words(core_markdown(path))


def budgeted_lessons() -> List[Path]:
    """The lessons with a word budget: every one but the appendices."""
    return [path for path in lessons() if not is_appendix(path)]


def main(names: List[str]) -> int:
    paths = [Path(name) for name in names] or budgeted_lessons()
    counts: Dict[str, int] = {path.name: core_words(path) for path in paths}
    for name, words in counts.items():
        print(f"{name:32} {words:5} {'over budget' if words > BUDGET else ''}".rstrip())
    print(f"{'total':32} {sum(counts.values()):5}")
    return 1 if any(words > BUDGET for words in counts.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
