"""The command line: say which broker the lessons will use; it never starts one.

``python -m workqueue_helpers.broker``: exit 0 if a broker is running or the
notebooks can start one (Docker, or RabbitMQ installed); exit 1, with the
three ways to get one, if not.

``python -m workqueue_helpers.broker check``: exit 0 only if a broker is
running already (RABBITMQ_URL, or localhost:5672).
"""

from __future__ import annotations

import sys
from typing import List

from workqueue_helpers.broker import find
from workqueue_helpers.connection import WorkQueueError


def main(argv: List[str]) -> int:
    if argv not in ([], ["check"]):
        print("usage: python -m workqueue_helpers.broker [check]", file=sys.stderr)
        return 2
    try:
        broker = find.find_running_broker()
        if broker is not None:
            print(broker.describe())
            return 0
    except WorkQueueError as error:
        print(error, file=sys.stderr)
        return 1
    if argv == []:
        if find.docker_engine_available():
            print("No RabbitMQ is running; each notebook will start one in a Docker container.")
            return 0
        if find.private_node_possible():
            print("No RabbitMQ is running; each notebook will start a private rabbitmq-server node.")
            return 0
    print(find.HOW_TO_GET_A_BROKER, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
