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

Import each from its module: this package's ``__init__`` imports nothing, so a
small process (the lesson's janitor) can use ``scratch.py`` without pika.
"""
