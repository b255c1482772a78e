"""The producer exercises (lessons 1, 3, 5): each solution passes its check, and each
typical mistake gets its own hint. Everything runs for real: the learner's file as a
program, real workers, and a real broker restart."""

from __future__ import annotations

import pytest

from exercise_files import expect, mistake, solution, write
from workqueue_helpers.broker.queues import transient_queues_denied
from workqueue_helpers.exercises import (Exercise, check_persistent_producer, check_producer,
                                         check_quorum_producer)

pytestmark = pytest.mark.broker

FIRST = solution("lesson01_new_task.py")
PERSISTENT = solution("lesson03_new_task.py")
QUORUM = solution("lesson03_new_task_quorum.py")
PUBLISH = 'channel.basic_publish(exchange="", routing_key=QUEUE, body=message)'

LESSON_1 = {
    "solution": (FIRST, None),
    "no publish": (mistake(FIRST, PUBLISH, "pass"), "nothing_published"),
    "wrong queue name": (mistake(FIRST, "routing_key=QUEUE", 'routing_key="task_queue"'),
                         "nothing_published"),
    "fixed body": (mistake(FIRST, "body=message", 'body="Hello World!"'), "wrong_body"),
    "declared otherwise (406)": (mistake(FIRST, "queue_declare(queue=QUEUE, durable=True)",
                                         'queue_declare(queue=QUEUE, arguments={"x-max-length": 10})'),
                                 "redeclare_406"),
}


@pytest.mark.parametrize("case", LESSON_1)
def test_lesson_1_producer(lesson, case):
    text, expected = LESSON_1[case]
    expect(check_producer(write(Exercise(lesson, 1, "new_task.py"), text)), expected)


def test_a_check_before_the_file_is_written_says_so(lesson):
    expect(check_producer(Exercise(lesson, 1, "new_task.py")), "not_written")


LESSON_3 = {
    "solution": (PERSISTENT, None),
    "final producer (lesson 5)": (solution("lesson05_new_task.py"), None),
    "transient messages": (FIRST, "transient_messages"),
    "non-durable queue": (mistake(PERSISTENT, "queue_declare(queue=QUEUE, durable=True)",
                                  "queue_declare(queue=QUEUE)"), "non_durable_queue"),
}


@pytest.mark.parametrize("case", LESSON_3)
def test_lesson_3_persistent_producer(owned_lesson, case):
    text, expected = LESSON_3[case]
    if expected == "non_durable_queue" and transient_queues_denied(owned_lesson.broker.url):
        expected = "non_durable_denied"
    expect(check_persistent_producer(write(Exercise(owned_lesson, 1, "new_task.py"), text)),
           expected)


LESSON_3_QUORUM = {
    "solution": (QUORUM, None),
    "same name": (mistake(QUORUM, ' + ".quorum"', ""), "quorum_same_name"),
    "not durable": (mistake(QUORUM, 'durable=True, arguments', "durable=False, arguments"),
                    "quorum_not_durable"),
    "classic under the new name": (mistake(QUORUM, ', arguments={"x-queue-type": "quorum"}', ""),
                                   "not_quorum"),
    "another name": (mistake(QUORUM, '".quorum"', '"-quorum"'), "quorum_elsewhere"),
}


@pytest.mark.parametrize("case", LESSON_3_QUORUM)
def test_lesson_3_quorum_producer(lesson, case):
    text, expected = LESSON_3_QUORUM[case]
    if expected == "quorum_not_durable" and transient_queues_denied(lesson.broker.url):
        expected = "non_durable_denied"  # a strict 4.3 refuses any non-durable queue first
    exercise = Exercise(lesson, 2, "new_task.py")
    lesson.forget_queue(exercise.queue + "-quorum")  # the "another name" mistake declares it
    expect(check_quorum_producer(write(exercise, text)), expected)
