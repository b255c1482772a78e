"""The producer exercises (lessons 1, 3, 5): each solution passes its check, each starting
point fails it with its own hint, and so does each typical mistake. Everything runs for
real: the learner's file as a program, real workers, and a real broker restart."""

from __future__ import annotations

import textwrap

import pytest

from exercise_files import expect, mistake, program, stray_queue, write
from workqueue_helpers.exercises import Exercise, check_persistent_producer, check_producer

pytestmark = pytest.mark.broker

FIRST = program("step1/new_task.py")        # lesson 1's solution
PERSISTENT = program("step3/new_task.py")   # lessons 3 and 5's solution
DECLARE = 'channel.queue_declare(queue=QUEUE, durable=True, arguments={"x-queue-type": "quorum"})\n'
PUBLISH = 'channel.basic_publish(exchange="", routing_key=QUEUE, body=message)\n'
MESSAGE = 'message = " ".join(sys.argv[1:]) or "Hello World!"'
CLOSE = "connection.close()\n"
PROPERTIES = ("    properties=pika.BasicProperties(\n"
              "        delivery_mode=pika.DeliveryMode.Persistent,\n"
              "    ),\n")


def with_statement(text: str) -> str:
    """``text`` with its connection opened in a ``with`` statement, which closes it."""
    head, rest = text.split("connection = pika.BlockingConnection(\n    pika.URLParameters(URL),\n)\n")
    return head + ("with pika.BlockingConnection(pika.URLParameters(URL)) as connection:\n"
                   + textwrap.indent(mistake(rest, CLOSE, ""), "    "))


LESSON_1 = {
    "solution": (FIRST, None),
    "the starting point (send.py)": (program("hello/send.py"), "wrong_body"),
    "no publish": (mistake(FIRST, PUBLISH, ""), "nothing_published"),
    "no declaration": (mistake(FIRST, DECLARE, ""), "no_declare"),
    "through amq.direct": (mistake(FIRST, 'exchange=""', 'exchange="amq.direct"'), "via_exchange"),
    "publishes twice": (mistake(FIRST, PUBLISH, PUBLISH + PUBLISH), "published_twice"),
    "the first word only": (mistake(FIRST, MESSAGE, 'message = sys.argv[1]'), "first_word_only"),
    "a fixed body": (mistake(FIRST, "body=message", 'body="Hello World!"'), "wrong_body"),
    "declared with other arguments (406)": (
        mistake(FIRST, '{"x-queue-type": "quorum"}', '{"x-queue-type": "quorum", "x-max-length": 10}'),
        "redeclare_406"),
    "declared classic, as the old write-up does": (
        mistake(FIRST, DECLARE, "channel.queue_declare(queue=QUEUE, durable=True)\n"),
        "classic_declared"),
    "declared not durable": (mistake(FIRST, "durable=True, ", ""), "quorum_not_durable"),
    "the program's name too (sys.argv)": (mistake(FIRST, "sys.argv[1:]", "sys.argv"), "program_name"),
    "the list of words as the body": (mistake(FIRST, "body=message", "body=sys.argv[1:]"),
                                      "program_error"),
    "no import sys": (mistake(FIRST, "import sys\n", ""), "program_error"),
    "forgets connection.close()": (mistake(FIRST, CLOSE, ""), "no_close"),
    "closes in a with statement": (with_statement(FIRST), None),
    "publisher confirms": (mistake(FIRST, "\nmessage =", "\nchannel.confirm_delivery()\nmessage ="),
                           None),
}


@pytest.mark.parametrize("case", LESSON_1)
def test_lesson_1_producer(lesson, case):
    text, expected = LESSON_1[case]
    expect(check_producer(write(Exercise(lesson, 1, "new_task.py"), text)), expected)


@pytest.mark.parametrize("declared_too", [False, True])
def test_lesson_1_producer_names_the_queue_it_published_to(lesson, declared_too):
    """The tutorial's literal queue name in place of QUEUE, as the routing key (the
    broker drops the messages), and in the declaration too (a stray queue, which the test
    deletes if it made it): the verdict names that queue."""
    text = mistake(FIRST, "routing_key=QUEUE", 'routing_key="task_queue"')
    if declared_too:
        text = mistake(text, "queue_declare(queue=QUEUE", 'queue_declare(queue="task_queue"')
    with stray_queue(lesson.broker.url, "task_queue"):  # someone else's would get the tasks
        verdict = check_producer(write(Exercise(lesson, 1, "new_task.py"), text))
    expect(verdict, "wrong_queue")
    assert "published to 'task_queue'" in verdict.text, verdict
    assert ("queue_declare" in verdict.text) == declared_too, verdict


def test_a_check_before_the_file_is_written_says_so(lesson):
    expect(check_producer(Exercise(lesson, 1, "new_task.py")), "not_written")


LESSON_3 = {
    "solution": (PERSISTENT, None),
    "the starting point: transient messages": (program("step2/new_task.py"), "transient_messages"),
    "lesson 5's starting point: a blank file (the settings only)": (
        PERSISTENT.split("connection = ")[0] + "# Your code\n", "nothing_published"),
    "not durable": (mistake(PERSISTENT, "durable=True, ", ""), "quorum_not_durable"),
    "classic, as the old write-up declares it": (
        mistake(PERSISTENT, ', arguments={"x-queue-type": "quorum"}', ""), "classic_declared"),
    "classic and not durable (the write-up's first version)": (
        mistake(PERSISTENT, 'durable=True, arguments={"x-queue-type": "quorum"}', ""),
        "classic_declared"),
    "no declaration": (mistake(PERSISTENT, DECLARE, ""), "no_declare"),
    "delivery_mode Transient": (mistake(PERSISTENT, "DeliveryMode.Persistent", "DeliveryMode.Transient"),
                                "transient_messages"),
    "forgets connection.close()": (mistake(PERSISTENT, CLOSE, ""), "no_close"),
    "delivery_mode 2, as a number": (
        mistake(PERSISTENT, "pika.DeliveryMode.Persistent", "2"), None),
    "delivery_mode given to basic_publish, not to the properties": (
        mistake(PERSISTENT, PROPERTIES, "    delivery_mode=pika.DeliveryMode.Persistent,\n"),
        "program_error"),
}


@pytest.mark.parametrize("case", LESSON_3)
def test_lesson_3_persistent_producer(owned_lesson, case):
    text, expected = LESSON_3[case]
    expect(check_persistent_producer(write(Exercise(owned_lesson, 1, "new_task.py"), text)),
           expected)
