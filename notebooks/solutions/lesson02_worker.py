# Lesson 2, exercise 1: the worker acknowledges each task once it is done.
import os
import time

import pika

URL = os.environ["RABBITMQ_URL"]                        # the lesson's broker
QUEUE = os.environ["TASK_QUEUE"]                        # this exercise's queue
SECONDS_PER_DOT = float(os.environ["SECONDS_PER_DOT"])  # 1 in the tutorial; less here

connection = pika.BlockingConnection(pika.URLParameters(URL))
channel = connection.channel()
channel.queue_declare(queue=QUEUE, durable=True)
print(" [*] Waiting for messages. To exit press CTRL+C")


def callback(ch, method, properties, body):
    print(f" [x] Received {body.decode()}")
    time.sleep(body.count(b".") * SECONDS_PER_DOT)
    print(" [x] Done")
    ch.basic_ack(delivery_tag=method.delivery_tag)


channel.basic_consume(queue=QUEUE, on_message_callback=callback)
channel.start_consuming()
