"""A cluster of private RabbitMQ nodes on this machine: start, ask, kill one, bring it back.

    cluster = Cluster(3)                 # three nodes, one cookie, all on loopback
    cluster.members()                    # the nodes running in the cluster, by short name
    cluster.quorum_status(queue)         # each replica of a quorum queue: node, leader or follower
    cluster.kill("rabbit2")              # SIGKILL one node, as a power cut would
    cluster.start_again("rabbit2")       # it rejoins, on the same folder and ports

Each node is a ``PrivateNode`` (its own name, ports and scratch folder) that
dies with the kernel. The first node boots alone; then the others, which
name it in their config file (``cluster_formation.peer_discovery_backend =
classic_config``), boot together and join it. No ``join_cluster`` is needed. Only the
first runs the management plugin: its UI shows them all.
"""

from __future__ import annotations

import glob
import json
import os
import secrets
import shutil
import threading
import time
from dataclasses import dataclass
from typing import Dict, List, Optional

from workqueue_helpers.polling import poll
from workqueue_helpers.broker import rabbitmqctl
from workqueue_helpers.broker.base import Broker
from workqueue_helpers.broker.counts import QueueCounts
from workqueue_helpers.broker.private_node import PrivateNode
from workqueue_helpers.connection import BrokerError
from workqueue_helpers import status

RABBITMQ_QUEUES = "/usr/lib/rabbitmq/bin/rabbitmq-queues"
# From RabbitMQ 4.3 on, a quorum queue keeps the messages held by consumers on a node
# it lost touch with for consumer_disconnected_timeout (60 s by default) before it
# delivers them again: the node may only be cut off, its consumers still working.
# The lesson's cluster waits 5 s, so that it runs in two minutes.
DISCONNECTED_TIMEOUT_MS = 5000


@dataclass(frozen=True)
class Replica:
    """One replica of a quorum queue, as ``rabbitmq-queues quorum_status`` reports it."""

    node: str          # short name: rabbit1, rabbit2, ...
    role: str          # "leader" or "follower" (or what RabbitMQ says while it elects)
    commit_index: int  # how far this replica's log is committed


class Cluster(Broker):
    """``size`` private nodes that form one RabbitMQ cluster; ``url`` is the first node's."""

    def __init__(self, size: int = 3, timeout: float = 90.0) -> None:
        if threading.current_thread() is not threading.main_thread():
            raise BrokerError("Start the cluster from the main thread")
        self.nodes: List[PrivateNode] = []
        self.stopped = False  # set again by Broker.__init__; stop() reads it if a node fails to start
        status.say(f"starting a cluster of {size} private RabbitMQ nodes")
        started = time.monotonic()
        try:
            for n in range(size):  # the first node's management UI shows the whole cluster
                self.nodes.append(PrivateNode(start=False, management=n == 0))
            cookie = secrets.token_hex(20)
            seed = self.nodes[0]
            self.server_version = installed_version(seed.root)
            # None where RabbitMQ has no such setting (before 4.3: messages come back at once).
            self.disconnected_timeout: Optional[float] = None
            if _version_tuple(self.server_version) >= (4, 3):
                self.disconnected_timeout = DISCONNECTED_TIMEOUT_MS / 1000
            for node in self.nodes:
                node.set_cookie(cookie)
                if self.disconnected_timeout is not None:
                    node.config_lines.append(f"consumer_disconnected_timeout = {DISCONNECTED_TIMEOUT_MS}")
                if node is not seed:
                    # The others join the first: listing only it is quicker than listing
                    # all three, where each blank node retries joining the others for 5 s.
                    node.config_lines += ["cluster_formation.peer_discovery_backend = classic_config",
                                          f"cluster_formation.classic_config.nodes.1 = {seed.node}"]
            # The first node boots alone: a node that joins it while it boots can make
            # it fail ("All replicas on diskfull nodes are not active yet", seen on 3.10).
            seed.spawn()
            seed.wait_until_ready(timeout)
            for node in self.nodes[1:]:
                node.spawn()
            for node in self.nodes[1:]:
                _wait_or_boot_again(node, timeout)
            self.wait_for_members(size, timeout)
        except BaseException:
            self.stop()
            raise
        self.start_seconds = time.monotonic() - started
        status.say("")
        super().__init__(self.nodes[0].url, "cluster", owned=True)

    # --- names -----------------------------------------------------------------

    def short_name(self, node: PrivateNode) -> str:
        """``rabbit1``, ``rabbit2``, ...: a node's name as the lesson shows it (its real
        name holds the kernel's process id)."""
        return f"rabbit{self.nodes.index(node) + 1}"

    def node(self, short_name: str) -> PrivateNode:
        """The node called ``short_name`` (``rabbit2``), or whose full name this is."""
        for node in self.nodes:
            if short_name in (self.short_name(node), node.node):
                return node
        raise BrokerError(f"No node {short_name!r} in this cluster")

    @property
    def urls(self) -> List[str]:
        """Every node's AMQP URL, in order: what clients are given."""
        return [node.url for node in self.nodes]

    def node_of_port(self, port: int) -> Optional[str]:
        """The short name of the node listening on AMQP ``port``, if one does."""
        for node in self.nodes:
            if node.amqp_port == port:
                return self.short_name(node)
        return None

    def nodes_of_clients(self, connections: List[tuple]) -> Dict[str, List[str]]:
        """Each client's nodes, in the order it connected to them (one entry per change),
        from ``Timeline.connections()``: ``{"worker1": ["rabbit1", "rabbit2"], ...}``."""
        nodes: Dict[str, List[str]] = {}
        for client, _, address in connections:
            node = self.node_of_port(int(address.rsplit(":", 1)[1])) or address
            if nodes.get(client, [None])[-1] != node:
                nodes.setdefault(client, []).append(node)
        return nodes

    # --- asking RabbitMQ --------------------------------------------------------

    def running_nodes(self) -> List[PrivateNode]:
        return [node for node in self.nodes if node.pid is not None]

    def _ask(self, program: str, *args: str) -> str:
        """Run a RabbitMQ CLI command against the first running node; its stdout."""
        problems = []
        for node in self.running_nodes():
            result = rabbitmqctl.run([*rabbitmqctl.in_root(program, node.root), "-n", node.node, *args],
                                     env=node.env)
            if result.returncode == 0:
                return result.stdout
            problems.append(f"{self.short_name(node)}: {rabbitmqctl.last_line(result.stdout)}")
        raise BrokerError("No node of the cluster answered: " + ("; ".join(problems) or "none running"))

    def members(self) -> Dict[str, List[str]]:
        """``{"disk": [...], "running": [...]}``: the cluster's members and those running now,
        by short name, from ``rabbitmqctl cluster_status``."""
        status = json.loads(self._ask(rabbitmqctl.RABBITMQCTL, "-q", "cluster_status", "--formatter", "json"))
        disk = status.get("disk_nodes") or status.get("nodes", {}).get("disc", [])
        return {"disk": sorted(self._short(name) for name in disk),
                "running": sorted(self._short(name) for name in status.get("running_nodes", []))}

    def wait_for_members(self, count: int, timeout: float = 60.0) -> None:
        """Wait until ``count`` nodes run in the cluster; BrokerError after ``timeout``."""
        if not poll(lambda: len(self.members()["running"]) >= count, timeout, 0.5,
                    ignore=(BrokerError, ValueError)):
            raise BrokerError(f"The cluster did not reach {count} running nodes within {timeout:.0f} s")

    def quorum_status(self, queue: str) -> List[Replica]:
        """Each replica of quorum queue ``queue``, from ``rabbitmq-queues quorum_status``."""
        rows = json.loads(self._ask(RABBITMQ_QUEUES, "-q", "quorum_status", queue,
                                    "--vhost", self.vhost, "--formatter", "json"))
        return sorted((Replica(self._short(row["Node Name"]), str(row["Raft State"]),
                               int(row.get("Commit Index") or 0)) for row in rows),
                      key=lambda replica: replica.node)

    def leader(self, queue: str) -> Optional[str]:
        """The short name of the node that leads quorum queue ``queue`` now, if one does."""
        leaders = [r.node for r in self.quorum_status(queue) if r.role == "leader"]
        return leaders[0] if leaders else None

    def wait_for_leader(self, queue: str, other_than: Optional[str] = None,
                        timeout: float = 30.0) -> str:
        """Wait until ``queue`` has a leader (not ``other_than``); return its short name."""
        def new_leader() -> Optional[str]:
            leader = self.leader(queue)
            return leader if leader != other_than else None

        leader = poll(new_leader, timeout, 0.2, ignore=(BrokerError, ValueError, KeyError))
        if leader is None:
            raise BrokerError(f"Queue {queue!r} had no new leader within {timeout:.0f} s")
        return leader

    def wait_until_replicas_agree(self, queue: str, timeout: float = 30.0) -> List[Replica]:
        """Wait until every replica of ``queue`` has committed as far as the leader
        (a node back from the dead has caught up); return the replicas."""
        def agreed() -> Optional[List[Replica]]:
            replicas = self.quorum_status(queue)
            if len(replicas) == len(self.nodes) and len({r.commit_index for r in replicas}) == 1 \
                    and any(r.role == "leader" for r in replicas):
                return replicas
            return None

        replicas = poll(agreed, timeout, 0.5, ignore=(BrokerError, ValueError, KeyError))
        if replicas is None:
            raise BrokerError(f"The replicas of {queue!r} did not agree within {timeout:.0f} s")
        return replicas

    def queue_counts(self, queue: str) -> Optional[QueueCounts]:
        for node in self.running_nodes():
            try:
                return node.queue_counts(queue)
            except BrokerError:
                continue
        raise BrokerError("No node of the cluster answered")

    def memory_bytes(self) -> Dict[str, int]:
        """Each running node's resident memory (its Erlang VM's RSS, from /proc), by short name."""
        sizes = {}
        for node in self.running_nodes():
            try:
                with open(f"/proc/{node.pid}/status", encoding="ascii") as file:
                    for line in file:
                        if line.startswith("VmRSS:"):
                            sizes[self.short_name(node)] = int(line.split()[1]) * 1024
            except OSError:
                continue
        return sizes

    def _short(self, name: str) -> str:
        for node in self.nodes:
            if node.node == name:
                return self.short_name(node)
        return name

    # --- trouble ------------------------------------------------------------------

    def kill(self, short_name: str) -> None:
        """SIGKILL node ``short_name``, as a power cut would."""
        status.say(f"{short_name} killed (SIGKILL)")
        self.node(short_name).kill()

    def start_killed_nodes(self, timeout: float = 60.0) -> None:
        """Start again any node that is not running, and wait until all run in the cluster."""
        for node in self.nodes:
            if node.pid is None:
                node.spawn()
        for node in self.nodes:
            node.wait_until_ready(timeout)
        self.wait_for_members(len(self.nodes), timeout)

    def start_again(self, short_name: str, timeout: float = 60.0) -> float:
        """Start a killed node again; wait until it runs in the cluster; return the seconds."""
        status.say(f"starting {short_name} again")
        started = time.monotonic()
        self.node(short_name).start_again()
        self.wait_for_members(len(self.nodes), timeout)
        status.say("")
        return time.monotonic() - started

    def describe(self) -> str:
        return (f"RabbitMQ {self.version()}, a cluster of {len(self.nodes)} private nodes "
                f"started for this notebook ({', '.join(self.short_name(n) for n in self.nodes)})")

    def management_ui(self) -> Optional[str]:
        return self.nodes[0].management_ui() if self.nodes else None

    def restart(self, crash: bool = False) -> float:
        raise BrokerError("Restart one node of the cluster: cluster.kill(name), cluster.start_again(name)")

    def stop(self) -> None:
        """Stop every node and remove their folders. Safe to repeat.

        All three are asked at once and stop together: 6 s here, against 8 s one
        after another (on 3.10 each node's management plugin waits 5 s as it stops)."""
        if not self.stopped:
            status.say(f"stopping the cluster's {len(self.nodes)} nodes")
        self.stopped = True
        for node in self.nodes:
            node.ask_to_stop()
        for node in self.nodes:
            node.stop()
        status.say("")


def _wait_or_boot_again(node: PrivateNode, timeout: float) -> None:
    """Wait until a joining node answers; if it failed to boot, boot it once more
    from a blank database (two nodes joining at once can trip over each other)."""
    try:
        node.wait_until_ready(timeout)
    except BrokerError:
        if node.pid is not None:
            raise  # still running, only slow: a real problem
        shutil.rmtree(os.path.join(node.folder, "mnesia"), ignore_errors=True)
        node.spawn()
        node.wait_until_ready(timeout)


def installed_version(root: str = "") -> str:
    """The version of the RabbitMQ installed here (or in the chroot ``root``), from its
    folder name (``rabbitmq_server-3.10.8``), before any node runs; "" if not found."""
    folders = glob.glob(os.path.join(root or "/", "usr/lib/rabbitmq/lib/rabbitmq_server-*"))
    return sorted(folders)[-1].rsplit("-", 1)[1] if folders else ""


def _version_tuple(version: str) -> tuple:
    parts = []
    for part in version.split(".")[:3]:
        digits = "".join(ch for ch in part if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)
