"""Plain-text tables for the notebook, compared by nbval."""

from __future__ import annotations

from typing import Iterable, Sequence

from workqueue_helpers.record.timeline import Timeline

ASSIGNMENT_HEADERS = ["task", "message", "worker", "redelivered", "outcome"]
TIMES_HEADERS = ["start", "end"]


def format_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Fixed-width plain-text table: left-aligned columns, header underlined."""
    rows = [[str(cell) for cell in row] for row in rows]
    widths = [len(header) for header in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def line(cells: Sequence[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip()

    lines = [line(headers), line(["-" * width for width in widths])]
    lines.extend(line(row) for row in rows)
    return "\n".join(lines)



def assignment_table(timeline: Timeline) -> str:
    """Who got which task and how it ended, without times (so nbval can compare it).

    One row per attempt, by task number then start; the message quoted as the
    worker prints it. A published task no worker ever received gets a row
    with worker "-".
    """
    return format_table(ASSIGNMENT_HEADERS, [row[:5] for row in timeline.task_rows()])


def task_table(timeline: Timeline) -> str:
    """Like ``assignment_table``, plus start and end in seconds since the first publish."""
    return format_table(ASSIGNMENT_HEADERS + TIMES_HEADERS, timeline.task_rows())


def ideal_comparison_table(name_to_makespan: dict[str, float], optimum: float) -> str:
    """Each policy's makespan and its ratio to ``optimum``.

    Rows keep the dict's order. Makespans are shown to 0.1 s and ratios to
    two decimals, so that small differences in timing between runs rarely
    change the text.
    """
    rows = []
    for name, makespan in name_to_makespan.items():
        ratio = f"{makespan / optimum:.2f}" if optimum > 0 else "-"
        rows.append([name, f"{makespan:.1f} s", ratio])
    return format_table(["policy", "makespan", "ratio to optimum"], rows)
