"""The worker of tutorial 2: take tasks from the queue and do them.

    python -m workqueue_helpers.worker [--prefetch 1] [--auto-ack] [--url URL] [--queue NAME]

Each dot in a message is one second of work (``--seconds-per-dot``).
Its options are in options.py; what the notebook adds around it, in harness.py.
"""

import pika

from workqueue_helpers.connection import connect
from workqueue_helpers.harness import run_worker
from workqueue_helpers.options import worker_options
from workqueue_helpers.record.events import shown


def main(argv=None) -> None:
    args = worker_options(argv)  # --url, --queue, --prefetch, --auto-ack, --seconds-per-dot, ...
    connection = connect(args.url)  # pika.BlockingConnection, with errors in one line
    channel = connection.channel()

    channel.queue_declare(queue=args.queue, durable=args.durable, arguments=args.arguments)
    if args.dead_letter_queue:  # lesson 2, going further
        channel.queue_declare(queue=args.dead_letter_queue, durable=True)
    print(" [*] Waiting for messages. To exit press CTRL+C")

    def callback(ch, method, properties, body):
        print(f" [x] Received {shown(body)}")
        ch.connection.sleep(body.count(b".") * args.seconds_per_dot)
        print(" [x] Done")
        if not args.auto_ack:
            ch.basic_ack(delivery_tag=method.delivery_tag)

    if args.prefetch:
        channel.basic_qos(prefetch_count=args.prefetch)
    channel.basic_consume(queue=args.queue, on_message_callback=callback, auto_ack=args.auto_ack)

    channel.start_consuming()


if __name__ == "__main__":
    run_worker(main)
