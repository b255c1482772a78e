"""Lesson 2's claims on the real broker: forgotten acks, rejections, dead letters, confirms."""

from __future__ import annotations

import uuid

import pika
import pika.exceptions
import pytest

from workqueue_helpers.broker.queues import delete_queues, peek
from workqueue_helpers.demo.queue_depth import QueueDepth
from workqueue_helpers.demo.run import Run

pytestmark = pytest.mark.broker


def test_forgotten_ack_keeps_messages_unacked_until_the_worker_goes(broker, queue):
    with Run(broker.url, queue, queue_type="classic") as workers:
        workers.start("step2/worker.py", seconds_per_dot=0.05, options=["--forget-ack"])
        depth = QueueDepth(broker, queue).start()
        workers.publish([f"Task {n}." for n in range(1, 5)], interval=0.2)
        assert not workers.wait_until_done(timeout=20)  # done means acknowledged
        assert workers.timeline.unacknowledged() == [1, 2, 3, 4]
        held = depth.wait_for(ready=0, unacked=4)
        assert (held.ready, held.unacked, held.consumers) == (0, 4, 1)
    back = depth.wait_for(ready=4, unacked=0)
    depth.stop()
    assert (back.ready, back.unacked, back.consumers) == (4, 0, 0)
    assert max(sample.counts.unacked for sample in depth.samples) == 4
    assert not any(e.kind == "acked" for e in workers.timeline.events)


def test_reject_with_requeue_loops_until_the_worker_stops(broker, queue):
    with Run(broker.url, queue, queue_type="classic") as workers:
        workers.start("step2/worker.py", seconds_per_dot=0.05, options=["--reject-if", "Poison"])
        workers.publish(["Poison task.", "Good task."])
        assert not workers.wait_until_done(timeout=1.5)
    deliveries = [e for e in workers.timeline.events
                  if e.kind == "received" and e.label == "Poison task."]
    assert len(deliveries) >= 5
    assert [e.redelivered for e in deliveries[:2]] == [False, True]
    assert workers.timeline.completed() == [2]
    assert [body for body, _ in peek(broker.url, queue)] == [b"Poison task."]


def test_reject_without_requeue_dead_letters_the_task(broker, queue):
    dead_letters = f"{queue}.dead"
    try:
        with Run(broker.url, queue, queue_type="classic",
                     dead_letter_queue=dead_letters) as workers:
            workers.start("step2/worker.py", seconds_per_dot=0.05,
                          options=["--reject-if", "Poison", "--no-requeue"])
            workers.publish(["Poison task.", "Good task."])
            assert not workers.wait_until_done(timeout=10)
        assert peek(broker.url, queue) == []
        [(body, headers)] = peek(broker.url, dead_letters)
        assert body == b"Poison task."
        assert headers["x-death"][0]["reason"] == "rejected"
        assert headers["x-death"][0]["queue"] == queue
    finally:
        delete_queues(broker.url, [dead_letters])


def test_confirms_alone_accept_an_unroutable_message_and_mandatory_returns_it(broker):
    """Lesson 3's claim: a confirm says "the broker has it"; mandatory says "a queue has it"."""
    missing = f"test.missing.{uuid.uuid4().hex[:8]}"
    connection = pika.BlockingConnection(pika.URLParameters(broker.url))
    channel = connection.channel()
    channel.confirm_delivery()
    channel.basic_publish("", missing, b"Lost task.")  # confirmed, though no queue has it
    with pytest.raises(pika.exceptions.UnroutableError):
        channel.basic_publish("", missing, b"Lost task.", mandatory=True)
    connection.close()
