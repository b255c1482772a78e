"""The link each lesson prints to RabbitMQ's management UI leads to its queue, messages included."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request

import pika
import pytest

from workqueue_helpers.broker import management
from workqueue_helpers.broker.base import Broker

pytestmark = pytest.mark.broker

TASKS = ["First message.", "Second message..", "Third message..."]


def printed_link(lesson, queue: str, capsys) -> str:
    lesson.show_queue_page(queue)
    line = capsys.readouterr().out.strip()
    links = re.findall(r"https?://\S+", line)
    assert len(links) == 1, line
    return links[0]


def test_the_link_finds_the_queue_and_its_messages(lesson_with_ui, capsys):
    """A private node has the UI; its link, followed with the lesson's credentials,
    shows the queue with its three tasks ready."""
    run = lesson_with_ui.new_run()
    run.publish(TASKS)                              # no worker: all three stay ready
    link = printed_link(lesson_with_ui, run.queue, capsys)
    assert link.startswith("http://127.0.0.1:") and "guest" not in link and "@" not in link
    password = pika.URLParameters(lesson_with_ui.broker.url).credentials.password

    # The page itself: the UI's single-page app, served without credentials.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(link.partition("#")[0], timeout=5) as page:
        assert page.status == 200 and b"RabbitMQ Management" in page.read()

    # What the page shows comes from the API behind it: the queue, by name, with its counts.
    deadline = time.monotonic() + 10   # the counts are refreshed every second on a private node
    while True:
        queue = management.get_json(management.api_address(link), lesson_with_ui.broker.user, password)
        if queue.get("messages_ready") == 3 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert queue["name"] == run.queue
    assert queue["messages_ready"] == 3 and queue["messages_unacknowledged"] == 0, queue
    # ...and the messages themselves, put back afterwards.
    assert management.peek_messages(link, lesson_with_ui.broker.user, password) == TASKS
    assert run.ready_messages() == 3


def test_wrong_credentials_are_refused(lesson_with_ui):
    base = lesson_with_ui.broker.management_ui()
    assert base is not None
    assert not management.answers(base, "guest", "not-the-password")
    with pytest.raises(urllib.error.HTTPError) as refused:
        management.get_json(f"{base}/api/overview", "guest", "not-the-password")
    assert refused.value.code == 401


def test_the_password_is_never_printed(lesson_with_ui, capsys):
    """A user with a secret password, on a broker with the UI: neither the note nor the link shows it."""
    node = lesson_with_ui.broker
    for command in (["add_user", "teacher", "S3cret-Pa55"], ["set_user_tags", "teacher", "management"],
                    ["set_permissions", "-p", "/", "teacher", ".*", ".*", ".*"]):
        assert node.rabbitmqctl(*command).returncode == 0
    try:
        broker = Broker(node.url.replace("guest:guest", "teacher:S3cret-Pa55"), "url")
        broker._management_base = node._management_base  # the node's UI port
        lesson_with_ui.broker, original = broker, node
        try:
            print(lesson_with_ui.management_note())
            lesson_with_ui.show_queue_page(f"{lesson_with_ui.prefix}.tasks")
        finally:
            lesson_with_ui.broker = original
        out = capsys.readouterr().out
        assert "S3cret" not in out
        assert "log in as 'teacher'" in out and "/#/queues/%2F/" in out
    finally:
        node.rabbitmqctl("delete_user", "teacher")


def test_a_broker_without_the_ui_gets_one_line_on_how_to_get_it(lesson, capsys):
    if lesson.broker.management_ui() is not None:
        pytest.skip("the shared broker has the management plugin")
    lesson.show_queue_page(f"{lesson.prefix}.tasks")
    out = capsys.readouterr().out
    assert out == management.HOW_TO_ENABLE + "\n"
    assert "rabbitmq-plugins enable rabbitmq_management" in out
