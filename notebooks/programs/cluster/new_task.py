#!/usr/bin/env python
import os
import sys

import pika
import pika.exceptions

URLS = os.environ.get("RABBITMQ_URLS", "amqp://localhost").split()  # every node of the cluster
QUEUE = os.environ.get("TASK_QUEUE", "task_queue")                  # the lesson's queue, if it gives one

tasks = sys.argv[1:] or ["Hello World!"]  # one task per argument

while tasks:
    try:
        # The first node that answers.
        connection = pika.BlockingConnection([pika.URLParameters(url) for url in URLS])
        channel = connection.channel()

        channel.queue_declare(queue=QUEUE, durable=True, arguments={"x-queue-type": "quorum"})
        channel.confirm_delivery()  # basic_publish returns once the broker has the task

        while tasks:
            channel.basic_publish(
                exchange="",
                routing_key=QUEUE,
                body=tasks[0],
                properties=pika.BasicProperties(
                    delivery_mode=pika.DeliveryMode.Persistent,
                ),
            )
            print(f" [x] Sent {tasks.pop(0)}")  # confirmed: off the list

        connection.close()
    except (pika.exceptions.StreamLostError, pika.exceptions.ConnectionClosedByBroker):
        print(" [!] Lost my node; sending the unconfirmed task again, to another")
    except pika.exceptions.NackError:
        print(" [!] Not confirmed; sending it again on a new connection")
        connection.close()
