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


def callback(ch, method, properties, body):
    print(f" [x] Received {body.decode()}")


channel.basic_consume(queue=QUEUE, on_message_callback=callback, auto_ack=True)

print(" [*] Waiting for messages. To exit press CTRL+C")
channel.start_consuming()
