"""A private rabbitmq-server node of the notebook's own, on free ports in a scratch folder."""

from __future__ import annotations

import atexit
import json
import os
import random
import signal
import socket
import subprocess
import threading
import time
from typing import Collection, List, Optional

from workqueue_helpers.polling import poll
from workqueue_helpers.broker import counts, rabbitmqctl, scratch
from workqueue_helpers.broker.base import Broker
from workqueue_helpers.broker.counts import QueueCounts
from workqueue_helpers.broker.rabbitmqctl import RABBITMQCTL, RABBITMQ_SERVER, in_root, last_line
from workqueue_helpers.broker.scratch import (NODE_FILE, new_scratch_folder, ports_of_private_nodes,
                                              remove_folder_and_its_processes,
                                              remove_stale_scratch_folders)
from workqueue_helpers.connection import BrokerError
from workqueue_helpers import processes
from workqueue_helpers import status

EXTRA_CONFIG_VARIABLE = "WORKQUEUE_RABBITMQ_CONFIG"  # more rabbitmq.conf lines for private nodes
PORTS_FROM = 10000  # private nodes' ports: from here to the first ephemeral port
RESERVED_PORTS = {15672, 25672, 15692, 25692}  # RabbitMQ's defaults, for a node someone starts by hand
_random = random.SystemRandom()


class PrivateNode(Broker):
    """A rabbitmq-server node of the notebook's own, in a scratch folder, on free ports.

    The node is the notebook's child process (started with ``processes.spawn``),
    so it dies with the kernel. It runs in a session of its own and ignores
    SIGINT, so "Interrupt kernel" does not stop it. ``start_seconds`` is how
    long the node took to start. With ``WORKQUEUE_RABBITMQ_ROOT`` set, it runs
    inside that chroot (``root``), and so does its scratch folder. Lines in
    ``WORKQUEUE_RABBITMQ_CONFIG`` are added to its rabbitmq.conf (for example
    ``deprecated_features.permit.transient_nonexcl_queues = false``).
    """

    _count = 0  # private nodes started by this process, to give each its own name

    def __init__(self, *, start: bool = True, management: bool = False) -> None:
        if threading.current_thread() is not threading.main_thread():
            # Linux ties "die with the parent" to the thread that started the child.
            raise BrokerError("Start the private RabbitMQ node from the main thread")
        remove_stale_scratch_folders()
        PrivateNode._count += 1
        pid = os.getpid()
        self.node = f"wq-{pid}-{PrivateNode._count}@localhost"
        self.root = rabbitmqctl.rabbitmq_root()
        if self.root and not os.path.exists(os.path.join(self.root, "proc/self")):
            raise BrokerError(f"No /proc in {self.root} (RabbitMQ needs it): run workshop/rabbitmq43.sh prepare")
        self.folder = new_scratch_folder(pid, PrivateNode._count)
        self.log_file = os.path.join(self.folder, "console.log")
        taken = ports_of_private_nodes()  # the other nodes' ports, free until they listen
        amqp_port = free_port(avoid=taken)
        dist_port = free_port(avoid=taken | {amqp_port})
        self.management_port = free_port(avoid=taken | {amqp_port, dist_port})
        super().__init__(f"amqp://guest:guest@127.0.0.1:{amqp_port}/%2F", "private", owned=True)

        self.amqp_port = amqp_port
        self.config_lines: List[str] = []  # more rabbitmq.conf lines (a cluster's peers, see cluster.py)
        os.makedirs(self.folder)
        # At once, so that other processes find this node by its AMQP port (see
        # Broker.queue_counts) and leave its ports alone (see scratch.ports_of_private_nodes).
        _write(os.path.join(self.folder, NODE_FILE),
               json.dumps({"node": self.node, "amqp_port": amqp_port,
                           "ports": [amqp_port, dist_port, self.management_port]}))
        self._watcher = scratch.watch(self.folder)
        if self.root:
            _same_paths_inside(self.root)
        # The management plugin (its UI and HTTP API) only where a learner opens it: without
        # it a node starts as fast, and a clean restart takes 7 s instead of 12 on 3.10.
        self.with_management = management
        _write(os.path.join(self.folder, "rabbitmq-env.conf"), "")
        # Our environment minus any RABBITMQ_* or ERL_* setting meant for another node.
        inherited = {name: value for name, value in os.environ.items()
                     if not name.startswith(("RABBITMQ_", "ERL_"))}
        self.env = dict(
            inherited,
            HOME=self.folder,                      # the Erlang cookie goes here; rabbitmqctl needs the same
            RABBITMQ_NODENAME=self.node,
            RABBITMQ_DIST_PORT=str(dist_port),
            RABBITMQ_CONFIG_FILE=os.path.join(self.folder, "rabbitmq.conf"),
            RABBITMQ_ADVANCED_CONFIG_FILE=os.path.join(self.folder, "advanced.config"),
            RABBITMQ_CONF_ENV_FILE=os.path.join(self.folder, "rabbitmq-env.conf"),
            RABBITMQ_ENABLED_PLUGINS_FILE=os.path.join(self.folder, "enabled_plugins"),
            RABBITMQ_MNESIA_BASE=os.path.join(self.folder, "mnesia"),
            RABBITMQ_LOG_BASE=os.path.join(self.folder, "log"),
            RABBITMQ_PID_FILE=os.path.join(self.folder, "pid"),
            # Without a console, rabbitmq-server runs Erlang in a background
            # shell job, which would outlive us. ALLOW_INPUT makes it exec
            # Erlang instead, so our child *is* the node; -noinput is passed below.
            RABBITMQ_ALLOW_INPUT="true",
            # ignore SIGINT, like `rabbitmq-server` run from a shell
            RABBITMQ_SERVER_START_ARGS="+B i",
            RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}",
        )
        self._process: Optional[subprocess.Popen] = None
        self.start_seconds = 0.0
        atexit.register(self.stop)
        if not start:
            return
        status.say("starting a private RabbitMQ node")
        try:
            self.start_seconds = self._start()
            status.say("")
        except BaseException:
            self.stop()
            raise

    def set_cookie(self, cookie: str) -> None:
        """Give the node this Erlang cookie (nodes of one cluster share theirs); before it starts."""
        path = os.path.join(self.folder, ".erlang.cookie")
        _write(path, cookie)
        os.chmod(path, 0o400)

    @property
    def pid(self) -> Optional[int]:
        """The node's operating-system process id (the Erlang VM, beam.smp), while it runs."""
        if self._process is None or self._process.poll() is not None:
            return None
        return self._process.pid

    def _start(self) -> float:
        """Start the node's Erlang VM and wait until AMQP answers; return the seconds it took."""
        started = time.monotonic()
        self.spawn()
        self.wait_until_ready()
        return time.monotonic() - started

    def spawn(self) -> None:
        """Start the node's Erlang VM, on its folder and ports, without waiting for it.
        Call it from the main thread."""
        if self.stopped:
            raise BrokerError(f"The private RabbitMQ node {self.node} has been stopped")
        _write(os.path.join(self.folder, "enabled_plugins"),
               "[rabbitmq_management].\n" if self.with_management else "[].\n")
        # Our own config file, so the node ignores /etc/rabbitmq (which may name port 5672).
        extra = os.environ.get(EXTRA_CONFIG_VARIABLE, "").replace(";", "\n")
        # The management UI on loopback, its counts refreshed every second (5 s by default).
        _write(os.path.join(self.folder, "rabbitmq.conf"),
               f"listeners.tcp.1 = 127.0.0.1:{self.amqp_port}\n"
               f"management.tcp.ip = 127.0.0.1\nmanagement.tcp.port = {self.management_port}\n"
               "collect_statistics_interval = 1000\n" + "".join(line + "\n" for line in self.config_lines)
               + f"{extra}\n")
        with open(self.log_file, "ab") as log:
            self._process = processes.spawn([*in_root(RABBITMQ_SERVER, self.root), "-noinput"], env=self.env,
                                            stdout=log, stderr=subprocess.STDOUT, cwd=self.folder,
                                            new_session=True)

    def kill(self) -> None:
        """SIGKILL the node, as a power cut would; ``start_again`` brings it back."""
        if self._process is not None:
            processes.kill(self._process, signal.SIGKILL)

    def start_again(self) -> float:
        """Start a killed node again on the same data folder and ports; return the seconds
        until AMQP answered. Call it from the main thread."""
        if threading.current_thread() is not threading.main_thread():
            raise BrokerError("Start the private RabbitMQ node from the main thread")
        return self._start()

    def wait_until_ready(self, timeout: float = 60) -> None:
        """Wait until the node accepts AMQP connections; BrokerError if it stops or times out."""
        def answers_or_stopped() -> bool:
            if self.answers():
                return True
            if self._process is None or self._process.poll() is not None:
                code = None if self._process is None else self._process.returncode
                raise BrokerError(f"The private RabbitMQ node {self.node} stopped (exit code {code}): "
                                  f"{self._log_excerpt()}")
            return False

        if not poll(answers_or_stopped, timeout, 0.1):
            raise BrokerError(f"The private RabbitMQ node {self.node} did not answer within "
                              f"{timeout:.0f} s; its log is {self.log_file}")

    def _log_excerpt(self) -> str:
        """The line of the node's console log that says why it stopped, if there is one."""
        try:
            with open(self.log_file, encoding="utf-8", errors="replace") as file:
                lines = [line.strip() for line in file if line.strip()]
        except OSError:
            return "no log"
        for line in reversed(lines):
            if line.startswith(("init terminating", "Runtime terminating", "BOOT FAILED")):
                return line[:300]
        return lines[-1][:300] if lines else "empty log"

    def _management_base(self) -> str:
        return f"http://127.0.0.1:{self.management_port}"

    def rabbitmqctl(self, *args: str) -> subprocess.CompletedProcess:
        """Run ``rabbitmqctl -n NODE ARGS...`` against this node."""
        return rabbitmqctl.run([*in_root(RABBITMQCTL, self.root), "-n", self.node, *args], env=self.env)

    def queue_counts(self, queue: str) -> Optional[QueueCounts]:
        result = self.rabbitmqctl(*rabbitmqctl.list_queues_arguments(self.vhost))
        if result.returncode != 0:
            raise BrokerError(f"rabbitmqctl list_queues failed on {self.node}: {last_line(result.stdout)}")
        return counts.from_rabbitmqctl(result.stdout, queue)

    def restart(self, crash: bool = False) -> float:
        """Restart the node; return the seconds until AMQP answers again.

        ``crash=False``: a clean shutdown, then a start, as ``docker restart`` (the
        Docker broker's restart) and Kubernetes do it: SIGTERM, on which RabbitMQ
        closes every connection at once and stops in order.
        ``crash=True``: SIGKILL the node (as a power cut would).
        Either way the node starts again on the same data folder and ports.
        Call it from the main thread.

        (``rabbitmqctl stop_app`` was the clean restart before: its connections
        closed only once the CLI had started, 0.3 s later on an idle machine
        here but up to 7 s on a loaded one, so a demo could finish its batch
        before the broker stopped.)
        """
        if self.stopped:
            raise BrokerError(f"The private RabbitMQ node {self.node} has been stopped")
        if threading.current_thread() is not threading.main_thread():
            raise BrokerError("Restart the private RabbitMQ node from the main thread")
        started = time.monotonic()
        status.say("broker killed (SIGKILL), starting again" if crash else
                 "broker restarting: a clean shutdown (SIGTERM), then a start")
        if crash:
            self.kill()
        elif self._process is not None:
            # RabbitMQ 3.10 to 3.13.1 with the management plugin wait 5 s after the
            # connections are closed (rabbitmq-server pull request 11070).
            processes.kill(self._process, signal.SIGTERM, timeout=30.0)
        self._start()
        status.say("")
        return time.monotonic() - started

    def ask_to_stop(self) -> None:
        """Send the node SIGTERM without waiting for it (``stop`` waits): a cluster asks
        all its nodes at once, and they stop together."""
        if not self.stopped and self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)

    def stop(self) -> None:
        """Stop the node (SIGTERM, SIGKILL after 10 s) and remove its scratch folder. Safe to repeat."""
        if self.stopped:
            return
        self.stopped = True
        if self._process is not None:
            processes.kill(self._process, signal.SIGTERM, timeout=10.0)
        remove_folder_and_its_processes(self.folder)
        try:
            self._watcher.wait(5)  # it ends once the folder is gone
        except subprocess.TimeoutExpired:
            pass                   # the folder is still there: the watcher removes it once we have gone
        atexit.unregister(self.stop)



def free_port(avoid: Collection[int] = ()) -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now.

    Picked below the range the system hands out to outgoing connections
    (``ip_local_port_range``): a port from that range can be taken, while a
    node restarts, by any client's connection, and the node then cannot
    listen on it again.
    """
    first_ephemeral = _first_ephemeral_port()
    for _ in range(200):
        port = _random.randrange(PORTS_FROM, first_ephemeral)
        if port in avoid or port in RESERVED_PORTS:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise BrokerError(f"No free port between {PORTS_FROM} and {first_ephemeral} on 127.0.0.1")


def _first_ephemeral_port() -> int:
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range", encoding="ascii") as file:
            return int(file.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default


def _same_paths_inside(root: str) -> None:
    """Make ROOT/tmp/x reachable inside the chroot by that same path, ROOT/tmp/x.

    A relative symlink ROOT/ROOT -> ROOT leads back to the chroot's own root,
    seen from inside and from outside alike. So the node is given the host's
    paths, and its command line, pid and log files are found from here as for
    a node outside a chroot.
    """
    link = os.path.join(root, root.lstrip("/"))
    if not os.path.islink(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(os.path.relpath("/", os.path.dirname(root)), link)


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)
