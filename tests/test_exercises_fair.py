"""The worker exercises of lessons 4 and 5: each solution passes its check, and each
typical mistake gets its own hint. Two of the learner's workers get long and short
tasks in turn; lesson 5's check also kills one of them mid-task."""

from __future__ import annotations

import pytest

from exercise_files import expect, mistake, solution, write
from workqueue_helpers.exercises import Exercise, check_fair_worker, check_final_worker

pytestmark = pytest.mark.broker

FAIR = solution("lesson04_worker.py")
QOS = "channel.basic_qos(prefetch_count=1)\n"
CONSUME = "channel.basic_consume(queue=QUEUE, on_message_callback=callback)\n"
ACK = "    ch.basic_ack(delivery_tag=method.delivery_tag)\n"
WORK = "    time.sleep(body.count(b\".\") * SECONDS_PER_DOT)\n"

LESSON_4 = {
    "solution": (FAIR, None),
    "no basic_qos (lesson 2's worker)": (solution("lesson02_worker.py"), "no_qos"),
    "basic_qos after basic_consume": (mistake(FAIR, QOS + CONSUME, CONSUME + QOS), "qos_after_consume"),
    "prefetch 0": (mistake(FAIR, "prefetch_count=1", "prefetch_count=0"), "prefetch_zero"),
    "prefetch 2": (mistake(FAIR, "prefetch_count=1", "prefetch_count=2"), "prefetch_more"),
    "auto_ack": (mistake(mistake(FAIR, ACK, ""), "on_message_callback=callback)",
                         "on_message_callback=callback, auto_ack=True)"), "qos_with_auto_ack"),
    "no ack": (mistake(FAIR, ACK, ""), "no_ack"),
}


@pytest.mark.parametrize("case", LESSON_4)
def test_lesson_4_fair_worker(lesson, case):
    text, expected = LESSON_4[case]
    expect(check_fair_worker(write(Exercise(lesson, 1, "worker.py"), text)), expected)


LESSON_5 = {
    "solution": (solution("lesson05_worker.py"), None),
    "a blank file": ("import pika\n", "not_consuming"),
    "ack before the work": (mistake(mistake(FAIR, ACK, ""), WORK, ACK + WORK), "ack_before_work"),
}


@pytest.mark.parametrize("case", LESSON_5)
def test_lesson_5_final_worker(lesson, case):
    text, expected = LESSON_5[case]
    expect(check_final_worker(write(Exercise(lesson, 2, "worker.py"), text)), expected)
