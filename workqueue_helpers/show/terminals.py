"""Each worker's terminal, side by side, as in the tutorial's screenshots.

``side_by_side(screens, width=18)`` gives plain text such as::

    ┌─ worker1 ──────────┐ ┌─ worker2 ──────────┐
    │  [*] Waiting for   │ │  [x] Received      │
    │ messages.          │ │ 'First message.'   │
    └────────────────────┘ └────────────────────┘

Long lines wrap at spaces: nothing is cut off.
"""

from __future__ import annotations

import textwrap

COLUMNS = 3  # terminals per row; more screens continue on the next row
GAP = " "    # between two terminals in a row


def side_by_side(screens: dict[str, str], width: int = 44) -> str:
    """Draw each screen as a boxed terminal titled with its name, next to each other.

    ``width`` is the number of characters of text per line inside a box.
    Boxes in a row get the same height; more than three make several rows.
    """
    if width < 1:
        raise ValueError("width must be at least 1")
    names = list(screens)
    rows = []
    for first in range(0, len(names), COLUMNS):
        row = names[first:first + COLUMNS]
        contents = [wrap(screens[name], width) for name in row]
        height = max([1] + [len(lines) for lines in contents])
        boxes = [box(name, lines, width, height) for name, lines in zip(row, contents)]
        # Glue the boxes together line by line.
        rows.append("\n".join(GAP.join(parts) for parts in zip(*boxes)))
    return "\n\n".join(rows)


def wrap(text: str, width: int) -> list[str]:
    """The lines of ``text``, each wrapped at spaces to at most ``width`` characters.

    A word longer than ``width`` is split; leading spaces are kept.
    """
    lines = []
    for line in text.expandtabs().splitlines():
        pieces = textwrap.wrap(line.rstrip(), width, break_on_hyphens=False)
        lines.extend(pieces or [""])  # an empty line stays an empty line
    return lines


def box(name: str, lines: list[str], width: int, height: int) -> list[str]:
    """One terminal: a title bar with ``name``, ``height`` lines of text, a bottom edge."""
    title = f"─ {name[:width - 1]} "
    top = "┌" + title + "─" * (width + 2 - len(title)) + "┐"
    body = ["│ " + line.ljust(width) + " │" for line in lines]
    body += ["│ " + " " * width + " │"] * (height - len(lines))
    bottom = "└" + "─" * (width + 2) + "┘"
    return [top] + body + [bottom]
