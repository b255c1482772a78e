"""The worker exercises of lessons 4 and 5: each solution passes its check, each starting
point fails it with its own hint, and so does each typical mistake. Two of the learner's
workers get long and short tasks in turn; lesson 5's check also kills one of them mid-task."""

from __future__ import annotations

import pika
import pika.exceptions
import pytest

from exercise_files import expect, mistake, program, write
from workqueue_helpers.broker.queues import delete_queues
from workqueue_helpers.exercises import Exercise, check_fair_worker, check_final_worker

pytestmark = pytest.mark.broker

FAIR = program("step4/worker.py")   # lesson 4's solution, and lesson 5's
QOS = "channel.basic_qos(prefetch_count=1)\n"
CONSUME = "channel.basic_consume(queue=QUEUE, on_message_callback=callback)\n"
DECLARE = 'channel.queue_declare(queue=QUEUE, durable=True, arguments={"x-queue-type": "quorum"})'
ACK = "    ch.basic_ack(delivery_tag=method.delivery_tag)\n"
WORK = '    time.sleep(body.count(b".") * SECONDS_PER_DOT)\n'
AUTO_ACK = "on_message_callback=callback, auto_ack=True)"

LESSON_4 = {
    "solution": (FAIR, None),
    "the starting point: no basic_qos (step 3's worker)": (program("step3/worker.py"), "no_qos"),
    "basic_qos after basic_consume": (mistake(FAIR, QOS + CONSUME, CONSUME + QOS), "qos_after_consume"),
    "prefetch 0": (mistake(FAIR, "prefetch_count=1", "prefetch_count=0"), "prefetch_zero"),
    "prefetch 2": (mistake(FAIR, "prefetch_count=1", "prefetch_count=2"), "prefetch_more"),
    "basic_qos(1)": (mistake(FAIR, "basic_qos(prefetch_count=1)", "basic_qos(1)"), "prefetch_size"),
    "prefetch_size=1": (mistake(FAIR, "basic_qos(prefetch_count=1)", "basic_qos(prefetch_size=1)"),
                        "prefetch_size"),
    "basic_qos(prefetch=1)": (mistake(FAIR, "prefetch_count=1", "prefetch=1"), "program_error"),
    "global_qos=True": (mistake(FAIR, "prefetch_count=1", "prefetch_count=1, global_qos=True"),
                        "global_qos"),
    "basic_qos on another channel": (mistake(FAIR, "channel.basic_qos(", "connection.channel().basic_qos("),
                                     "qos_other_channel"),
    "prefetch_count=1 with auto_ack=True": (
        mistake(mistake(FAIR, ACK, ""), "on_message_callback=callback)", AUTO_ACK),
        "qos_with_auto_ack"),
    "auto_ack=True and the ack kept": (mistake(FAIR, "on_message_callback=callback)", AUTO_ACK),
                                       "ack_with_auto_ack"),
    "no ack": (mistake(FAIR, ACK, ""), "no_ack"),
    "ack before the work": (mistake(mistake(FAIR, ACK, ""), WORK, ACK + WORK), "ack_before_work"),
    "no work": (mistake(FAIR, WORK, ""), "no_work"),
    "ignores SECONDS_PER_DOT": (mistake(FAIR, WORK, '    time.sleep(body.count(b"."))\n'),
                                "ignores_seconds_per_dot"),
    "counts a str in bytes": (mistake(FAIR, 'body.count(b".")', 'body.count(".")'), "count_str"),
    "declared classic, as the old write-up does": (
        mistake(FAIR, DECLARE, "channel.queue_declare(queue=QUEUE, durable=True)"), "classic_declared"),
}


def global_qos_refused(url: str, queue: str) -> bool:
    """Does this broker refuse a global QoS on a quorum queue's consumer? RabbitMQ 3.x does
    (540 NOT_IMPLEMENTED); Debian's 4.3.6 accepts it (then it limits the channel, which here
    has one consumer: the same as prefetch_count=1)."""
    connection = pika.BlockingConnection(pika.URLParameters(url))
    try:
        channel = connection.channel()
        channel.queue_declare(queue=queue, durable=True, arguments={"x-queue-type": "quorum"})
        channel.basic_qos(prefetch_count=1, global_qos=True)
        channel.basic_consume(queue=queue, on_message_callback=lambda *_: None)
        return False
    except (pika.exceptions.ChannelClosedByBroker, pika.exceptions.ConnectionClosedByBroker):
        return True
    finally:
        if connection.is_open:
            connection.close()
        delete_queues(url, [queue])


@pytest.mark.parametrize("case", LESSON_4)
def test_lesson_4_fair_worker(lesson, case):
    text, expected = LESSON_4[case]
    if expected == "global_qos" and not global_qos_refused(lesson.broker.url, f"{lesson.prefix}.qos"):
        expected = None
    expect(check_fair_worker(write(Exercise(lesson, 1, "worker.py"), text)), expected)


LESSON_5 = {
    "solution": (FAIR, None),
    "the starting point: a blank file (the settings only)": (
        FAIR.split("connection = ")[0] + "# Your code\n", "not_consuming"),
    "lesson 2's worker (no basic_qos)": (program("step2/worker.py"), "no_qos"),
    "lesson 1's worker (auto_ack)": (program("step1/worker.py"), "unfair_auto_ack"),
    "ack before the work": (mistake(mistake(FAIR, ACK, ""), WORK, ACK + WORK), "ack_before_work"),
}


@pytest.mark.parametrize("case", LESSON_5)
def test_lesson_5_final_worker(lesson, case):
    text, expected = LESSON_5[case]
    expect(check_final_worker(write(Exercise(lesson, 2, "worker.py"), text)), expected)
