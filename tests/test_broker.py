"""Tests of workqueue_helpers.broker against real brokers.

The shared broker on localhost:5672 is only read from, and every queue these
tests declare on it is deleted again. Restarts and crashes happen on private
nodes started for this module.
"""

from __future__ import annotations

import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from typing import Iterator, List, Optional, Tuple

import pika
import pika.exceptions
import psutil
import pytest

from workqueue_helpers.broker import counts, find, private_node, rabbitmqctl, scratch
from workqueue_helpers.broker.__main__ import main as broker_command
from workqueue_helpers.broker.container import DockerBroker
from workqueue_helpers.broker.private_node import PrivateNode, free_port
from workqueue_helpers.broker.queues import transient_queues_denied
from workqueue_helpers.demo.chaos import QUEUE_SETTLE_SECONDS
from workqueue_helpers import processes
from workqueue_helpers.polling import poll
from workqueue_helpers.broker.base import Broker
from workqueue_helpers.broker.counts import QueueCounts
from workqueue_helpers.connection import BrokerError, WorkQueueError, connect


pytestmark = pytest.mark.broker

needs_rabbitmq_installed = pytest.mark.skipif(
    not find.private_node_possible(), reason="rabbitmq-server is not installed here")


def unique(prefix: str) -> str:
    return f"wq-test-{prefix}-{uuid.uuid4().hex[:8]}"


def processes_using(folder: str) -> List[psutil.Process]:
    """Running processes with the folder (or a path inside it) among their arguments."""
    found = []
    for process in psutil.process_iter(["cmdline"]):
        arguments = process.info["cmdline"] or []
        if any(a == folder or a.startswith(folder + "/") for a in arguments):
            if process.pid != os.getpid():
                found.append(process)
    return found


def wait_until_gone(folder: str, seconds: float) -> List[psutil.Process]:
    deadline = time.monotonic() + seconds
    while processes_using(folder) and time.monotonic() < deadline:
        time.sleep(0.1)
    return processes_using(folder)


# --- the shared broker ---------------------------------------------------------

@pytest.fixture(scope="module")
def shared() -> Broker:
    found = find.find_running_broker()
    if found is None:
        pytest.skip("no broker is running on localhost:5672")
    return found


def test_finds_the_shared_broker(shared: Broker, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RABBITMQ_URL", raising=False)
    assert shared.kind in ("local", "url")
    assert shared.owned is False
    assert find.get_broker() is find.get_broker()


def test_describe_shows_no_password_and_no_port(shared: Broker) -> None:
    line = shared.describe()
    assert line.startswith(f"RabbitMQ {shared.version()}")
    assert str(shared.port) not in line
    assert pika.URLParameters(shared.url).credentials.password not in line
    assert "guest" not in line and "amqp://" not in line


def test_queue_counts_counts_ready_unacked_and_consumers(shared: Broker) -> None:
    queue = unique("stats")
    connection = shared.connection()
    try:
        channel = connection.channel()
        channel.queue_declare(queue=queue, durable=True)
        channel.confirm_delivery()
        for number in range(3):
            channel.basic_publish(exchange="", routing_key=queue, body=f"task {number}".encode())
        method, _, _ = channel.basic_get(queue=queue, auto_ack=False)  # delivered, not acked
        assert method is not None
        assert shared.queue_counts(queue) == QueueCounts(ready=2, unacked=1, consumers=0)

        consumer = connection.channel()
        consumer.basic_qos(prefetch_count=1)
        consumer.basic_consume(queue=queue, on_message_callback=lambda *args: None)
        time.sleep(0.3)  # the broker delivers one message to the new consumer
        assert shared.queue_counts(queue) == QueueCounts(ready=1, unacked=2, consumers=1)
    finally:
        shared.delete_queues(queue)
        connection.close()
    assert shared.queue_counts(queue) is None


def test_delete_queues_ignores_missing_queues(shared: Broker) -> None:
    queue = unique("delete")
    connection = shared.connection()
    connection.channel().queue_declare(queue=queue, durable=True)
    connection.close()
    shared.delete_queues(unique("missing"), queue, unique("missing"))
    assert shared.queue_counts(queue) is None


def test_shared_broker_is_not_restarted_or_stopped(shared: Broker) -> None:
    with pytest.raises(BrokerError, match="did not start it"):
        shared.restart()
    with pytest.raises(BrokerError, match="did not start it"):
        shared.stop()
    assert shared.answers()


# --- RABBITMQ_URL --------------------------------------------------------------

def test_rabbitmq_url_to_a_closed_port_names_host_and_user_not_password(
        monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    monkeypatch.setenv("RABBITMQ_URL", f"amqp://alice:S3cret-Pw@127.0.0.1:{port}/%2F")
    started = time.monotonic()
    with pytest.raises(BrokerError) as caught:
        find.find_or_start_broker()
    message = str(caught.value)
    assert time.monotonic() - started < 5
    assert f"127.0.0.1:{port}" in message and "alice" in message
    assert "S3cret-Pw" not in message and "\n" not in message


def test_a_port_that_never_answers_amqp_is_one_line_and_does_not_answer() -> None:
    """A node still booting can take the TCP connection and not finish the handshake: pika
    raises AMQPConnectorStackTimeout, which is not an AMQPError (once it ended a cluster's start)."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)
        url = f"amqp://alice:S3cret-Pw@127.0.0.1:{silent.getsockname()[1]}/%2F"
        with pytest.raises(WorkQueueError) as caught:
            connect(url, timeout=0.5)
        assert "S3cret-Pw" not in str(caught.value) and "\n" not in str(caught.value)
        assert Broker(url, "private", owned=True).answers() is False


def test_rabbitmq_url_with_a_wrong_password(shared: Broker, monkeypatch: pytest.MonkeyPatch) -> None:
    if shared.kind != "local":
        pytest.skip("needs the guest user on localhost")
    monkeypatch.setenv("RABBITMQ_URL", "amqp://guest:Wrong-Pw@localhost:5672/%2F")
    with pytest.raises(BrokerError, match="refused the user name or password") as caught:
        find.find_or_start_broker()
    assert "Wrong-Pw" not in str(caught.value)


def test_rabbitmq_url_is_used_when_it_answers(shared: Broker, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RABBITMQ_URL", shared.url)
    found = find.find_or_start_broker()
    assert found.kind == "url" and found.owned is False
    assert found.describe() == f"RabbitMQ {shared.version()} at {shared.host} (from RABBITMQ_URL)"


# --- the management API (a stand-in server: no real one runs here) -----------

class FakeManagementApi(http.server.BaseHTTPRequestHandler):
    seen: List[Tuple[str, str]] = []

    def do_GET(self) -> None:
        FakeManagementApi.seen.append((self.path, self.headers.get("Authorization", "")))
        if self.path == "/api/queues/%2F/tasks":
            body = json.dumps({"name": "tasks", "messages_ready": 4, "messages_unacknowledged": 2,
                               "consumers": 1}).encode()
            self.send_response(200)
        else:
            body = b'{"error":"Object Not Found","reason":"Not Found"}'
            self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_stats_from_the_management_api() -> None:
    server = http.server.HTTPServer(("127.0.0.1", 0), FakeManagementApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        stats = counts.from_management_api(base, "guest", "guest", "/", "tasks")
        assert stats == QueueCounts(ready=4, unacked=2, consumers=1)
        assert counts.from_management_api(base, "guest", "guest", "/", "none") is None
        assert FakeManagementApi.seen[0] == ("/api/queues/%2F/tasks", "Basic Z3Vlc3Q6Z3Vlc3Q=")
    finally:
        server.shutdown()
        server.server_close()
    with pytest.raises(BrokerError, match="management plugin"):
        counts.from_management_api(base, "guest", "guest", "/", "tasks")


# --- Docker --------------------------------------------------------------------

def test_docker_engine_detection_is_quick_and_says_no_where_nothing_answers(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"tcp://127.0.0.1:{free_port()}")  # nothing listens there
    started = time.monotonic()
    assert find.docker_engine_available() is False
    assert time.monotonic() - started < 3


def test_docker_broker_without_an_engine_fails_clearly() -> None:
    if find.docker_engine_available():
        pytest.skip("a Docker engine answers here")
    started = time.monotonic()
    with pytest.raises(BrokerError, match="Could not start RabbitMQ in Docker"):
        DockerBroker()
    assert time.monotonic() - started < 5


# --- private nodes -------------------------------------------------------------

@pytest.fixture(scope="module")
def private() -> Iterator[PrivateNode]:
    if not find.private_node_possible():
        pytest.skip("rabbitmq-server is not installed here")
    node = find.get_broker(owned=True)
    assert isinstance(node, PrivateNode)
    yield node
    node.stop()


def test_private_node_starts(private: PrivateNode) -> None:
    print(f"private node started in {private.start_seconds:.1f} s")
    assert private.kind == "private" and private.owned is True
    assert find.get_broker(owned=True) is private
    assert private.version()
    line = private.describe()
    assert line == f"RabbitMQ {private.version()}, a private node started for this notebook"
    assert str(private.port) not in line
    assert private.port != 5672
    assert processes_using(private.folder)


@pytest.mark.skipif(not os.environ.get(rabbitmqctl.ROOT_VARIABLE),
                    reason="WORKQUEUE_RABBITMQ_ROOT is not set (make test-rabbitmq43 sets it)")
def test_private_node_runs_in_the_chroot_of_workqueue_rabbitmq_root(private: PrivateNode) -> None:
    root = os.path.abspath(os.environ[rabbitmqctl.ROOT_VARIABLE])
    assert private.folder.startswith(os.path.join(root, "tmp", ""))
    assert os.readlink(f"/proc/{private.pid}/root") == root
    assert os.path.isdir(f"{root}/usr/lib/rabbitmq/lib/rabbitmq_server-{private.version()}")
    assert private.rabbitmqctl("status").returncode == 0


def test_private_node_queue_counts(private: PrivateNode) -> None:
    queue = unique("private-stats")
    connection = private.connection()
    channel = connection.channel()
    channel.queue_declare(queue=queue, durable=True)
    channel.confirm_delivery()
    channel.basic_publish(exchange="", routing_key=queue, body=b"one")
    channel.basic_publish(exchange="", routing_key=queue, body=b"two")
    channel.basic_get(queue=queue, auto_ack=False)
    assert private.queue_counts(queue) == QueueCounts(ready=1, unacked=1, consumers=0)
    connection.close()  # the unacked message goes back to the queue
    time.sleep(0.2)
    assert private.queue_counts(queue) == QueueCounts(ready=2, unacked=0, consumers=0)
    private.delete_queues(queue)
    assert private.queue_counts(queue) is None


def test_private_node_stats_through_its_url(private: PrivateNode) -> None:
    """A notebook kernel that gets the node's URL in RABBITMQ_URL can count its messages too."""
    queue = unique("url-stats")
    seen_as_url = Broker(private.url, "url")
    connection = seen_as_url.connection()
    channel = connection.channel()
    channel.queue_declare(queue=queue, durable=True)
    channel.basic_consume(queue=queue, on_message_callback=lambda *args: None)
    assert seen_as_url.queue_counts(queue) == QueueCounts(ready=0, unacked=0, consumers=1)
    connection.close()
    seen_as_url.delete_queues(queue)
    assert seen_as_url.queue_counts(queue) is None


def test_private_node_ignores_sigint(private: PrivateNode) -> None:
    os.kill(private.pid, signal.SIGINT)  # what "Interrupt kernel" sends to the process group
    time.sleep(0.5)
    assert private.answers()


def prepare_queues(node: PrivateNode) -> Tuple[Optional[str], str]:
    """A non-durable queue (unless the node denies them), and a durable one
    holding a persistent and a transient message."""
    transient_queue, durable_queue = unique("transient"), unique("durable")
    if transient_queues_denied(node.url):
        transient_queue = None
    connection = node.connection()
    channel = connection.channel()
    channel.confirm_delivery()  # a confirmed persistent message is on disk
    if transient_queue is not None:
        channel.queue_declare(queue=transient_queue, durable=False)
    channel.queue_declare(queue=durable_queue, durable=True)
    channel.basic_publish(exchange="", routing_key=durable_queue, body=b"persistent",
                          properties=pika.BasicProperties(delivery_mode=pika.DeliveryMode.Persistent))
    channel.basic_publish(exchange="", routing_key=durable_queue, body=b"transient",
                          properties=pika.BasicProperties(delivery_mode=pika.DeliveryMode.Transient))
    connection.close()
    return transient_queue, durable_queue


def check_after_restart(node: PrivateNode, transient_queue: Optional[str], durable_queue: str) -> None:
    connection = node.connection()
    channel = connection.channel()
    if transient_queue is not None:
        with pytest.raises(pika.exceptions.ChannelClosedByBroker) as caught:
            channel.queue_declare(queue=transient_queue, passive=True)
        assert caught.value.reply_code == 404
        channel = connection.channel()  # the failed declare closed the other one
    bodies = []
    while True:
        method, _, body = channel.basic_get(queue=durable_queue, auto_ack=True)
        if method is None:
            break
        bodies.append(body)
    assert bodies == [b"persistent"]
    channel.queue_delete(queue=durable_queue)
    connection.close()


def test_clean_restart(private: PrivateNode) -> None:
    queues = prepare_queues(private)
    pid = private.pid
    seconds = private.restart()
    print(f"clean restart took {seconds:.1f} s")
    assert private.pid != pid  # a clean shutdown (SIGTERM), then a new Erlang VM
    check_after_restart(private, *queues)


def test_crash_restart(private: PrivateNode) -> None:
    queues = prepare_queues(private)
    # A queue declared a moment before a crash may not be on disk yet (see
    # demo/chaos.py); this test is about what a crash does to a settled one.
    time.sleep(QUEUE_SETTLE_SECONDS)
    pid = private.pid
    seconds = private.restart(crash=True)
    print(f"crash restart took {seconds:.1f} s")
    assert private.pid != pid and not psutil.pid_exists(pid)
    check_after_restart(private, *queues)


def test_stop_leaves_no_node_process(private: PrivateNode) -> None:
    # The module's node, stopped last (a node costs seconds of CPU to boot).
    node = private
    folder = node.folder
    assert processes_using(folder)
    node.stop()
    node.stop()  # a second stop does nothing
    assert processes_using(folder) == []
    assert not os.path.exists(folder)
    assert node.stopped
    with pytest.raises(BrokerError):
        node.restart()


def test_a_dead_owners_scratch_folder_is_removed_with_what_runs_from_it(tmp_path, monkeypatch) -> None:
    """What the next start does after a kernel was killed (SIGKILL: no atexit), as the
    janitor does at once: a folder whose owner has gone goes, with any process left in it.
    (A killed kernel's real nodes: tests/test_cluster.py and tests/test_binder.py.)"""
    monkeypatch.setattr(scratch, "scratch_base", lambda: str(tmp_path))
    owner = processes.spawn([sys.executable, "-c", "pass"])
    owner.wait(10)                                     # a pid that has gone
    folder = scratch.new_scratch_folder(owner.pid, 1)
    mine = scratch.new_scratch_folder(os.getpid(), 1)  # a live owner's folder stays
    os.makedirs(folder)
    os.makedirs(mine)
    left = processes.spawn([sys.executable, "-c", "import time; time.sleep(60)",
                            os.path.join(folder, "node")])                   # a "node" left running
    assert scratch.pids_using_folder(folder) == [left.pid]
    scratch.remove_stale_scratch_folders()
    assert left.wait(5) == -signal.SIGKILL
    assert not os.path.exists(folder) and os.path.isdir(mine)



KILLED_WHILE_STOPPING = """
import os
from workqueue_helpers.broker import scratch
from workqueue_helpers.broker.private_node import PrivateNode
node = PrivateNode(start=False)
print(node.folder, flush=True)
scratch.shutil.rmtree = lambda *args, **kwargs: os._exit(9)  # killed before it removes the folder
node.stop()
"""


@needs_rabbitmq_installed
def test_a_kernel_killed_while_it_stops_its_node_leaves_no_folder(tmp_path) -> None:
    """Jupyter ends a closing kernel after 2.5 s (SIGTERM), which can come while it is
    still stopping its node. Its folder's watcher removes what the kernel did not: the
    kernel's cleanup must not kill the watcher (a folder was left so, in lesson 3 under
    make test)."""
    env = {name: value for name, value in os.environ.items() if name != rabbitmqctl.ROOT_VARIABLE}
    output = tmp_path / "output"
    with open(output, "w") as file:  # not a pipe: the watcher would hold it open
        stopped = subprocess.run([sys.executable, "-c", KILLED_WHILE_STOPPING], stdout=file,
                                 stderr=subprocess.STDOUT, env=dict(env, TMPDIR=str(tmp_path)), timeout=60)
    assert stopped.returncode == 9, output.read_text()
    folder = output.read_text().strip()
    assert folder.startswith(str(tmp_path))
    assert poll(lambda: not os.path.exists(folder), timeout=10, interval=0.1), \
        "the watcher did not remove the folder"
    assert poll(lambda: not watchers_of(folder), timeout=10, interval=0.1), "the watcher did not end"


def watchers_of(folder: str) -> List[int]:
    return [process.pid for process in psutil.process_iter(["cmdline"])
            if folder in (process.info["cmdline"] or [])]


@needs_rabbitmq_installed
def test_a_new_node_leaves_alone_the_ports_of_a_node_still_starting(tmp_path, monkeypatch) -> None:
    """A node opens its management port seconds into its start. Until then a probe finds
    the port free, and only that node's file says it is taken: a second node given the
    same port stopped at boot ("eaddrinuse", under make test)."""
    monkeypatch.setattr(scratch, "scratch_base", lambda: str(tmp_path))
    starting = scratch.new_scratch_folder(os.getpid(), 99)
    os.makedirs(starting)
    with open(os.path.join(starting, scratch.NODE_FILE), "w", encoding="utf-8") as file:
        json.dump({"node": "wq-starting@localhost", "amqp_port": 20001, "ports": [20001, 20002, 20003]}, file)
    picks = iter(range(20001, 20100))  # the ports free_port tries, in this order
    monkeypatch.setattr(private_node._random, "randrange", lambda low, high: next(picks))
    node = PrivateNode(start=False)
    try:
        ports = [node.amqp_port, int(node.env["RABBITMQ_DIST_PORT"]), node.management_port]
        assert not set(ports) & {20001, 20002, 20003}
        assert set(ports) <= scratch.ports_of_private_nodes()   # and the next node avoids these
    finally:
        node.stop()

def test_no_broker_anywhere_explains_three_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(find, "docker_engine_available", lambda: False)
    monkeypatch.setattr(find, "private_node_possible", lambda: False)
    with pytest.raises(BrokerError) as caught:
        find.find_or_start_broker(owned=True)
    message = str(caught.value)
    assert "docker compose up -d" in message
    assert "apt-get install rabbitmq-server" in message
    assert "RABBITMQ_URL" in message


def test_command_line(shared: Broker, monkeypatch: pytest.MonkeyPatch,
                      capsys: pytest.CaptureFixture) -> None:
    assert broker_command([]) == 0
    assert broker_command(["check"]) == 0
    assert capsys.readouterr().out == f"{shared.describe()}\n{shared.describe()}\n"
    assert broker_command(["bogus"]) == 2

    monkeypatch.setattr(find, "find_running_broker", lambda: None)
    monkeypatch.setattr(find, "docker_engine_available", lambda: False)
    monkeypatch.setattr(find, "private_node_possible", lambda: True)
    capsys.readouterr()
    assert broker_command([]) == 0
    assert "private rabbitmq-server node" in capsys.readouterr().out
    assert broker_command(["check"]) == 1
    assert "docker compose up -d" in capsys.readouterr().err
    monkeypatch.setattr(find, "private_node_possible", lambda: False)
    assert broker_command([]) == 1
