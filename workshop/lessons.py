"""Which notebooks are lessons: the one list the runner, the tests, the site, the word count
and the learner's copies use.

A lesson is ``NN_name.ipynb`` in ``notebooks/``; an appendix to one is ``NNa_name.ipynb``
(``03a_crash_confirms_and_quorum_queues.ipynb``) and has no word budget. A translation
sits beside its lesson as ``NN_name.<language>.ipynb`` (see ``translations.py``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import List

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
LESSON_NAME = re.compile(r"^\d\d[a-z]?_[\w-]+\.ipynb$")
APPENDIX_NAME = re.compile(r"^\d\d[a-z]_")
TRANSLATION_NAME = re.compile(r"^\d\d[a-z]?_[\w-]+\.([a-z]{2})\.ipynb$")


def is_lesson(path: Path) -> bool:
    """Is ``path`` a lesson or an appendix to one (by its name)?"""
    return bool(LESSON_NAME.match(path.name))


def is_appendix(path: Path) -> bool:
    return is_lesson(path) and bool(APPENDIX_NAME.match(path.name))


def language_of(path: Path) -> str:
    """The language of a lesson or translation, by its name: ``"en"``, ``"zh"``..."""
    found = TRANSLATION_NAME.match(path.name)
    return found.group(1) if found else "en"


def is_translation(path: Path) -> bool:
    return bool(TRANSLATION_NAME.match(path.name))


def translated_lessons(folder: Path = NOTEBOOKS) -> List[Path]:
    """Every translation in ``folder``, in order."""
    return sorted(path for path in folder.glob("*.ipynb") if is_translation(path))


def lessons(folder: Path = NOTEBOOKS) -> List[Path]:
    """Every lesson and appendix in ``folder``, in order."""
    return sorted(path for path in folder.glob("*.ipynb") if is_lesson(path))
