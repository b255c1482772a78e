"""Start child processes that cannot outlive the notebook.

Every worker and every private broker node is started here. Three things
make sure none is left behind:

- on Linux the child asks the kernel for SIGKILL when its parent dies
  (``prctl(PR_SET_PDEATHSIG)``), which covers a kernel killed with SIGKILL;
- the child stays in the parent's process group, so "Interrupt kernel"
  (SIGINT to the group) reaches it like CTRL+C in a terminal;
- ``stop_all_at_exit`` kills what is still running when Python exits.
"""

from __future__ import annotations

import atexit
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
import weakref
from typing import List, Optional, Sequence

_PR_SET_PDEATHSIG = 1
_children: "weakref.WeakSet[subprocess.Popen]" = weakref.WeakSet()
_lock = threading.Lock()


def _prepare_child() -> None:
    """Runs in the child between fork and exec.

    SIGKILL me when my parent dies; and let CTRL+C (SIGINT) stop me even if
    my parent ignores it (as a job started with ``&`` from a script does).
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def spawn(argv: Sequence[str], *, env: Optional[dict] = None,
          pass_fds: Sequence[int] = (), stdin: Optional[int] = subprocess.DEVNULL,
          stdout: Optional[int] = subprocess.PIPE, stderr: Optional[int] = subprocess.STDOUT,
          cwd: Optional[str] = None, new_session: bool = False) -> subprocess.Popen:
    """Start ``argv`` as a child that dies with this process.

    Call it from the main thread: Linux ties the parent-death signal to the
    thread that started the child. ``new_session=True`` keeps the child out of
    the notebook's process group, so "Interrupt kernel" does not reach it
    (wanted for a broker node, not for workers).
    """
    proc = subprocess.Popen(list(argv), env=env, pass_fds=tuple(pass_fds), stdin=stdin,
                            stdout=stdout, stderr=stderr, cwd=cwd, preexec_fn=_prepare_child,
                            start_new_session=new_session)
    with _lock:
        _children.add(proc)
    return proc


def kill(proc: subprocess.Popen, sig: int = signal.SIGKILL, timeout: float = 5.0) -> Optional[int]:
    """Send ``sig`` to ``proc`` and wait for it; return its exit code."""
    if proc.poll() is None:
        try:
            proc.send_signal(sig)
        except ProcessLookupError:
            pass
    try:
        return proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait(timeout)


def hold(proc: subprocess.Popen, timeout: float = 5.0) -> bool:
    """SIGSTOP ``proc`` and wait until every thread of it has stopped; return whether it
    has (False: it had ended, or it did not stop in time). SIGCONT lets it go on."""
    if proc.poll() is not None:
        return False
    proc.send_signal(signal.SIGSTOP)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        states = _thread_states(proc.pid)
        if states and all(state in ("T", "t") for state in states):
            return True
        if not states or any(state in ("Z", "X") for state in states):
            return False
        time.sleep(0.001)
    return False


def _thread_states(pid: int) -> List[str]:
    """The state letter of each thread of process ``pid`` (``man 5 proc``); [] if it is gone."""
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    states = []
    for thread in threads:
        try:
            with open(f"/proc/{pid}/task/{thread}/stat") as stat:
                states.append(stat.read().rsplit(")", 1)[1].split()[0])
        except OSError:
            continue  # that thread has just ended
    return states


def stop_all_at_exit() -> None:
    """Kill every child started by ``spawn`` that is still running."""
    with _lock:
        children = list(_children)
    for proc in children:
        if proc.poll() is None:
            kill(proc, signal.SIGKILL, timeout=2.0)


atexit.register(stop_all_at_exit)
