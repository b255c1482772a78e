#!/usr/bin/env python
import os
import sys

import pika

URL = os.environ.get("RABBITMQ_URL", "amqp://localhost")  # the lesson's broker, if it gives one
QUEUE = os.environ.get("TASK_QUEUE", "task_queue")        # the lesson's queue, if it gives one

connection = pika.BlockingConnection(
    pika.URLParameters(URL),
)
channel = connection.channel()

channel.queue_declare(queue=QUEUE, durable=True, arguments={"x-queue-type": "quorum"})

message = " ".join(sys.argv[1:]) or "Hello World!"
channel.basic_publish(
    exchange="",
    routing_key=QUEUE,
    body=message,
    properties=pika.BasicProperties(
        delivery_mode=pika.DeliveryMode.Persistent,
    ),
)
print(f" [x] Sent {message}")

connection.close()
