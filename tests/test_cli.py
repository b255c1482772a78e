"""The command line's new_task and worker, run as a learner runs them: as programs in a terminal.

``python -m workqueue_helpers.new_task`` runs the tutorial's final new_task.py
(step4) and ``python -m workqueue_helpers.worker`` a step's worker.py, each
under the harness. Every bad input must end with one clear line on stderr,
a non-zero exit, no traceback, and never the password.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pika
import pytest

from children import ctrl_c_works

from workqueue_helpers import programs

pytestmark = pytest.mark.broker

SECRET = "s3cret-Pa55"


def run(module: str, *args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", f"workqueue_helpers.{module}", *args],
                          capture_output=True, timeout=timeout)


def assert_one_line_error(result: subprocess.CompletedProcess, *expected: str) -> str:
    err = result.stderr.decode()
    assert result.returncode != 0
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("error: ")
    for text in expected:
        assert text in err, err
    assert SECRET not in err and SECRET not in result.stdout.decode()
    return err


def closed_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def line_number(program: str, text: str) -> int:
    """The number of the first line of a step's program that contains ``text``."""
    lines = Path(programs.resolve(program)).read_text().splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


@pytest.mark.parametrize("module", ["new_task", "worker"])
def test_unreachable_broker_names_host_and_port_not_password(module):
    port = closed_port()
    result = run(module, "--url", f"amqp://guest:{SECRET}@127.0.0.1:{port}/%2F")
    assert_one_line_error(result, f"127.0.0.1:{port}", "cannot reach RabbitMQ", "docker compose")


@pytest.mark.parametrize("module", ["new_task", "worker"])
def test_wrong_credentials(module, broker):
    host_port = broker.url.split("@", 1)[1]
    result = run(module, "--url", f"amqp://guest:{SECRET}@{host_port}")
    assert_one_line_error(result, "refused the user name or password")


@pytest.mark.parametrize("module", ["new_task", "worker"])
def test_a_classic_queue_used_with_the_default_quorum_type_is_one_line(module, broker, queue):
    connection = pika.BlockingConnection(pika.URLParameters(broker.url))
    connection.channel().queue_declare(queue, durable=True)  # a classic durable queue
    connection.close()
    result = run(module, "--url", broker.url, "--queue", queue)  # the tutorial's quorum queue
    err = assert_one_line_error(result, f"queue '{queue}' already exists")
    # RabbitMQ 3.x reports a classic queue's type as not set; 4.x as classic.
    assert re.search(r"with x-queue-type=(\(not set\)|classic), but this program declared "
                     r"x-queue-type=quorum", err), err


@pytest.mark.parametrize("module", ["new_task", "worker"])
def test_queue_type_classic_uses_a_classic_queue(module, broker, queue):
    connection = pika.BlockingConnection(pika.URLParameters(broker.url))
    connection.channel().queue_declare(queue, durable=True)  # a classic durable queue
    connection.close()
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", f"workqueue_helpers.{module}", "--url", broker.url,
         "--queue", queue, "--queue-type", "classic"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        first = process.stdout.readline().decode()
    finally:
        process.terminate()
        _, err = process.communicate(timeout=10)
    assert first in (" [x] Sent Hello World!\n",
                     " [*] Waiting for messages. To exit press CTRL+C\n"), err


def test_new_task_refuses_an_empty_message(broker, queue):
    result = run("new_task", "--url", broker.url, "--queue", queue, "")
    assert_one_line_error(result, "the message is empty")


def test_new_task_without_words_sends_hello_world(broker, queue):
    result = run("new_task", "--url", broker.url, "--queue", queue)
    assert result.returncode == 0
    assert result.stdout.decode() == " [x] Sent Hello World!\n"
    _, _, body = get_one(broker.url, queue)
    assert body == b"Hello World!"


def get_one(url: str, queue: str):
    connection = pika.BlockingConnection(pika.URLParameters(url))
    method, properties, body = connection.channel().basic_get(queue, auto_ack=True)
    connection.close()
    return method, properties, body


def test_new_task_sends_the_words_as_one_persistent_message(broker, queue):
    result = run("new_task", "--url", broker.url, "--queue", queue, "Café", "task..")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == " [x] Sent Café task..\n"
    method, properties, body = get_one(broker.url, queue)
    assert body == "Café task..".encode()
    assert properties.delivery_mode == 2


def test_new_task_refuses_non_utf8_words_in_one_line_and_sends_nothing(broker, queue):
    """The tutorial's new_task.py publishes a str, which pika encodes as UTF-8:
    bytes typed in another encoding cannot be, and nothing is sent."""
    raw = b"caf\xe9 task.."  # Latin-1, not UTF-8
    result = run("new_task", "--url", broker.url, "--queue", queue,
                 raw.decode("utf-8", "surrogateescape"))
    line = line_number("step4/new_task.py", "channel.basic_publish(")
    assert_one_line_error(result, f"new_task.py line {line}, in <module>: UnicodeEncodeError")
    assert result.stdout == b""
    method, _, _ = get_one(broker.url, queue)  # the queue was declared: it exists, empty
    assert method is None


def test_the_old_options_are_refused_in_one_line():
    for module, option in [("new_task", "--transient"), ("new_task", "--no-durable"),
                           ("new_task", "--confirm"), ("worker", "--no-durable"),
                           ("worker", "--forget-ack"), ("worker", "--dead-letter-queue")]:
        result = run(module, option, "x")
        err = result.stderr.decode()
        assert result.returncode == 2, (module, option, err)
        assert len(err.strip().splitlines()) == 1 and option in err, err


def test_worker_rejects_negative_options():
    result = run("worker", "--prefetch", "-1")
    assert result.returncode == 2
    assert "argument --prefetch: must be from 0 (no limit) to 65535" in result.stderr.decode()


def test_worker_interoperates_with_official_tutorial_declaration(broker, queue):
    """The official tutorial declares task_queue durable and quorum; so do the programs."""
    connection = pika.BlockingConnection(pika.URLParameters(broker.url))
    channel = connection.channel()
    channel.queue_declare(queue=queue, durable=True, arguments={"x-queue-type": "quorum"})
    channel.basic_publish("", queue, b"Official.",
                          pika.BasicProperties(delivery_mode=pika.DeliveryMode.Persistent))
    connection.close()
    worker = subprocess.Popen([sys.executable, "-u", "-m", "workqueue_helpers.worker",
                               "--url", broker.url, "--queue", queue, "--seconds-per-dot", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        lines = [worker.stdout.readline().decode() for _ in range(3)]
    finally:
        worker.terminate()
        worker.wait(5)
    assert lines == [" [*] Waiting for messages. To exit press CTRL+C\n",
                     " [x] Received Official.\n", " [x] Done\n"]


def test_worker_stops_on_a_non_utf8_message_in_one_line_and_leaves_it_in_the_queue(broker, queue):
    """The tutorial's callback decodes the body (``body.decode()``): a message that is
    not UTF-8 raises there, before the ack, so the worker stops and the task stays."""
    raw = b"caf\xe9 task.."
    connection = pika.BlockingConnection(pika.URLParameters(broker.url))
    channel = connection.channel()
    channel.queue_declare(queue=queue, durable=True, arguments={"x-queue-type": "quorum"})
    channel.basic_publish("", queue, raw)
    connection.close()
    result = run("worker", "--url", broker.url, "--queue", queue, "--seconds-per-dot", "0")
    line = line_number("step2/worker.py", "body.decode()")
    err = assert_one_line_error(result, f"worker.py line {line}, in callback: UnicodeDecodeError")
    assert "0xe9" in err
    assert result.stdout.decode() == " [*] Waiting for messages. To exit press CTRL+C\n"
    deadline = time.monotonic() + 10  # a quorum queue takes an unacked message back at once, or nearly
    while (count := broker.queue_counts(queue).ready) != 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert count == 1
    _, _, body = get_one(broker.url, queue)
    assert body == raw


def test_worker_ctrl_c_exits_cleanly(broker, queue):
    worker = subprocess.Popen([sys.executable, "-u", "-m", "workqueue_helpers.worker",
                               "--url", broker.url, "--queue", queue],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=ctrl_c_works)
    assert worker.stdout.readline().startswith(b" [*] Waiting")
    worker.send_signal(2)  # SIGINT, as CTRL+C
    out, err = worker.communicate(timeout=10)
    assert worker.returncode == 0
    assert out.decode().strip() == "Interrupted"
    assert b"Traceback" not in err
