"""How tests start a child that is sent CTRL+C: with SIGINT at its default.

A test run started in the background of a script (``make test &``) ignores
SIGINT, and children inherit that; a child started with this preexec_fn
reacts to CTRL+C as it would in a terminal.
"""

from __future__ import annotations

import signal


def ctrl_c_works() -> None:
    """A ``preexec_fn``: SIGINT back to its default in the child."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
