"""How tests start children: one sent CTRL+C (SIGINT at its default), and one whose
first line of interest they wait for.

A test run started in the background of a script (``make test &``) ignores
SIGINT, and children inherit that; a child started with this preexec_fn
reacts to CTRL+C as it would in a terminal.
"""

from __future__ import annotations

import select
import signal
import subprocess
import time


from workqueue_helpers import processes


def ctrl_c_works() -> None:
    """A ``preexec_fn``: SIGINT back to its default in the child."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def read_line_starting(child: "subprocess.Popen[bytes]", prefix: bytes, timeout: float = 60.0) -> str:
    """The first line ``child`` prints that starts with ``prefix`` (decoded, stripped);
    AssertionError with what it printed if none comes within ``timeout`` (the child is killed)."""
    deadline = time.monotonic() + timeout
    output = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([child.stdout], [], [], 1.0)
        if not ready:
            continue
        line = child.stdout.readline()
        if not line:
            break
        output += line
        if line.startswith(prefix):
            return line.decode().strip()
    processes.kill(child)
    raise AssertionError(f"the child printed no {prefix.decode()!r} line: "
                         + output.decode(errors="replace")[-4000:])
