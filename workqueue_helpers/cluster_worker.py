"""Tutorial 2's final worker for a cluster (lesson 6): it knows every node, and
when its node goes away it connects to another and carries on.

    python -m workqueue_helpers.cluster_worker --url URL1 --url URL2 --url URL3 [--queue NAME]

Each dot in a message is one second of work (``--seconds-per-dot``).
Its options are in options.py; what the notebook adds around it, in harness.py.
"""

import pika
import pika.exceptions

from workqueue_helpers.harness import run_cluster_program
from workqueue_helpers.options import cluster_worker_options
from workqueue_helpers.record.events import shown


def main(argv=None) -> None:
    args = cluster_worker_options(argv)  # args.urls: one URL per node, --queue, ...
    nodes = [pika.URLParameters(url) for url in args.urls]

    def callback(ch, method, properties, body):
        print(f" [x] Received {shown(body)}")
        ch.connection.sleep(body.count(b".") * args.seconds_per_dot)
        print(" [x] Done")
        ch.basic_ack(delivery_tag=method.delivery_tag)

    while True:
        try:
            connection = pika.BlockingConnection(nodes)  # the first node that answers
            channel = connection.channel()
            channel.queue_declare(queue=args.queue, durable=True, arguments={"x-queue-type": "quorum"})
            channel.basic_qos(prefetch_count=1)
            channel.basic_consume(queue=args.queue, on_message_callback=callback)
            print(" [*] Waiting for messages. To exit press CTRL+C")
            channel.start_consuming()
        except (pika.exceptions.StreamLostError, pika.exceptions.ConnectionClosedByBroker):
            print(" [!] Lost my node; connecting to another")


if __name__ == "__main__":
    run_cluster_program(main)
