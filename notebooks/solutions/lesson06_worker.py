# Lesson 6, exercise: lesson 5's final worker, made to survive the loss of its node.
import os
import time

import pika
import pika.exceptions

NODES = os.environ["RABBITMQ_URLS"].split()            # every node of the lesson's cluster
QUEUE = os.environ["TASK_QUEUE"]                        # this exercise's queue (a quorum queue)
SECONDS_PER_DOT = float(os.environ["SECONDS_PER_DOT"])  # 1 in the tutorial; less here


def callback(ch, method, properties, body):
    print(f" [x] Received {body.decode()}")
    time.sleep(body.count(b".") * SECONDS_PER_DOT)
    print(" [x] Done")
    ch.basic_ack(delivery_tag=method.delivery_tag)


while True:
    try:
        connection = pika.BlockingConnection([pika.URLParameters(url) for url in NODES])
        channel = connection.channel()
        channel.queue_declare(queue=QUEUE, durable=True, arguments={"x-queue-type": "quorum"})
        channel.basic_qos(prefetch_count=1)
        channel.basic_consume(queue=QUEUE, on_message_callback=callback)
        print(" [*] Waiting for messages. To exit press CTRL+C")
        channel.start_consuming()
    except (pika.exceptions.StreamLostError, pika.exceptions.ConnectionClosedByBroker):
        print(" [!] Lost my node; connecting to another")
