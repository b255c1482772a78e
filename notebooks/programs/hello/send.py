#!/usr/bin/env python
import os

import pika

URL = os.environ.get("RABBITMQ_URL", "amqp://localhost")  # the lesson's broker, if it gives one
QUEUE = os.environ.get("TASK_QUEUE", "hello")             # the lesson's queue, if it gives one

connection = pika.BlockingConnection(
    pika.URLParameters(URL),
)
channel = connection.channel()

channel.queue_declare(queue=QUEUE, durable=True, arguments={"x-queue-type": "quorum"})

channel.basic_publish(exchange="", routing_key=QUEUE, body="Hello World!")
print(" [x] Sent 'Hello World!'")

connection.close()
