"""Show the code that runs: print a function's source, straight from the package."""

from __future__ import annotations

import inspect
import textwrap
from typing import Callable, Optional


def show_source(function: Callable, start: Optional[str] = None, end: Optional[str] = None) -> None:
    """Print ``function``'s source, from the line containing ``start`` up to the
    line containing ``end`` (both included), under the file and function name.

    (No line numbers: they would change with every edit above the function.)
    """
    lines, _ = inspect.getsourcelines(function)
    begin = next((i for i, line in enumerate(lines) if start in line), 0) if start else 0
    stop = next((i for i, line in enumerate(lines) if end in line and i >= begin),
                len(lines) - 1) if end else len(lines) - 1
    path = inspect.getsourcefile(function) or "?"
    shown = path[path.rfind("workqueue_helpers"):]
    print(f"# {shown}, in {function.__name__}()")
    print(textwrap.dedent("".join(lines[begin:stop + 1])).rstrip())
