"""Private nodes' scratch folders, from the first start to the cleanup after a dead kernel.

    python -m workqueue_helpers.broker.scratch FOLDER OWNER_PID    (started by ``watch``)
"""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from typing import Iterator, List, Optional, Set, Tuple

from workqueue_helpers.broker.rabbitmqctl import rabbitmq_root
from workqueue_helpers.polling import poll

SCRATCH_PREFIX = "workqueue-rabbitmq-"  # scratch folders: /tmp/workqueue-rabbitmq-<pid>-<n>
NODE_FILE = "node.json"                 # in each scratch folder: the node's name and ports
WATCHER_MODULE = "workqueue_helpers.broker.scratch"  # python -m WATCHER_MODULE FOLDER OWNER_PID: see watch()


def scratch_base() -> str:
    """Where private nodes' scratch folders go: the temp folder, or the chroot's /tmp."""
    root = rabbitmq_root()
    return os.path.join(root, "tmp") if root else tempfile.gettempdir()


def new_scratch_folder(owner_pid: int, number: int) -> str:
    """The path of a new scratch folder for node ``number`` of process ``owner_pid`` (not created)."""
    return os.path.join(scratch_base(), f"{SCRATCH_PREFIX}{owner_pid}-{number}")


def node_folder_for_port(host: str, port: int) -> Optional[str]:
    """The scratch folder of a running private node listening on ``host:port``, if there is one.

    So that a process given only a private node's URL (a notebook kernel run
    by pytest) can still ask that node with rabbitmqctl.
    """
    if host not in ("localhost", "127.0.0.1"):
        return None
    return next((folder for folder, node in _node_files() if node.get("amqp_port") == port), None)


def ports_of_private_nodes() -> Set[int]:
    """Every port a private node on this machine has taken, even before it listens on it:
    a node opens its management port seconds into its start, and a port picked by another
    process in that time would stop it ("eaddrinuse", seen under make test)."""
    return {port for _, node in _node_files() for port in node.get("ports", [])}


def _node_files() -> Iterator[Tuple[str, dict]]:
    """(folder, what its node file holds) for each private node's scratch folder."""
    base = scratch_base()
    if not os.path.isdir(base):
        return
    for name in os.listdir(base):
        if not name.startswith(SCRATCH_PREFIX):
            continue
        try:
            with open(os.path.join(base, name, NODE_FILE), encoding="utf-8") as file:
                yield os.path.join(base, name), json.load(file)
        except (OSError, ValueError):
            continue


def node_name_in(folder: str) -> str:
    """The node name written in a scratch folder's node file."""
    with open(os.path.join(folder, NODE_FILE), encoding="utf-8") as file:
        return json.load(file)["node"]


def remove_stale_scratch_folders() -> None:
    """Remove the scratch folders of private nodes whose Python process has gone, and any node left in them."""
    base = scratch_base()
    if not os.path.isdir(base):
        return
    for name in os.listdir(base):
        if not name.startswith(SCRATCH_PREFIX):
            continue
        owner = name[len(SCRATCH_PREFIX):].split("-")[0]
        if not owner.isdigit() or pid_alive(int(owner)):
            continue
        remove_folder_and_its_processes(os.path.join(base, name))


def remove_folder_and_its_processes(folder: str) -> None:
    """SIGKILL every process started from ``folder``, then delete the folder once they have
    gone (a dying node still writes its log: the folder would be left half deleted)."""
    pids = pids_using_folder(folder)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    deadline = time.monotonic() + 5.0
    while any(pid_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    shutil.rmtree(folder, ignore_errors=True)


def pids_using_folder(folder: str) -> List[int]:
    """Processes with ``folder``, or a path inside it, among their arguments, or with it as
    their HOME (Linux: from /proc); never the folder's watcher.

    A private node's Erlang VM has ``-home FOLDER`` in its command line (its
    node name is not there: RabbitMQ sets it after start); the rabbitmq-server
    script and rabbitmqctl run with HOME=FOLDER. The watcher must outlive a cleanup
    that is cut short: Jupyter ends a closing kernel (SIGTERM at 2.5 s, SIGKILL at
    5 s) that may still be stopping its node, and a kernel that had killed its watcher,
    and died before its rmtree, left the folder behind (seen once in ten fresh-clone runs).
    """
    found: List[int] = []
    if not os.path.isdir("/proc"):
        return found
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as file:
                arguments = file.read().rstrip(b"\0").decode("utf-8", "replace").split("\0")
        except OSError:
            continue
        if arguments[1:3] == ["-m", WATCHER_MODULE]:
            continue
        if any(argument == folder or argument.startswith(folder + "/") for argument in arguments) \
                or _home_is(int(entry), folder):
            found.append(int(entry))
    return found


def _home_is(pid: int, folder: str) -> bool:
    """Whether process ``pid`` runs with HOME=``folder`` (False for another user's process)."""
    try:
        with open(f"/proc/{pid}/environ", "rb") as file:
            return f"HOME={folder}".encode() in file.read().split(b"\0")
    except OSError:
        return False


def pid_alive(pid: int) -> bool:
    """True if a process with this id runs. A zombie has ended: a kernel that has just
    exited stays one until Jupyter collects it, and the janitor must not wait for that."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        with open(f"/proc/{pid}/stat", "rb") as file:
            return file.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True   # kill() found it: no /proc to say more here, or it ended just now


def watch(folder: str) -> subprocess.Popen:
    """Start a small process that removes ``folder``, and any node left in it, once this
    process has gone, however it goes: Jupyter ends a closing kernel after 2.5 s (SIGTERM),
    which can come while the kernel is still stopping its node. It ends by itself once the
    folder is gone.

    Not in this process's group or session (``Interrupt kernel`` and ipykernel's own
    cleanup signal that group), and not tied to this process's death as a node is.
    """
    return subprocess.Popen([sys.executable, "-m", WATCHER_MODULE, folder, str(os.getpid())],
                            stdin=subprocess.DEVNULL, start_new_session=True)


def _watch_until_the_owner_has_gone(folder: str, owner: int) -> None:
    # The owner's pid is given: an owner that dies while the watcher starts leaves it
    # a child of init, and os.getppid() would then name a process that never ends.
    poll(lambda: not os.path.exists(folder) or not pid_alive(owner), timeout=math.inf, interval=0.2)
    if os.path.exists(folder):
        remove_folder_and_its_processes(folder)


if __name__ == "__main__":
    _watch_until_the_owner_has_gone(sys.argv[1], int(sys.argv[2]))
