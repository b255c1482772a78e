"""Terminals side by side: boxes, titles, wrapping, rows."""

from __future__ import annotations

from workqueue_helpers.show.terminals import side_by_side

WORKER1 = """ [*] Waiting for messages. To exit press CTRL+C
 [x] Received 'First message.'
 [x] Done
 [x] Received 'Third message...'
 [x] Done
"""
WORKER2 = """ [*] Waiting for messages. To exit press CTRL+C
 [x] Received 'Second message..'
 [x] Done
"""


def test_two_terminals_side_by_side():
    assert side_by_side({"worker1": WORKER1, "worker2": WORKER2}, width=30) == "\n".join([
        "┌─ worker1 ──────────────────────┐ ┌─ worker2 ──────────────────────┐",
        "│  [*] Waiting for messages. To  │ │  [*] Waiting for messages. To  │",
        "│ exit press CTRL+C              │ │ exit press CTRL+C              │",
        "│  [x] Received 'First message.' │ │  [x] Received 'Second          │",
        "│  [x] Done                      │ │ message..'                     │",
        "│  [x] Received 'Third           │ │  [x] Done                      │",
        "│ message...'                    │ │                                │",
        "│  [x] Done                      │ │                                │",
        "└────────────────────────────────┘ └────────────────────────────────┘",
    ])


def test_every_line_of_a_row_has_the_same_width():
    text = side_by_side({"worker1": WORKER1, "worker2": "", "worker3": WORKER2})
    lines = text.splitlines()
    assert len({len(line) for line in lines}) == 1
    assert len(lines[0]) == 3 * (44 + 4) + 2
    assert lines[0].startswith("┌─ worker1 ") and lines[-1].startswith("└")


def test_long_lines_wrap_and_nothing_is_lost():
    long_word = "x" * 100
    text = side_by_side({"w": f"start {long_word} end"}, width=20)
    inside = [line[2:-2] for line in text.splitlines()[1:-1]]
    assert all(len(line) == 20 for line in inside)
    assert "".join(inside).replace(" ", "") == "start" + long_word + "end"


def test_blank_lines_and_tabs_are_kept():
    text = side_by_side({"w": "a\n\n\tb"}, width=12)
    assert text.splitlines()[1:4] == ["│ a            │", "│              │",
                                      "│         b    │"]


def test_more_than_three_terminals_make_rows_of_three():
    screens = {f"worker{n}": f"line of worker{n}" for n in range(1, 6)}
    rows = side_by_side(screens, width=16).split("\n\n")
    assert len(rows) == 2
    assert [row.splitlines()[0].count("┌") for row in rows] == [3, 2]
    assert "worker4" in rows[1] and "worker3" in rows[0]


def test_an_empty_terminal_is_one_blank_line_high():
    assert side_by_side({"worker1": ""}, width=10) == "\n".join([
        "┌─ worker1 ──┐",
        "│            │",
        "└────────────┘",
    ])


def test_a_long_name_is_cut_to_fit_the_title_bar():
    top = side_by_side({"a-very-long-worker-name": "hi"}, width=10).splitlines()[0]
    assert top == "┌─ a-very-lo ┐"
    assert side_by_side({}) == ""
