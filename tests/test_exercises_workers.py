"""The worker exercises of lessons 1 and 2: each solution passes its check, each starting
point fails it with its own hint, and so does each typical mistake. The learner's file
runs as real worker processes, and in lesson 2 one of them is killed with SIGKILL in
the middle of a task."""

from __future__ import annotations

import pytest

from exercise_files import expect, mistake, program, stray_queue, write
from workqueue_helpers.exercises import Exercise, check_acking_worker, check_first_worker

pytestmark = pytest.mark.broker

FIRST = program("step1/worker.py")    # lesson 1's solution, lesson 2's starting point
ACKING = program("step2/worker.py")   # lesson 2's solution
CONSUME_AUTO = "channel.basic_consume(queue=QUEUE, on_message_callback=callback, auto_ack=True)"
DECLARE = 'channel.queue_declare(queue=QUEUE, durable=True, arguments={"x-queue-type": "quorum"})'
CLASSIC = "channel.queue_declare(queue=QUEUE, durable=True)"  # as the old write-up declares it
ACK = "    ch.basic_ack(delivery_tag=method.delivery_tag)\n"
WORK = '    time.sleep(body.count(b".") * SECONDS_PER_DOT)\n'
SLEEP_A_SECOND_PER_DOT = '    time.sleep(body.count(b"."))\n'
COUNT_STR = '    time.sleep(body.count(".") * SECONDS_PER_DOT)\n'

LESSON_1 = {
    "solution": (FIRST, None),
    "the starting point (receive.py)": (program("hello/receive.py"), "no_work"),
    "no start_consuming": (mistake(FIRST, "channel.start_consuming()", ""), "no_start_consuming"),
    "no basic_consume": (mistake(mistake(FIRST, CONSUME_AUTO, ""), "channel.start_consuming()", ""),
                         "not_consuming"),
    "pika 0.x call": (mistake(FIRST, CONSUME_AUTO,
                              "channel.basic_consume(callback, queue=QUEUE, no_ack=True)"), "old_pika"),
    "neither auto_ack nor ack": (mistake(FIRST, ", auto_ack=True)", ")"), "never_done"),
    "auto_ack=False said out loud": (mistake(FIRST, "auto_ack=True", "auto_ack=False"), "never_done"),
    "no output": (mistake(FIRST, '    print(" [x] Done")\n', ""), "no_output"),
    "no work": (mistake(FIRST, WORK, ""), "no_work"),
    "ignores SECONDS_PER_DOT": (mistake(FIRST, WORK, SLEEP_A_SECOND_PER_DOT), "ignores_seconds_per_dot"),
    "counts a str in bytes": (mistake(FIRST, WORK, COUNT_STR), "count_str"),
    "declared classic, as the old write-up does": (mistake(FIRST, DECLARE, CLASSIC), "classic_declared"),
    "SECONDS_PER_DOT once per task": (mistake(FIRST, WORK, "    time.sleep(SECONDS_PER_DOT)\n"),
                                      "too_little_work"),
    "no import time": (mistake(FIRST, "import time\n", ""), "program_error"),
    "no import pika": (mistake(FIRST, "import pika\n", ""), "program_error"),
    "body.decode misspelt": (mistake(FIRST, "body.decode()", "body.decod()"), "program_error"),
}


@pytest.mark.parametrize("case", LESSON_1)
def test_lesson_1_worker(lesson, case):
    text, expected = LESSON_1[case]
    expect(check_first_worker(write(Exercise(lesson, 2, "worker.py"), text)), expected)


def test_lesson_1_worker_consuming_from_hello_typed_literally(lesson):
    """The starting point's queue name typed in place of QUEUE: in basic_consume only,
    RabbitMQ has no such queue; in the declaration too, the workers wait on a queue of
    their own (a stray queue the test deletes, if it made it)."""
    only_consume = mistake(FIRST, "basic_consume(queue=QUEUE", 'basic_consume(queue="hello"')
    both = mistake(only_consume, "queue_declare(queue=QUEUE", 'queue_declare(queue="hello"')
    with stray_queue(lesson.broker.url, "hello"):
        expect(check_first_worker(write(Exercise(lesson, 2, "worker.py"), only_consume)),
               "no_such_queue")
        verdict = check_first_worker(write(Exercise(lesson, 3, "worker.py"), both))
    expect(verdict, "nothing_received")
    assert "'hello'" in verdict.text, verdict


LESSON_2 = {
    "solution": (ACKING, None),
    "the starting point: auto_ack (lesson 1's worker)": (FIRST, "auto_ack"),
    "the ack added, auto_ack=True left in": (mistake(FIRST, '    print(" [x] Done")\n',
                                                      '    print(" [x] Done")\n' + ACK),
                                              "ack_with_auto_ack"),
    "no ack": (mistake(ACKING, ACK, ""), "no_ack"),
    "ack before the work": (mistake(mistake(ACKING, ACK, ""), WORK, ACK + WORK), "ack_before_work"),
    "ack on another channel": (mistake(ACKING, "    ch.basic_ack(",
                                       "    connection.channel().basic_ack("),
                               "ack_wrong_channel"),
    "a fixed delivery tag": (mistake(ACKING, "delivery_tag=method.delivery_tag", "delivery_tag=1"),
                             "fixed_tag"),
    "basic_ack() with no tag": (mistake(ACKING, "delivery_tag=method.delivery_tag", ""), "fixed_tag"),
    "the tag given positionally": (mistake(ACKING, "delivery_tag=method.delivery_tag",
                                           "method.delivery_tag"), None),
    "the ack on the outer channel, the same one": (mistake(ACKING, "    ch.basic_ack(",
                                                           "    channel.basic_ack("), None),
    "multiple=True": (mistake(ACKING, "delivery_tag=method.delivery_tag",
                              "delivery_tag=method.delivery_tag, multiple=True"), None),
    "basic_consume's arguments positionally": (
        mistake(ACKING, "basic_consume(queue=QUEUE, on_message_callback=callback)",
                "basic_consume(QUEUE, callback)"), None),
    "a callback that takes the body only": (
        mistake(ACKING, "def callback(ch, method, properties, body):", "def callback(body):"),
        "program_error"),
    "declared not durable": (mistake(ACKING, "durable=True, ", ""), "quorum_not_durable"),
    "declared classic, as the old write-up does": (mistake(ACKING, DECLARE, CLASSIC),
                                                   "classic_declared"),
    "no work": (mistake(ACKING, WORK, ""), "no_work"),
    "ignores SECONDS_PER_DOT": (mistake(ACKING, WORK, SLEEP_A_SECOND_PER_DOT),
                                "ignores_seconds_per_dot"),
    "counts a str in bytes": (mistake(ACKING, WORK, COUNT_STR), "count_str"),
}


@pytest.mark.parametrize("case", LESSON_2)
def test_lesson_2_acking_worker(lesson, case):
    text, expected = LESSON_2[case]
    expect(check_acking_worker(write(Exercise(lesson, 1, "worker.py"), text)), expected)
