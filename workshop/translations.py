"""The translated lessons, kept in step with the English ones.

    .venv/bin/python -m workshop.translations status         # what is missing or stale
    .venv/bin/python -m workshop.translations sync           # code cells copied from English
    .venv/bin/python -m workshop.translations accept zh 03 7 # cell 7 of lesson 3's zh now matches

A translation of ``notebooks/01_round_robin.ipynb`` is ``notebooks/01_round_robin.zh.ipynb``,
beside it. It has the English lesson's cells, one for one and in the same order:

- its code cells are the English ones, source and tags (``sync`` copies them);
  their outputs come from running the translation, whose kernel then speaks its
  language (``workqueue_helpers/language.py``);
- each markdown cell is a translation, and its metadata ``translation.source``
  holds the hash of the English cell it was made from. When the English cell
  changes, the hash no longer matches: ``status`` and the tests say the cell is
  stale until someone translates the change and runs ``accept``.

The teacher's guide (``teacher_guide.<language>.md``) is kept the same way, section by
section: each ``## `` section of the translation holds ``<!-- translation of: HASH -->``.

A third language: add its code to ``LANGUAGES`` in ``workqueue_helpers/language.py``
and ``workqueue_helpers/translations/<code>.py``, then copy an English lesson to
``NN_name.<code>.ipynb`` and translate its markdown cells, running ``accept`` on each.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

import nbformat

from workqueue_helpers.language import ENGLISH, LANGUAGES
from workshop.lessons import NOTEBOOKS, is_appendix, lessons

TRANSLATED = [path for path in lessons() if not is_appendix(path)]  # lessons 1-6; appendices stay English


def source_hash(text: str) -> str:
    """What a translated markdown cell records of the English cell it was made from."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def translation_path(english: Path, language: str) -> Path:
    return english.with_name(f"{english.stem}.{language}.ipynb")


def translations(language: str) -> List[Path]:
    """The translated lessons of ``language`` that exist."""
    return [translation_path(path, language) for path in TRANSLATED
            if translation_path(path, language).exists()]


@dataclass
class Problem:
    lesson: str
    cell: Optional[int]
    what: str

    def __str__(self) -> str:
        return f"{self.lesson}" + (f" cell {self.cell}" if self.cell is not None else "") + f": {self.what}"


def problems(english: Path, translated: Path) -> List[Problem]:
    """What keeps ``translated`` from being the English lesson's, in another language."""
    name = translated.name
    if not translated.exists():
        return [Problem(name, None, "missing")]
    original = nbformat.read(english, as_version=4).cells
    cells = nbformat.read(translated, as_version=4).cells
    if len(cells) != len(original):
        return [Problem(name, None, f"{len(cells)} cells; the English lesson has {len(original)}")]
    found = []
    for index, (theirs, ours) in enumerate(zip(original, cells)):
        if theirs.cell_type != ours.cell_type:
            found.append(Problem(name, index, f"a {ours.cell_type} cell where English has {theirs.cell_type}"))
        elif ours.cell_type == "code" and ours.source != theirs.source:
            found.append(Problem(name, index, "code differs from the English (run sync)"))
        elif ours.cell_type == "code" and ours.metadata.get("tags", []) != theirs.metadata.get("tags", []):
            found.append(Problem(name, index, "tags differ from the English (run sync)"))
        elif ours.cell_type == "markdown":
            made_from = ours.metadata.get("translation", {}).get("source")
            if made_from != source_hash(theirs.source):
                found.append(Problem(name, index, "stale: the English cell changed since it was translated"))
            if ours.metadata.get("tags", []) != theirs.metadata.get("tags", []):
                found.append(Problem(name, index, "tags differ from the English"))
    return found


def sync(english: Path, translated: Path) -> int:
    """Copy the English code cells (source, tags) into ``translated``; return how many changed.
    A changed code cell loses its outputs until the translation is run again."""
    original = nbformat.read(english, as_version=4)
    notebook = nbformat.read(translated, as_version=4)
    if len(notebook.cells) != len(original.cells):
        raise SystemExit(f"{translated.name}: {len(notebook.cells)} cells, the English has "
                         f"{len(original.cells)}: add or remove cells by hand first")
    changed = 0
    for theirs, ours in zip(original.cells, notebook.cells):
        if theirs.cell_type == "code" and ours.cell_type == "code" and (
                ours.source != theirs.source or ours.metadata.get("tags") != theirs.metadata.get("tags")):
            ours.source = theirs.source
            ours.metadata["tags"] = list(theirs.metadata.get("tags", []))
            ours.outputs, ours.execution_count = [], None
            changed += 1
    if changed:
        nbformat.write(notebook, translated)
    return changed


def accept(english: Path, translated: Path, index: int) -> None:
    """Record that markdown cell ``index`` of ``translated`` now translates the English cell."""
    original = nbformat.read(english, as_version=4).cells[index]
    notebook = nbformat.read(translated, as_version=4)
    notebook.cells[index].metadata["translation"] = {"source": source_hash(original.source)}
    nbformat.write(notebook, translated)


GUIDE = NOTEBOOKS / "teacher_guide.md"
SECTION_MARK = re.compile(r"^<!-- translation of: ([0-9a-f]{16}) -->$", re.M)


def guide_sections(text: str) -> List[str]:
    """A guide cut before each ``## `` heading: the part before the first, then one per section."""
    return re.split(r"^(?=## )", text, flags=re.M)


def guide_problems(language: str) -> List[Problem]:
    """Like ``problems``, for the teacher's guide: each translated section starts with
    ``<!-- translation of: HASH -->``, the hash of the English section it was made from."""
    translated = GUIDE.with_name(f"{GUIDE.stem}.{language}.md")
    if not translated.exists():
        return [Problem(translated.name, None, "missing")]
    original = guide_sections(GUIDE.read_text(encoding="utf-8"))
    ours = guide_sections(translated.read_text(encoding="utf-8"))
    if len(ours) != len(original):
        return [Problem(translated.name, None, f"{len(ours)} sections; the English guide has {len(original)}")]
    found = []
    for index, (theirs, section) in enumerate(zip(original, ours)):
        mark = SECTION_MARK.search(section)
        if mark is None or mark.group(1) != source_hash(theirs):
            found.append(Problem(translated.name, index,
                                 "stale: the English section changed since it was translated"))
    return found


def english_of(number: str) -> Path:
    found = [path for path in TRANSLATED if path.name.startswith(f"{number}_")]
    if len(found) != 1:
        raise SystemExit(f"no lesson {number!r} among {', '.join(p.name for p in TRANSLATED)}")
    return found[0]


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("status", help="what is missing or stale, in every language")
    commands.add_parser("sync", help="copy the English code cells into every translation")
    accepting = commands.add_parser("accept", help="a translated markdown cell is up to date")
    accepting.add_argument("language", choices=[code for code in LANGUAGES if code != ENGLISH])
    accepting.add_argument("lesson", help="its number, e.g. 03")
    accepting.add_argument("cells", type=int, nargs="+")
    options = parser.parse_args(argv)
    others = [code for code in LANGUAGES if code != ENGLISH]
    if options.command == "accept":
        english = english_of(options.lesson)
        for index in options.cells:
            accept(english, translation_path(english, options.language), index)
        return 0
    found: List[Problem] = []
    for language in others:
        for english in TRANSLATED:
            translated = translation_path(english, language)
            if options.command == "sync" and translated.exists():
                changed = sync(english, translated)
                if changed:
                    print(f"{translated.name}: {changed} code cells copied from English; run it again "
                          "(make store) for their outputs")
            found += problems(english, translated)
        found += guide_problems(language)
    for problem in found:
        print(problem)
    if not found:
        print(f"every translation ({', '.join(others)}) is complete and up to date")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
