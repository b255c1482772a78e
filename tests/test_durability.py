"""Lesson 3's programs and declarations on a real broker. (What survives a restart or a crash,
and workers reconnecting, are lessons 3 and 3a's own claims: their notebooks check them.)"""

from __future__ import annotations


import pika
import pika.exceptions
import pytest

from workqueue_helpers.broker.find import get_broker
from workqueue_helpers.broker.queues import transient_queues_denied
from workqueue_helpers.connection import close_quietly, connect, explain_broker_refusal
from workqueue_helpers.demo.durability import QueueKind
from workqueue_helpers.demo.run import Run
from workqueue_helpers.record.events import PUBLISHED

pytestmark = pytest.mark.broker

KINDS = [QueueKind("test.durability.non-durable", durable=False, queue_type="classic"),
         QueueKind("test.durability.classic", durable=True, queue_type="classic"),
         QueueKind("test.durability.quorum", durable=True, queue_type="quorum")]


@pytest.fixture(scope="module")
def own_broker():
    """A broker these tests may restart and crash: never the shared one."""
    broker = get_broker(owned=True)
    assert broker.owned and broker.kind in ("private", "container")
    return broker


@pytest.mark.parametrize("step, delivery_mode", [("step1", None), ("step2", None), ("step3", 2),
                                                 ("step4", 2)])
def test_from_step3_on_new_task_sends_persistent_messages(broker, queue, step, delivery_mode):
    """Lesson 3's change to new_task.py: ``delivery_mode=Persistent`` (2); before it, none."""
    run = Run(broker.url, queue)
    assert run.start(f"{step}/new_task.py", args=["A", "task."]) == ["producer"]
    assert run.wait_for_producer(timeout=20), run.screens()["producer"]
    (published,) = [e for e in run.timeline.events if e.kind == PUBLISHED]
    assert published.detail == f"|{queue}|{delivery_mode}|sent"  # no confirms in the tutorial
    connection = connect(broker.url)
    try:
        _, properties, body = connection.channel().basic_get(queue, auto_ack=True)
    finally:
        close_quietly(connection)
    assert body == b"A task." and properties.delivery_mode == delivery_mode


def test_redeclaring_with_other_durability_kills_the_channel(own_broker):
    connection = connect(own_broker.url)
    try:
        channel = connection.channel()
        channel.queue_declare("test.durability.hello", durable=True)
        with pytest.raises(pika.exceptions.ChannelClosedByBroker) as refused:
            channel.queue_declare("test.durability.hello", durable=False)
        assert refused.value.reply_code == 406
        assert "inequivalent arg 'durable'" in refused.value.reply_text
        assert channel.is_closed
        with pytest.raises(pika.exceptions.ChannelWrongStateError):
            channel.queue_declare("test.durability.hello", durable=True)
        connection.channel().queue_delete("test.durability.hello")
    finally:
        close_quietly(connection)


def test_a_non_durable_queue_is_refused_or_declared_as_the_broker_says(own_broker):
    """RabbitMQ 4.3's announced default denies it with 541, closing the connection."""
    connection = connect(own_broker.url)
    try:
        if transient_queues_denied(own_broker.url):
            with pytest.raises(pika.exceptions.ConnectionClosedByBroker) as refused:
                connection.channel().queue_declare("test.durability.fragile", durable=False)
            assert refused.value.reply_code == 541
            assert connection.is_closed
            line = explain_broker_refusal(refused.value.reply_code, refused.value.reply_text)
            assert line.startswith("this broker refuses non-durable queues")
        else:
            connection.channel().queue_declare("test.durability.fragile", durable=False)
            connection.channel().queue_delete("test.durability.fragile")
    finally:
        close_quietly(connection)
