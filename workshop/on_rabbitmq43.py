"""Run a command with every broker on RabbitMQ 4.3: the test suite, or the lessons to store.

    .venv/bin/python -m workshop.on_rabbitmq43 [--deny-transient-queues] COMMAND [ARGS...]

`make test-rabbitmq43` runs pytest so; `make store` re-executes the lessons so,
which is where the stored outputs come from.

RabbitMQ 4.3 comes from Debian sid, in a chroot that workshop/rabbitmq43.sh
makes once (needs root). This script prepares it, starts one private 4.3 node
and gives the command its URL in RABBITMQ_URL (for what uses the found
broker), sets WORKQUEUE_RABBITMQ_ROOT (so that `get_broker(owned=True)` and
clusters start 4.3 nodes too), runs the command, then stops the node and
unmounts the chroot's /proc and /dev. The exit code is the command's.

``--deny-transient-queues`` (first argument; `make test-rabbitmq43-strict`)
gives every 4.3 node ``deprecated_features.permit.transient_nonexcl_queues =
false``: non-durable, non-exclusive queues are refused, as RabbitMQ 4.3's
release notes announce for the default and as hosted brokers do.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import List

from workqueue_helpers.broker.private_node import EXTRA_CONFIG_VARIABLE, PrivateNode
from workqueue_helpers.broker.rabbitmqctl import ROOT_VARIABLE

PROJECT = Path(__file__).resolve().parent.parent
CHROOT_SCRIPT = PROJECT / "workshop" / "rabbitmq43.sh"
DENY_TRANSIENT_QUEUES = "deprecated_features.permit.transient_nonexcl_queues = false"


def main(command: List[str]) -> int:
    """Prepare the chroot, run ``command`` against 4.3 nodes, clean up; return its exit code."""
    if command[:1] == ["--deny-transient-queues"]:
        command = command[1:]
        os.environ[EXTRA_CONFIG_VARIABLE] = DENY_TRANSIENT_QUEUES  # every node started from here on
    prepared = subprocess.run([str(CHROOT_SCRIPT), "prepare"], stdout=subprocess.PIPE, text=True, check=True)
    os.environ[ROOT_VARIABLE] = prepared.stdout.strip()
    try:
        node = PrivateNode(management=True)  # it stands for the learner's broker, UI included
        try:
            print(f"{node.describe()} (started in {node.start_seconds:.1f} s)", flush=True)
            started = time.monotonic()
            code = subprocess.run(command, cwd=PROJECT,
                                  env=dict(os.environ, RABBITMQ_URL=node.url)).returncode
            print(f"{' '.join(command[:3])} on RabbitMQ {node.version()}: exit code {code} "
                  f"after {time.monotonic() - started:.0f} s", flush=True)
        finally:
            node.stop()
    finally:
        subprocess.run([str(CHROOT_SCRIPT), "umount"])
    return code


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1:] == ["--deny-transient-queues"]:
        sys.exit("usage: on_rabbitmq43.py [--deny-transient-queues] COMMAND [ARGS...]")
    sys.exit(main(sys.argv[1:]))
