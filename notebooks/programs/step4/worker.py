#!/usr/bin/env python
import os
import time

import pika

URL = os.environ.get("RABBITMQ_URL", "amqp://localhost")     # the lesson's broker, if it gives one
QUEUE = os.environ.get("TASK_QUEUE", "task_queue")           # the lesson's queue, if it gives one
SECONDS_PER_DOT = float(os.environ.get("SECONDS_PER_DOT", "1"))  # less, if the lesson speeds up

connection = pika.BlockingConnection(
    pika.URLParameters(URL),
)
channel = connection.channel()

channel.queue_declare(queue=QUEUE, durable=True, arguments={"x-queue-type": "quorum"})
print(" [*] Waiting for messages. To exit press CTRL+C")


def callback(ch, method, properties, body):
    print(f" [x] Received {body.decode()}")
    time.sleep(body.count(b".") * SECONDS_PER_DOT)
    print(" [x] Done")
    ch.basic_ack(delivery_tag=method.delivery_tag)


channel.basic_qos(prefetch_count=1)
channel.basic_consume(queue=QUEUE, on_message_callback=callback)

channel.start_consuming()
