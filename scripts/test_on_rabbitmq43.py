"""Run the whole test suite with every broker on RabbitMQ 4.3, as `make test-rabbitmq43` does.

RabbitMQ 4.3 comes from Debian sid, in a chroot that scripts/rabbitmq43.sh
makes once (needs root). This script prepares it, starts one private 4.3 node
for the session and gives pytest its URL in RABBITMQ_URL (for what uses the
found broker), sets WORKQUEUE_RABBITMQ_ROOT (so that `get_broker(owned=True)`
starts 4.3 nodes too), runs pytest, then stops the node and unmounts the
chroot's /proc and /dev. Arguments go to pytest; the exit code is pytest's.

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
CHROOT_SCRIPT = PROJECT / "scripts" / "rabbitmq43.sh"
DENY_TRANSIENT_QUEUES = "deprecated_features.permit.transient_nonexcl_queues = false"


def main(pytest_arguments: List[str]) -> int:
    """Prepare the chroot, run pytest against 4.3 nodes, clean up; return pytest's exit code."""
    if pytest_arguments[:1] == ["--deny-transient-queues"]:
        pytest_arguments = pytest_arguments[1:]
        os.environ[EXTRA_CONFIG_VARIABLE] = DENY_TRANSIENT_QUEUES  # every node started from here on
    prepared = subprocess.run([str(CHROOT_SCRIPT), "prepare"], stdout=subprocess.PIPE, text=True, check=True)
    os.environ[ROOT_VARIABLE] = prepared.stdout.strip()
    try:
        node = PrivateNode()
        try:
            print(f"{node.describe()} (started in {node.start_seconds:.1f} s)", flush=True)
            started = time.monotonic()
            code = subprocess.run([sys.executable, "-m", "pytest", *pytest_arguments], cwd=PROJECT,
                                  env=dict(os.environ, RABBITMQ_URL=node.url)).returncode
            print(f"pytest on RabbitMQ {node.version()}: exit code {code} "
                  f"after {time.monotonic() - started:.0f} s", flush=True)
        finally:
            node.stop()
    finally:
        subprocess.run([str(CHROOT_SCRIPT), "umount"])
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
