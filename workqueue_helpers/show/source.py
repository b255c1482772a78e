"""Show the code that runs: print a function's source, straight from the package."""

from __future__ import annotations

import inspect
import textwrap
from typing import Callable, List, Optional


def show_source(function: Callable, start: Optional[str] = None, end: Optional[str] = None) -> None:
    """Print ``function``'s source, from the line containing ``start`` up to the
    line containing ``end`` (both included), under the file and function name.

    (No line numbers: they would change with every edit above the function.)
    A ``start`` or ``end`` that is not in the function is a ValueError.
    """
    lines, _ = inspect.getsourcelines(function)
    begin = _find(lines, start, 0, function) if start else 0
    stop = _find(lines, end, begin, function) if end else len(lines) - 1
    path = inspect.getsourcefile(function) or "?"
    shown = path[path.rfind("workqueue_helpers"):]
    print(f"# {shown}, in {function.__name__}()")
    print(textwrap.dedent("".join(lines[begin:stop + 1])).rstrip())


def _find(lines: List[str], marker: str, first: int, function: Callable) -> int:
    """The index of the first line from ``first`` on that contains ``marker``."""
    for i in range(first, len(lines)):
        if marker in lines[i]:
            return i
    raise ValueError(f"{marker!r} is not in {function.__name__}() (from its line {first + 1} on)")
