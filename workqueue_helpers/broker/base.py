"""A broker found running: what the lessons may ask of any RabbitMQ (never a restart)."""

from __future__ import annotations

import json
import os
import shutil
import urllib.parse
from typing import List, Optional

import pika

from workqueue_helpers.polling import poll
from workqueue_helpers.broker import counts, management, rabbitmqctl
from workqueue_helpers.broker.counts import QueueCounts
from workqueue_helpers.broker.scratch import node_folder_for_port, node_name_in
from workqueue_helpers.broker.queues import delete_queues
from workqueue_helpers.connection import BrokerError, WorkQueueError, close_quietly, connect


class Broker:
    """A RabbitMQ broker that the lessons can use.

    ``url`` holds the password: pass it to ``pika.URLParameters`` and never
    print it. ``describe()`` is the line to show in a notebook.
    This class is a broker found running (kind "url" or "local"); it cannot be
    restarted or stopped from here. ``PrivateNode`` and ``DockerBroker`` can.
    """

    def __init__(self, url: str, kind: str, owned: bool = False) -> None:
        self.url = url
        self.kind = kind
        self.owned = owned
        parameters = pika.URLParameters(url)
        self.host: str = parameters.host
        self.port: int = parameters.port
        self.user: str = parameters.credentials.username
        self.vhost: str = parameters.virtual_host
        self.stopped = False
        self._version: Optional[str] = None
        self._management: Optional[str] = None  # "" once known to have no management UI

    def __repr__(self) -> str:
        return f"<{type(self).__name__} kind={self.kind!r} host={self.host!r}>"

    def connection(self, timeout: float = 5.0) -> pika.BlockingConnection:
        """Open a new AMQP connection to this broker (one attempt); BrokerError if it fails."""
        try:
            return connect(self.url, timeout=timeout)
        except WorkQueueError as error:
            raise BrokerError(str(error)) from None

    def version(self) -> str:
        """The server's version, as it announces itself when a client connects."""
        if self._version is None:
            connection = self.connection()
            try:
                self._version = str(connection._impl.server_properties.get("version", "unknown"))
            finally:
                close_quietly(connection)
        return self._version

    def describe(self) -> str:
        """One line for a notebook: version and where the broker runs. No password, no port."""
        version = self.version()
        if self.kind == "url":
            return f"RabbitMQ {version} at {self.host} (from RABBITMQ_URL)"
        if self.kind == "local":
            return f"RabbitMQ {version}, already running on localhost"
        if self.kind == "private":
            return f"RabbitMQ {version}, a private node started for this notebook"
        return f"RabbitMQ {version} in a Docker container started for this notebook"

    def management_ui(self) -> Optional[str]:
        """Where this broker's management UI answers (``http://host:port``), or None without one."""
        if self._management is None:
            base = self._management_base()
            password = pika.URLParameters(self.url).credentials.password
            self._management = base if management.answers(base, self.user, password) else ""
        return self._management or None

    def answers(self) -> bool:
        """True if an AMQP connection to the broker opens now."""
        try:
            close_quietly(connect(self.url, timeout=2.0))
            return True
        except WorkQueueError:
            return False

    def wait_until_ready(self, timeout: float = 60) -> None:
        """Wait until the broker accepts AMQP connections; BrokerError after ``timeout`` seconds."""
        if not poll(self.answers, timeout, 0.1):
            raise BrokerError(f"RabbitMQ at {self.host} did not answer within {timeout:.0f} s")

    def queue_counts(self, queue: str) -> Optional[QueueCounts]:
        """Ready, unacknowledged and consumer counts of ``queue``; None if there is no such queue.

        A broker on localhost is asked with ``rabbitmqctl`` (exact numbers), and
        so is a private node that another Python process started (a notebook
        kernel run by pytest gets the node's URL in RABBITMQ_URL).
        If rabbitmqctl is missing or refuses (it needs root or the rabbitmq
        user), and for any other broker from RABBITMQ_URL, the management
        plugin's HTTP API is asked instead (port 15672, or 15671 for amqps).
        Its numbers are refreshed every few seconds, so they can lag behind by
        about 5 s. Without the management plugin, BrokerError: AMQP alone
        cannot count unacknowledged messages.
        """
        problems: List[str] = []
        listed = self._rabbitmqctl_list_queues(problems)
        if listed is not None:
            return counts.from_rabbitmqctl(listed, queue)
        try:
            return counts.from_management_api(self._management_base(), self.user,
                                              pika.URLParameters(self.url).credentials.password,
                                              self.vhost, queue)
        except BrokerError as error:
            problems.append(str(error))
        raise BrokerError(f"Cannot count the messages of queue {queue!r}: " + "; ".join(problems))

    def queue_names(self) -> List[str]:
        """The names of every queue in the broker's vhost: from rabbitmqctl where
        ``queue_counts`` would ask it, else from the management API; BrokerError if neither."""
        problems: List[str] = []
        listed = self._rabbitmqctl_list_queues(problems)
        if listed is not None:
            return [row["name"] for row in json.loads(listed)]
        base = self.management_ui()
        if base is None:
            raise BrokerError("Cannot list the queues: " + "; ".join(problems + ["no management API"]))
        password = pika.URLParameters(self.url).credentials.password
        return [row["name"] for row in management.get_json(
            f"{base}/api/queues/{urllib.parse.quote(self.vhost, safe='')}?columns=name", self.user, password)]

    def _rabbitmqctl_list_queues(self, problems: List[str]) -> Optional[str]:
        """``rabbitmqctl list_queues`` (JSON) for the broker on this machine, or for a
        private node that another process started; None (and why, in ``problems``) if not."""
        commands = []
        if self.kind == "local" and shutil.which("rabbitmqctl"):
            commands.append((["rabbitmqctl", *rabbitmqctl.list_queues_arguments(self.vhost)], None))
        folder = node_folder_for_port(self.host, self.port) if rabbitmqctl.installed() else None
        if folder is not None:
            commands.append(([*rabbitmqctl.in_root(rabbitmqctl.RABBITMQCTL), "-n", node_name_in(folder),
                              *rabbitmqctl.list_queues_arguments(self.vhost)], _with_home(folder)))
        for command, env in commands:
            result = rabbitmqctl.run(command, env=env)
            if result.returncode == 0:
                return result.stdout
            problems.append(f"rabbitmqctl failed ({rabbitmqctl.last_line(result.stdout)})")
        return None

    def delete_queues(self, *names: str) -> None:
        """Delete these queues if they exist (lesson cleanup); a missing queue is no error."""
        delete_queues(self.url, names)

    def restart(self, crash: bool = False) -> float:
        """Restart the broker and return the seconds it took. Only for a broker started here."""
        raise BrokerError(
            f"Will not restart the RabbitMQ at {self.host} ({self.kind!r}): this notebook did not start it. "
            "Use get_broker(owned=True) to get a broker of the notebook's own.")

    def stop(self) -> None:
        """Stop the broker. Only for a broker started here."""
        raise BrokerError(
            f"Will not stop the RabbitMQ at {self.host} ({self.kind!r}): this notebook did not start it.")

    def _management_base(self) -> str:
        """Where the management HTTP API should be: same host, port 15672 (15671 with TLS)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        if self.url.startswith("amqps:"):
            return f"https://{host}:15671"
        return f"http://{host}:15672"


def _with_home(folder: str) -> dict:
    """The environment with HOME set to a node's folder (rabbitmqctl finds the Erlang cookie there)."""
    return dict(os.environ, HOME=folder)
