"""new_task.py and worker.py run as a learner runs them: as programs in a terminal.

Every bad input must end with one clear line on stderr, a non-zero exit,
no traceback, and never the password.
"""

from __future__ import annotations

import subprocess
import sys
import time

import pika
import pytest

from children import ctrl_c_works

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
def test_queue_declared_with_other_arguments(module, broker, queue):
    connection = pika.BlockingConnection(pika.URLParameters(broker.url))
    connection.channel().queue_declare(queue, durable=True)  # a classic durable queue
    connection.close()
    result = run(module, "--url", broker.url, "--queue", queue, "--queue-type", "classic",
                 "--no-durable")
    err = assert_one_line_error(result, f"queue '{queue}' already exists")
    assert "with durable=true, but this program declared durable=false" in err


def test_new_task_refuses_an_empty_message(broker, queue):
    result = run("new_task", "--url", broker.url, "--queue", queue, "")
    assert_one_line_error(result, "the message is empty")


def test_new_task_without_words_sends_hello_world(broker, queue):
    result = run("new_task", "--url", broker.url, "--queue", queue)
    assert result.returncode == 0
    assert result.stdout.decode() == " [x] Sent 'Hello World!'\n"


def get_one(url: str, queue: str):
    connection = pika.BlockingConnection(pika.URLParameters(url))
    method, properties, body = connection.channel().basic_get(queue, auto_ack=True)
    connection.close()
    return method, properties, body


def test_new_task_sends_persistent_message_and_non_utf8_bytes_intact(broker, queue):
    raw = b"caf\xe9 task.."  # Latin-1, not UTF-8
    result = subprocess.run(
        [sys.executable, "-m", "workqueue_helpers.new_task", "--url", broker.url,
         "--queue", queue, raw.decode("utf-8", "surrogateescape")], capture_output=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == " [x] Sent b'caf\\xe9 task..'\n"
    method, properties, body = get_one(broker.url, queue)
    assert body == raw
    assert properties.delivery_mode == 2


def test_new_task_transient_option(broker, queue):
    assert run("new_task", "--url", broker.url, "--queue", queue, "--transient", "x").returncode == 0
    _, properties, _ = get_one(broker.url, queue)
    assert properties.delivery_mode == 1


def test_worker_rejects_negative_options():
    result = run("worker", "--prefetch", "-1")
    assert result.returncode == 2
    assert "--prefetch must be from 0 (no limit) to 65535" in result.stderr.decode()


def test_worker_interoperates_with_official_tutorial_declaration(broker, queue):
    """The official tutorial declares task_queue durable and quorum; so do our defaults."""
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
                     " [x] Received 'Official.'\n", " [x] Done\n"]


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
