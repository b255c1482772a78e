#!/usr/bin/env python
import os
import time

import pika
import pika.exceptions

URLS = os.environ.get("RABBITMQ_URLS", "amqp://localhost").split()  # every node of the cluster
QUEUE = os.environ.get("TASK_QUEUE", "task_queue")                  # the lesson's queue, if it gives one
SECONDS_PER_DOT = float(os.environ.get("SECONDS_PER_DOT", "1"))     # less, if the lesson speeds up


def callback(ch, method, properties, body):
    print(f" [x] Received {body.decode()}")
    time.sleep(body.count(b".") * SECONDS_PER_DOT)
    print(" [x] Done")
    ch.basic_ack(delivery_tag=method.delivery_tag)


while True:
    try:
        # The first node that answers.
        connection = pika.BlockingConnection([pika.URLParameters(url) for url in URLS])
        channel = connection.channel()

        channel.queue_declare(queue=QUEUE, durable=True, arguments={"x-queue-type": "quorum"})
        print(" [*] Waiting for messages. To exit press CTRL+C")

        channel.basic_qos(prefetch_count=1)
        channel.basic_consume(queue=QUEUE, on_message_callback=callback)

        channel.start_consuming()
    except (pika.exceptions.StreamLostError, pika.exceptions.ConnectionClosedByBroker):
        print(" [!] Lost my node; connecting to another")
