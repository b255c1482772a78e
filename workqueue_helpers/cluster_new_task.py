"""Tutorial 2's producer for a cluster (lesson 6): it sends its tasks with
publisher confirms, and when its node goes away it connects to another and
sends again the task that was not confirmed.

    python -m workqueue_helpers.cluster_new_task "Task 1." "Task 2.." --url URL1 --url URL2 --url URL3

Its options are in options.py.
"""

import time

import pika
import pika.exceptions

from workqueue_helpers.harness import run_cluster_program
from workqueue_helpers.options import cluster_new_task_options
from workqueue_helpers.record.events import shown


def main(argv=None) -> None:
    args = cluster_new_task_options(argv)  # args.tasks, args.urls (one per node), args.interval
    nodes = [pika.URLParameters(url) for url in args.urls]
    unconfirmed = list(args.tasks)

    while unconfirmed:
        try:
            connection = pika.BlockingConnection(nodes)  # the first node that answers
            channel = connection.channel()
            channel.queue_declare(queue=args.queue, durable=True, arguments={"x-queue-type": "quorum"})
            channel.confirm_delivery()  # basic_publish now waits until the broker has the task
            while unconfirmed:
                task = unconfirmed[0]
                channel.basic_publish(exchange="", routing_key=args.queue, body=task,
                                      properties=pika.BasicProperties(
                                          delivery_mode=pika.DeliveryMode.Persistent))
                unconfirmed.pop(0)  # confirmed: basic_publish returned
                print(f" [x] Sent {shown(task)}")
                connection.sleep(args.interval)
            connection.close()
        except (pika.exceptions.StreamLostError, pika.exceptions.ConnectionClosedByBroker):
            print(" [!] Lost my node; sending the unconfirmed task again, to another")
        except pika.exceptions.NackError:  # refused (most likely: the queue had no leader yet)
            print(" [!] Not confirmed; sending it again on a new connection")
            connection.close()
            time.sleep(0.1)


if __name__ == "__main__":
    run_cluster_program(main)
