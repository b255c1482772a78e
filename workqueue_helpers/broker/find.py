"""Choose the broker a lesson uses: the one named, one running here, or a new one (Docker or a private node).

``get_broker()`` looks, in this order, for:

1. the broker named by the environment variable ``RABBITMQ_URL``;
2. a broker already answering on localhost:5672 as guest/guest;
3. a throwaway broker in a Docker container (testcontainers), if a Docker
   engine answers;
4. a private ``rabbitmq-server`` node, in a scratch folder on free ports, if
   RabbitMQ is installed (``/usr/lib/rabbitmq/bin/rabbitmq-server``), or in
   the chroot that ``WORKQUEUE_RABBITMQ_ROOT`` names.

``get_broker(owned=True)`` skips 1 and 2: a lesson that restarts or crashes
the broker gets one of its own and never touches the learner's broker.
A container or a private node lives as long as the notebook's kernel.
"""

from __future__ import annotations

import os
import socket
from typing import Dict, Optional, Tuple

from workqueue_helpers.broker import rabbitmqctl
from workqueue_helpers.broker.base import Broker
from workqueue_helpers.broker.cluster import Cluster
from workqueue_helpers.broker.container import DockerBroker
from workqueue_helpers.broker.private_node import PrivateNode
from workqueue_helpers.connection import (DEFAULT_URL, BrokerError, WorkQueueError, close_quietly,
                                          connect)

HOW_TO_GET_A_BROKER = (
    "No RabbitMQ found. Get one in any of three ways: "
    "run `docker compose up -d` in the project folder (needs Docker); "
    "or install RabbitMQ (`sudo apt-get install rabbitmq-server` on Debian/Ubuntu); "
    "or set RABBITMQ_URL=amqp://USER:PASSWORD@HOST:5672/%2F to a broker you can use."
)


def find_running_broker() -> Optional[Broker]:
    """The broker of RABBITMQ_URL, or one on localhost:5672 (guest/guest), or None. Starts nothing.

    If RABBITMQ_URL is set but nothing answers there, BrokerError (naming
    host, port and user, never the password).
    """
    url = os.environ.get("RABBITMQ_URL")
    if url:
        try:
            close_quietly(connect(url, timeout=5.0))
        except WorkQueueError as error:
            raise BrokerError(f"RABBITMQ_URL: {error}") from None
        return Broker(url, "url")
    if _port_open("localhost", 5672):
        try:
            close_quietly(connect(DEFAULT_URL, timeout=2.0))
            return Broker(DEFAULT_URL, "local")
        except WorkQueueError:
            return None
    return None


def docker_engine_available(timeout: float = 2.0) -> bool:
    """True if a Docker engine answers a ping within ``timeout`` seconds (the one testcontainers would use)."""
    try:
        import docker
        from testcontainers.core.docker_client import get_docker_host
    except ImportError:
        return False
    try:
        environment = dict(os.environ)
        host = get_docker_host()
        if host:
            environment["DOCKER_HOST"] = host
        client = docker.from_env(timeout=timeout, environment=environment,
                                 use_ssh_client=bool(host and host.startswith("ssh://")))
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        return False


def private_node_possible() -> bool:
    """True if RabbitMQ is installed here (or in the chroot), so that a private node can be started."""
    return rabbitmqctl.installed()


def find_or_start_broker(owned: bool = False, management: bool = False) -> Broker:
    """Find a broker, or start one; see the module's docstring for the order.

    ``owned=True``: always start a broker of the notebook's own, which
    ``restart()`` and ``stop()`` may act on; it runs the management UI only with
    ``management`` (a lesson that restarts its node opens the UI seldom, and a
    node without it restarts 5 s faster). A private node started because no
    broker answered stands for the learner's broker, and runs it always; so
    does the Docker image.
    """
    if not owned:
        broker = find_running_broker()
        if broker is not None:
            return broker
    problems = []
    if docker_engine_available():
        try:
            return DockerBroker()
        except BrokerError as error:
            problems.append(str(error))
    if private_node_possible():
        return PrivateNode(management=management or not owned)
    raise BrokerError(" ".join([HOW_TO_GET_A_BROKER, *problems]))


_brokers: Dict[Tuple[bool, bool], Broker] = {}


def get_broker(owned: bool = False, management: bool = False) -> Broker:
    """Like ``find_or_start_broker``, but the same Broker for every call with the same
    arguments (``management`` matters only for an owned broker)."""
    key = (owned, management or not owned)
    broker = _brokers.get(key)
    if broker is None or broker.stopped:
        broker = find_or_start_broker(owned, management)
        _brokers[key] = broker
    return broker


_clusters: Dict[int, Cluster] = {}


def get_cluster(size: int = 3) -> Cluster:
    """A cluster of ``size`` private nodes (lesson 6); the same one for every call while it runs.

    It needs RabbitMQ installed here: the notebook starts, kills and restarts
    the nodes itself. BrokerError, in one line, if it cannot.
    """
    cluster = _clusters.get(size)
    if cluster is None or cluster.stopped:
        if not private_node_possible():
            raise BrokerError(
                "Lesson 6 starts a cluster of its own, which needs RabbitMQ installed on this "
                "machine (apt-get install rabbitmq-server; Binder and the dev container have it). "
                "With Docker only, 'docker compose up -d rabbit1 rabbit2 rabbit3' starts a cluster "
                "of the same shape to explore by hand.")
        cluster = Cluster(size)
        _clusters[size] = cluster
    return cluster


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False
