"""The language a lesson speaks: English, or the one its file name says (``01_round_robin.zh.ipynb``).

The Chinese lessons run the same code cells as the English ones; only the
kernel's language differs. It comes from ``WORKQUEUE_LANGUAGE`` if set (the
notebook runner sets it), else from the notebook's path, which Jupyter Server
gives the kernel in ``JPY_SESSION_NAME``. Hints, verdicts and chart labels
then come from ``translations/<language>.py``; what has no translation there
stays English.

A third language: add its code to ``LANGUAGES`` and a ``translations/<code>.py``
with the same two tables as ``zh.py`` (the tests hold every table to the English).
"""

from __future__ import annotations

import importlib
import os
import re
from functools import lru_cache
from typing import Dict, Optional

ENGLISH = "en"
LANGUAGES = (ENGLISH, "zh")
LANGUAGE_VARIABLE = "WORKQUEUE_LANGUAGE"
_NOTEBOOK_LANGUAGE = re.compile(r"\.([a-z]{2})\.ipynb$")


def current() -> str:
    """The language of this kernel's lesson: ``"en"`` or ``"zh"``."""
    chosen = os.environ.get(LANGUAGE_VARIABLE, "")
    if chosen in LANGUAGES:
        return chosen
    found = _NOTEBOOK_LANGUAGE.search(os.environ.get("JPY_SESSION_NAME", ""))
    return found.group(1) if found and found.group(1) in LANGUAGES else ENGLISH


@lru_cache(maxsize=None)
def tables(language: str) -> Dict[str, Dict[str, str]]:
    """``{"TEXTS": {english: translation}, "HINTS": {hint key: translation}}`` for ``language``."""
    if language == ENGLISH:
        return {"TEXTS": {}, "HINTS": {}}
    module = importlib.import_module(f"workqueue_helpers.translations.{language}")
    return {"TEXTS": module.TEXTS, "HINTS": module.HINTS}


def translated(english: str, language: Optional[str] = None) -> str:
    """``english`` in ``language`` (by default the lesson's; the English text is the key),
    or as it is."""
    return tables(language or current())["TEXTS"].get(english, english)


def hint_text(key: str, english: str) -> str:
    """The hint ``key`` in the lesson's language; ``english`` where it has none."""
    return tables(current())["HINTS"].get(key, english)
