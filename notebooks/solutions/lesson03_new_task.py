# Lesson 3, exercise 1: the producer sends persistent messages to a durable queue.
import os
import sys

import pika

URL = os.environ["RABBITMQ_URL"]    # the lesson's broker
QUEUE = os.environ["TASK_QUEUE"]    # this exercise's queue

connection = pika.BlockingConnection(pika.URLParameters(URL))
channel = connection.channel()
channel.queue_declare(queue=QUEUE, durable=True)

message = " ".join(sys.argv[1:]) or "Hello World!"
channel.basic_publish(
    exchange="",
    routing_key=QUEUE,
    body=message,
    properties=pika.BasicProperties(delivery_mode=pika.DeliveryMode.Persistent),
)
print(f" [x] Sent {message}")
connection.close()
