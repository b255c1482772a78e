"""Lesson 6's cluster: three private nodes, the leader killed under load, nothing lost;
the nodes die with their Python process; the cluster programs (notebooks/programs/cluster)
given bad node lists."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workqueue_helpers import processes, programs
from workqueue_helpers.broker import find, scratch
from workqueue_helpers.broker.cluster import Cluster
from workqueue_helpers.demo.lesson import Lesson
from workqueue_helpers.exercises import Exercise, check_cluster_worker
from workqueue_helpers.record.events import (CONNECTED, DISCONNECTED, NODE_DOWN, NODE_UP, PUBLISHED,
                                             RECEIVED, Event)
from workqueue_helpers.record.timeline import Timeline

from children import read_line_starting
from exercise_files import expect, mistake, program, write


pytestmark = pytest.mark.cluster
needs_rabbitmq_installed = pytest.mark.skipif(
    not find.private_node_possible(), reason="rabbitmq-server is not installed here")
MAX_CLUSTER_MEMORY = 1.5 * 1024 ** 3  # the limit for the three nodes together


@pytest.fixture(scope="module")
def lesson6():
    """A lesson on a cluster of its own, as lesson 6's setup cell makes it (one for the file)."""
    lesson = Lesson("test-lesson06", cluster_size=3, quiet=True)
    yield lesson
    lesson.finish()


@pytest.fixture
def cluster(lesson6) -> Cluster:
    lesson6.broker.start_killed_nodes()  # a check may have left a node on its way back
    return lesson6.broker


@needs_rabbitmq_installed
def test_the_three_nodes_fit_in_the_memory_limit(cluster: Cluster) -> None:
    # (A leader killed under load, and nothing lost, is lesson 6's own claim: its notebook checks it.)
    assert cluster.members()["running"] == ["rabbit1", "rabbit2", "rabbit3"]
    assert sum(cluster.memory_bytes().values()) < MAX_CLUSTER_MEMORY


SOLUTION = program("cluster/worker.py")
CONNECT_ALL = "pika.BlockingConnection([pika.URLParameters(url) for url in URLS])"
# The case that kills no node first: each case that kills one starts it again in the
# background, and the next case waits for it.
CLUSTER_EXERCISE = {
    "a classic queue": (mistake(SOLUTION, ', arguments={"x-queue-type": "quorum"}', ""),
                        "classic_declared"),
    "solution": (SOLUTION, None),
    "the starting point: one node, no loop (step 4's worker)": (program("step4/worker.py"),
                                                                "no_reconnect"),
    "a loop, but the first node only": (mistake(SOLUTION, CONNECT_ALL,
                                                "pika.BlockingConnection(pika.URLParameters(URLS[0]))"),
                                        "same_node"),
}


@needs_rabbitmq_installed
@pytest.mark.parametrize("case", CLUSTER_EXERCISE)
def test_the_cluster_worker_exercise(lesson6, case) -> None:
    text, expected = CLUSTER_EXERCISE[case]
    expect(check_cluster_worker(write(Exercise(lesson6, 1, "worker.py", seconds_per_dot=0.1), text)),
           expected)


KERNEL = """
from workqueue_helpers.demo.lesson import Lesson
import time
# One node, not three: each node goes the same way, and a node boot costs 6 s of CPU.
lesson = Lesson("test-lesson06-killed", cluster_size=1, quiet=True)
run = lesson.new_run("tasks")
run.start("cluster/worker.py", 2, seconds_per_dot=0.05)
run.start("cluster/new_task.py", args=[f"Task {n} ........" for n in range(50)],
          options=["--interval", "0.1"])
pids = [w.process.pid for w in run.children.values()] + [n.pid for n in lesson.broker.nodes]
print("FOLDERS=" + ",".join(n.folder for n in lesson.broker.nodes), *pids, flush=True)
time.sleep(300)
"""


@needs_rabbitmq_installed
def test_a_killed_kernel_leaves_no_node_no_worker_and_no_folder() -> None:
    """Kill a lesson-6 kernel (SIGKILL) in the middle of a run: its nodes, its
    workers and its producer die with it, and the lesson's janitor removes the folders."""
    child = processes.spawn([sys.executable, "-c", KERNEL], stdin=subprocess.PIPE)
    line = read_line_starting(child, b"FOLDERS=", timeout=120)
    folders_part, *pids = line[len("FOLDERS="):].split()
    folders, pids = folders_part.split(","), [int(pid) for pid in pids]
    assert len(pids) == 2 + 1 + 1 and all(scratch.pid_alive(pid) for pid in pids)
    processes.kill(child, signal.SIGKILL)
    deadline = time.monotonic() + 60   # the janitor first tries the dead nodes for the queues
    while time.monotonic() < deadline and (
            [pid for pid in pids if scratch.pid_alive(pid)] or [f for f in folders if os.path.exists(f)]):
        time.sleep(0.2)
    assert [pid for pid in pids if scratch.pid_alive(pid)] == [], "processes outlived the kernel"
    assert [f for f in folders if os.path.exists(f)] == [], "the janitor left node folders"


# --- without a broker ------------------------------------------------------------

def closed_port() -> int:
    """A TCP port on 127.0.0.1 where nothing listens (bound to 0, then let go)."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cluster_program(name: str, urls: str, *args: str) -> subprocess.CompletedProcess:
    """``cluster/<name>`` run under the harness as Run.start runs it on a cluster (--once:
    the program reconnects by itself), every node's URL in RABBITMQ_URLS."""
    queue = f"test-cluster-cli-{os.getpid()}"  # never declared: no node list here reaches a broker
    env = dict(os.environ, RABBITMQ_URLS=urls, RABBITMQ_URL=urls.split()[0] if urls.split() else "",
               TASK_QUEUE=queue, SECONDS_PER_DOT="0")
    return subprocess.run([sys.executable, "-m", "workqueue_helpers.harness", "--once", "--name",
                           name.split(".")[0], programs.program("cluster", name), *args],
                          capture_output=True, text=True, timeout=60, env=env)


def assert_one_error_line(result: subprocess.CompletedProcess, says: str) -> None:
    assert result.returncode == 1 and result.stdout == "", (result.returncode, result.stdout)
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("error: ") and says in result.stderr, result.stderr
    assert "S3cret" not in result.stderr and "Traceback" not in result.stderr


BAD_NODE_LISTS = {
    "no node answers": ("amqp://guest:S3cret@127.0.0.1:{PORT}/%2F amqp://guest:S3cret@127.0.0.1:{PORT2}/%2F",
                        "error: cannot reach RabbitMQ at any of the addresses given"),
    "an http URL (pika reads it as amqp)": ("http://guest:S3cret@127.0.0.1:{PORT}/",
                                            "error: cannot reach RabbitMQ at any of the addresses given"),
    # pika refuses these in the program's own line: the harness names it.
    "a port out of range": ("amqp://guest:S3cret@127.0.0.1:{PORT}/%2F amqp://guest:S3cret@127.0.0.1:99999/%2F",
                            "ValueError: Port out of range 0-65535"),
    "a broken address": ("amqp://guest:S3cret@[::1/", "ValueError: Invalid IPv6 URL"),
    "no node at all": (" ", "ValueError: Expected a non-empty sequence of connection parameters"),
}


@pytest.mark.parametrize("name", ["new_task.py", "worker.py"])
@pytest.mark.parametrize("case", BAD_NODE_LISTS)
def test_a_bad_node_list_is_one_line_without_the_password(name, case) -> None:
    urls, says = BAD_NODE_LISTS[case]
    urls = urls.replace("{PORT}", str(closed_port())).replace("{PORT2}", str(closed_port()))
    result = run_cluster_program(name, urls, *(["A task."] if name == "new_task.py" else []))
    assert_one_error_line(result, says)
    if "ValueError" in says:
        assert result.stderr.startswith(f"error: {name} line "), result.stderr


@pytest.mark.parametrize("name", ["new_task.py", "worker.py"])
def test_a_wrong_password_on_every_node_is_one_line(broker, name) -> None:
    """On the shared broker, which refuses the password: no queue is declared."""
    host_port = broker.url.split("@", 1)[1].split("/", 1)[0]
    result = run_cluster_program(name, f"amqp://guest:S3cret@{host_port}/%2F", "A task.")
    assert_one_error_line(result, "error: RabbitMQ refused the user name or password")


def test_an_outage_lasts_until_the_queue_takes_and_delivers_again() -> None:
    def ev(t, kind, worker=None, task=None, detail=""):
        return Event(100.0 + t, kind, worker, task, detail=detail)

    timeline = Timeline([
        ev(0.0, PUBLISHED, "producer", "t1"), ev(0.1, RECEIVED, "worker1", "t1"),
        ev(1.0, NODE_DOWN, detail="rabbit1"),
        ev(1.002, PUBLISHED, "producer", "t2"),      # from the dying node: before any client noticed
        ev(1.01, DISCONNECTED, "worker1"), ev(1.02, CONNECTED, "worker1", detail="127.0.0.1:2"),
        ev(1.3, RECEIVED, "worker2", "t2"), ev(1.5, PUBLISHED, "producer", "t3"),
        ev(9.0, NODE_UP, detail="rabbit1")])
    outage, = timeline.node_outages()
    assert (outage.node, outage.down, outage.up) == ("rabbit1", 1.0, 9.0)
    assert outage.received_again == pytest.approx(1.3) and outage.published_again == pytest.approx(1.5)
    assert outage.unavailable_until == pytest.approx(1.5)
    assert timeline.workers() == ["worker1", "worker2"]   # the producer has no lane
    assert [timeline.backlog_at(t) for t in (0.0, 1.2, 1.6)] == [1, 2, 3]   # nothing acked here


def test_the_compose_files_cluster_has_the_lessons_shape() -> None:
    import yaml
    compose = yaml.safe_load((Path(__file__).resolve().parent.parent / "docker-compose.yml").read_text())
    services = compose["services"]
    nodes = {name: services[name] for name in ("rabbit1", "rabbit2", "rabbit3")}
    assert all(node["profiles"] == ["cluster"] for node in nodes.values())
    assert "profiles" not in services["rabbitmq"]          # `docker compose up -d` is unchanged
    assert [node["hostname"] for node in nodes.values()] == ["rabbit1", "rabbit2", "rabbit3"]
    # One cookie for all three, owned by the image's rabbitmq user and readable by it only.
    for node in nodes.values():
        cookie, = [c for c in node["configs"] if c["target"] == "/var/lib/rabbitmq/.erlang.cookie"]
        assert cookie["source"] == "erlang-cookie" and cookie["mode"] == 0o400 and cookie["uid"] == "999"
    # rabbit2 and rabbit3 join rabbit1 at boot, once it is healthy.
    join = compose["configs"]["join-rabbit1"]["content"]
    assert "peer_discovery_backend = classic_config" in join and "nodes.1 = rabbit@rabbit1" in join
    for name in ("rabbit2", "rabbit3"):
        assert {c["source"] for c in nodes[name]["configs"]} == {"erlang-cookie", "join-rabbit1"}
        assert nodes[name]["depends_on"]["rabbit1"]["condition"] == "service_healthy"
    # Host ports of their own, none shared with the single broker's.
    host_ports = [port.rsplit(":", 2)[1] for service in services.values() for port in service["ports"]]
    assert len(host_ports) == len(set(host_ports)), host_ports
