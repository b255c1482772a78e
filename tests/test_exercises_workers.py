"""The worker exercises of lessons 1 and 2: each solution passes its check, and each
typical mistake gets its own hint. The learner's file runs as real worker processes,
and in lesson 2 one of them is killed with SIGKILL in the middle of a task."""

from __future__ import annotations

import pytest

from exercise_files import expect, mistake, solution, write
from workqueue_helpers.exercises import (Exercise, check_acking_worker, check_first_worker,
                                         check_redelivered_worker)

pytestmark = pytest.mark.broker

FIRST = solution("lesson01_worker.py")
ACKING = solution("lesson02_worker.py")
REDELIVERED = solution("lesson02_worker_redelivered.py")
CONSUME_AUTO = "channel.basic_consume(queue=QUEUE, on_message_callback=callback, auto_ack=True)"
ACK = "    ch.basic_ack(delivery_tag=method.delivery_tag)\n"
WORK = "    time.sleep(body.count(b\".\") * SECONDS_PER_DOT)\n"

LESSON_1 = {
    "solution": (FIRST, None),
    "no start_consuming": (mistake(FIRST, "channel.start_consuming()", ""), "no_start_consuming"),
    "no basic_consume": (mistake(mistake(FIRST, CONSUME_AUTO, ""), "channel.start_consuming()", ""),
                         "not_consuming"),
    "pika 0.x call": (mistake(FIRST, CONSUME_AUTO,
                              "channel.basic_consume(callback, queue=QUEUE, no_ack=True)"), "old_pika"),
    "another queue": (mistake(FIRST, "basic_consume(queue=QUEUE", 'basic_consume(queue="hello"'),
                      "no_such_queue"),
    "neither auto_ack nor ack": (mistake(FIRST, ", auto_ack=True)", ")"), "never_done"),
    "no output": (mistake(FIRST, '    print(" [x] Done")\n', ""), "no_output"),
}


@pytest.mark.parametrize("case", LESSON_1)
def test_lesson_1_worker(lesson, case):
    text, expected = LESSON_1[case]
    expect(check_first_worker(write(Exercise(lesson, 2, "worker.py"), text)), expected)


LESSON_2 = {
    "solution": (ACKING, None),
    "auto_ack (lesson 1's worker)": (FIRST, "auto_ack"),
    "no ack": (mistake(ACKING, ACK, ""), "no_ack"),
    "ack before the work": (mistake(mistake(ACKING, ACK, ""), WORK, ACK + WORK), "ack_before_work"),
    "ack on another channel": (mistake(ACKING, "    ch.basic_ack(",
                                       "    connection.channel().basic_ack("),
                               "ack_wrong_channel"),
}


@pytest.mark.parametrize("case", LESSON_2)
def test_lesson_2_acking_worker(lesson, case):
    text, expected = LESSON_2[case]
    expect(check_acking_worker(write(Exercise(lesson, 1, "worker.py"), text)), expected)


LESSON_2_REDELIVERED = {
    "solution": (REDELIVERED, None),
    "says nothing (exercise 1's worker)": (ACKING, "no_redelivery_shown"),
    "says it every time": (mistake(REDELIVERED, "    if method.redelivered:\n", "    if True:\n"),
                           "redelivery_shown_wrongly"),
    "lost its ack": (mistake(REDELIVERED, ACK, ""), "no_ack"),
}


@pytest.mark.parametrize("case", LESSON_2_REDELIVERED)
def test_lesson_2_redelivered_worker(lesson, case):
    text, expected = LESSON_2_REDELIVERED[case]
    expect(check_redelivered_worker(write(Exercise(lesson, 2, "worker.py"), text)), expected)
