"""Which notebooks are lessons: the one list the runner, the tests, the site, the word count
and the learner's copies use.

A lesson is ``NN_name.ipynb`` in ``notebooks/``; an appendix to one is ``NNa_name.ipynb``
(``03a_crash_confirms_and_quorum_queues.ipynb``) and has no word budget.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import List

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
LESSON_NAME = re.compile(r"^\d\d[a-z]?_[\w-]+\.ipynb$")
APPENDIX_NAME = re.compile(r"^\d\d[a-z]_")


def is_lesson(path: Path) -> bool:
    """Is ``path`` a lesson or an appendix to one (by its name)?"""
    return bool(LESSON_NAME.match(path.name))


def is_appendix(path: Path) -> bool:
    return is_lesson(path) and bool(APPENDIX_NAME.match(path.name))


def lessons(folder: Path = NOTEBOOKS) -> List[Path]:
    """Every lesson and appendix in ``folder``, in order."""
    return sorted(path for path in folder.glob("*.ipynb") if is_lesson(path))
