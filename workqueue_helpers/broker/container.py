"""A throwaway RabbitMQ in a Docker container, through testcontainers."""

from __future__ import annotations

import atexit
import time
import warnings
from typing import Optional

from workqueue_helpers.broker import counts
from workqueue_helpers.broker.base import Broker
from workqueue_helpers.broker.counts import QueueCounts
from workqueue_helpers.broker.private_node import free_port
from workqueue_helpers.broker.rabbitmqctl import last_line, list_queues_arguments
from workqueue_helpers.connection import BrokerError
from workqueue_helpers import status

DOCKER_IMAGE = "rabbitmq:4.3-management"   # the same tag as in docker-compose.yml


class DockerBroker(Broker):
    """A throwaway RabbitMQ in a Docker container, started through testcontainers.

    testcontainers' reaper container ("Ryuk") removes it soon after this
    Python process ends, however it ends.
    """

    def __init__(self, image: str = DOCKER_IMAGE) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # testcontainers warns about its own deprecated helpers
            from testcontainers.community.rabbitmq import RabbitMqContainer

        self.image = image
        started = time.monotonic()
        container = None
        try:
            container = RabbitMqContainer(image, port=5672, username="guest", password="guest", vhost="/")
            # A fixed host port (picked now) rather than a random one, so that
            # the port stays the same when the container is restarted.
            amqp_port = free_port()
            self.management_port = free_port(avoid=(amqp_port,))
            container.with_bind_ports(5672, amqp_port)
            container.with_bind_ports(15672, self.management_port)  # the image's management UI
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                container.start()  # pulls the image if needed, waits until AMQP answers
            host = container.get_container_host_ip()
            port = container.get_exposed_port(5672)
        except Exception as error:
            if container is not None:
                try:
                    container.stop()
                except Exception:
                    pass
            reason = " ".join(str(error).split())[:300] or type(error).__name__
            raise BrokerError(f"Could not start RabbitMQ in Docker ({image}): {reason}") from None
        self.container = container
        self.start_seconds = time.monotonic() - started
        super().__init__(f"amqp://guest:guest@{host}:{port}/%2F", "container", owned=True)
        atexit.register(self.stop)

    def queue_counts(self, queue: str) -> Optional[QueueCounts]:
        exit_code, output = self.container.exec(["rabbitmqctl", *list_queues_arguments(self.vhost)])
        text = output.decode("utf-8", "replace")
        if exit_code != 0:
            raise BrokerError(f"rabbitmqctl list_queues failed in the container: {last_line(text)}")
        return counts.from_rabbitmqctl(text, queue)

    def _management_base(self) -> str:
        return f"http://{self.host}:{self.management_port}"

    def restart(self, crash: bool = False) -> float:
        """Restart the container (``crash=True``: SIGKILL it, then start it); return the seconds it took."""
        if self.stopped:
            raise BrokerError("The RabbitMQ container has been stopped")
        container = self.container.get_wrapped_container()
        started = time.monotonic()
        status.say("broker killed (SIGKILL), starting again" if crash else "broker restarting")
        if crash:
            container.kill(signal="SIGKILL")
            container.start()
        else:
            container.restart(timeout=30)
        self.wait_until_ready()
        status.say("")
        return time.monotonic() - started

    def stop(self) -> None:
        """Remove the container and its data. Safe to repeat."""
        if self.stopped:
            return
        self.stopped = True
        try:
            self.container.stop()
        except Exception:
            pass
        atexit.unregister(self.stop)
