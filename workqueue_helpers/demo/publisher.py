"""The notebook's producer, which records each task once the broker has it."""

from __future__ import annotations

from typing import Callable, Iterable, List, Optional, Union

import pika

from workqueue_helpers.connection import close_quietly, connect, declare_task_queue

Published = Callable[[str, bytes], None]  # (task id, body): the broker has this task


def publish_tasks(url: str, queue: str, messages: Iterable[Union[str, bytes]], *,
                  first_number: int, on_published: Published,
                  queue_type: str = "quorum", dead_letter_queue: Optional[str] = None,
                  persistent: bool = True, confirm: bool = True, interval: float = 0.0) -> List[str]:
    """Send each message as a task, as new_task.py does; return their task ids.

    Each task gets the AMQP ``message_id`` ``task-N`` (N counting on from
    ``first_number``), which workers report as its identity.
    ``on_published`` is called once the broker has the task: with ``confirm``
    (publisher confirms), when the broker confirmed it; without, when
    ``basic_publish`` returned. ``interval`` waits that many seconds between
    two messages.

    Without ``confirm``, the last message is still confirmed before the connection
    closes. RabbitMQ confirms a channel's messages to one queue in the order they
    were published, so the channel stays open until the broker has handled them
    all. (Closed at once, a burst of 1,000 unconfirmed tiny tasks once ended with
    958 done and none left in the queue, with four lessons running beside it.)
    """
    connection = connect(url)
    ids: List[str] = []
    if not confirm:
        messages = list(messages)  # to know which one is the last
    try:
        channel = connection.channel()
        declare_task_queue(channel, queue, True, queue_type, dead_letter_queue)
        if confirm:
            channel.confirm_delivery()
        for number, message in enumerate(messages, start=first_number):
            body = message.encode("utf-8") if isinstance(message, str) else message
            if ids and interval:
                connection.sleep(interval)
            if not confirm and len(ids) == len(messages) - 1:  # type: ignore[arg-type]
                channel.confirm_delivery()  # the last one: its confirm vouches for all before it
            task = f"task-{number}"
            channel.basic_publish(
                exchange="", routing_key=queue, body=body, mandatory=True,
                properties=pika.BasicProperties(
                    delivery_mode=pika.DeliveryMode.Persistent if persistent
                    else pika.DeliveryMode.Transient,
                    message_id=task))
            on_published(task, body)
            ids.append(task)
    finally:
        close_quietly(connection)
    return ids
