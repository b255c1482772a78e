"""Where a broker comes from: find one, or start one, and count its queues.

- ``find.py``: which broker a lesson uses (``get_broker``);
- ``base.py``: ``Broker``, a broker found running;
- ``private_node.py``: ``PrivateNode``, a rabbitmq-server node of the notebook's own;
- ``container.py``: ``DockerBroker``, the same in Docker (testcontainers);
- ``counts.py``: ``QueueCounts`` and the three ways to read them;
- ``queues.py``: look into queues and delete them, over AMQP;
- ``rabbitmqctl.py``: run RabbitMQ's own programs, here or in the 4.3 chroot;
- ``scratch.py``: private nodes' scratch folders, and what a dead kernel left;
- ``__main__.py``: ``python -m workqueue_helpers.broker``.

The names most used are importable from here.
"""

from workqueue_helpers.broker.base import Broker
from workqueue_helpers.broker.counts import QueueCounts
from workqueue_helpers.broker.find import get_broker
from workqueue_helpers.connection import BrokerError

__all__ = ["Broker", "BrokerError", "QueueCounts", "get_broker"]
