"""Run RabbitMQ's own programs (rabbitmq-server, rabbitmqctl), here or inside the 4.3 chroot."""

from __future__ import annotations

import os
import subprocess
from typing import List, Optional

RABBITMQ_SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server"
RABBITMQCTL = "/usr/lib/rabbitmq/bin/rabbitmqctl"
ROOT_VARIABLE = "WORKQUEUE_RABBITMQ_ROOT"  # a chroot that private nodes run in (optional)
COUNT_COLUMNS = ["name", "messages_ready", "messages_unacknowledged", "consumers"]


def rabbitmq_root() -> str:
    """The chroot that private nodes run in ($WORKQUEUE_RABBITMQ_ROOT, as an absolute path), or ""."""
    root = os.environ.get(ROOT_VARIABLE, "")
    return os.path.abspath(root) if root else ""


def installed() -> bool:
    """True if RabbitMQ is installed here (or in the chroot), so that a private node can be started."""
    root = rabbitmq_root()
    return os.path.exists(root + RABBITMQ_SERVER) and os.path.exists(root + RABBITMQCTL)


def in_root(program: str, root: Optional[str] = None) -> List[str]:
    """How to run one of RabbitMQ's programs: directly, or with ``chroot ROOT``."""
    root = rabbitmq_root() if root is None else root
    return ["chroot", root, program] if root else [program]


def run(argv: List[str], env: Optional[dict] = None) -> subprocess.CompletedProcess:
    """Run a short command; stdout and stderr together, as text; never raises."""
    try:
        return subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        return subprocess.CompletedProcess(argv, 1, " ".join(str(error).split())[:300])


def list_queues_arguments(vhost: str) -> List[str]:
    """rabbitmqctl's arguments for the counts of every queue of ``vhost``, as JSON."""
    return ["-q", "list_queues", "-p", vhost, *COUNT_COLUMNS, "--formatter", "json"]


def last_line(text: str) -> str:
    """The last non-blank line of a program's output (usually the one that says why)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no output"
