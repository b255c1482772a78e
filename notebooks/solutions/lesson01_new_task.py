# Lesson 1, exercise 1: the producer. Run as: python new_task.py First message.
import os
import sys

import pika

URL = os.environ["RABBITMQ_URL"]    # the lesson's broker
QUEUE = os.environ["TASK_QUEUE"]    # this exercise's queue

connection = pika.BlockingConnection(pika.URLParameters(URL))
channel = connection.channel()
channel.queue_declare(queue=QUEUE, durable=True)  # durable: lesson 3 says why

message = " ".join(sys.argv[1:]) or "Hello World!"
channel.basic_publish(exchange="", routing_key=QUEUE, body=message)
print(f" [x] Sent {message}")
connection.close()
