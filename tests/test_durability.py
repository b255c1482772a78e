"""Lesson 3's claims on a broker the tests own: restarts, crashes, reconnecting workers."""

from __future__ import annotations

import time

import pika
import pika.exceptions
import pytest

from workqueue_helpers.broker import get_broker
from workqueue_helpers.broker.queues import delete_queues
from workqueue_helpers.connection import close_quietly, connect
from workqueue_helpers.demo.durability import QueueKind, contents, fill, survival_table
from workqueue_helpers.demo.chaos import QUEUE_SETTLE_SECONDS, restart_broker
from workqueue_helpers.demo.run import Run

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


@pytest.mark.parametrize("crash", [False, True], ids=["clean-restart", "crash"])
def test_what_survives(own_broker, crash):
    fill(own_broker.url, KINDS)
    before = contents(own_broker.url, KINDS)
    assert all(messages == ["transient message", "persistent message"]
               for messages in before.values())
    own_broker.restart(crash=crash)
    after = contents(own_broker.url, KINDS)
    assert after == {"test.durability.non-durable": None,
                     "test.durability.classic": ["persistent message"],
                     "test.durability.quorum": ["transient message", "persistent message"]}
    table = survival_table(KINDS, before, after, "after")
    assert table.splitlines()[2].split() == ["non-durable", "classic", "transient,",
                                             "persistent", "(queue", "gone)"]
    delete_queues(own_broker.url, [kind.name for kind in KINDS])


@pytest.mark.parametrize("crash", [False, True], ids=["clean-restart", "crash"])
def test_workers_reconnect_and_nothing_is_lost(own_broker, crash):
    queue = "test.durability.work"
    delete_queues(own_broker.url, [queue])
    with Run(own_broker.url, queue) as workers:
        workers.start(2, seconds_per_dot=0.2)
        time.sleep(QUEUE_SETTLE_SECONDS)  # so the crash comes mid-batch (see restart_broker)
        workers.publish([f"Task {n}{'.' * (1 + n % 3)}" for n in range(1, 11)], confirm=True)
        restart_broker(workers, own_broker, crash=crash, after_done=3)
        assert workers.wait_until_done(timeout=60)
        assert all(w.alive for w in workers.workers.values())
    timeline = workers.timeline
    assert timeline.lost() == []
    assert len(timeline.broker_downtime()) == 1
    # Some attempt was cut short by the restart: mid-work, or done but its ack lost.
    assert any(a.outcome in ("interrupted", "not acked") for a in timeline.attempts()), \
        [(a.number, a.worker, a.outcome, a.start, a.end) for a in timeline.attempts()] + \
        [(e.kind, e.worker, e.t - timeline.t0) for e in timeline.events if e.kind not in ("received", "done", "acked")]
    assert sum(e.kind == "disconnected" for e in timeline.events) == 2
    delete_queues(own_broker.url, [queue])


def test_redeclaring_with_other_durability_kills_the_channel(own_broker):
    connection = connect(own_broker.url)
    try:
        channel = connection.channel()
        channel.queue_declare("test.durability.hello", durable=False)
        with pytest.raises(pika.exceptions.ChannelClosedByBroker) as refused:
            channel.queue_declare("test.durability.hello", durable=True)
        assert refused.value.reply_code == 406
        assert "inequivalent arg 'durable'" in refused.value.reply_text
        assert channel.is_closed
        with pytest.raises(pika.exceptions.ChannelWrongStateError):
            channel.queue_declare("test.durability.hello", durable=False)
        connection.channel().queue_delete("test.durability.hello")
    finally:
        close_quietly(connection)
