# Lesson 3, exercise 2: the official tutorial today: a quorum queue (under a new name).
import os
import sys

import pika

URL = os.environ["RABBITMQ_URL"]    # the lesson's broker
QUEUE = os.environ["TASK_QUEUE"] + ".quorum"  # the classic queue keeps its name

connection = pika.BlockingConnection(pika.URLParameters(URL))
channel = connection.channel()
channel.queue_declare(queue=QUEUE, durable=True, arguments={"x-queue-type": "quorum"})

message = " ".join(sys.argv[1:]) or "Hello World!"
channel.basic_publish(
    exchange="",
    routing_key=QUEUE,
    body=message,
    properties=pika.BasicProperties(delivery_mode=pika.DeliveryMode.Persistent),
)
print(f" [x] Sent {message}")
connection.close()
