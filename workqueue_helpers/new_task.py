"""The producer of tutorial 2: send one task to the work queue.

    python -m workqueue_helpers.new_task First message. [--confirm] [--url URL] [--queue NAME]

Each dot in the message is one second of work for the worker.
Its options are in options.py.
"""

import pika

from workqueue_helpers.connection import connect, run_program
from workqueue_helpers.options import new_task_options
from workqueue_helpers.record.events import shown


def main(argv=None) -> None:
    args = new_task_options(argv)  # the message, --url, --queue, --confirm, --transient, ...
    connection = connect(args.url)  # pika.BlockingConnection, with errors in one line
    channel = connection.channel()

    channel.queue_declare(queue=args.queue, durable=args.durable, arguments=args.arguments)
    if args.confirm:  # publisher confirms: lesson 3, going further
        channel.confirm_delivery()

    channel.basic_publish(
        exchange="",
        routing_key=args.queue,
        body=args.message,
        properties=pika.BasicProperties(delivery_mode=args.delivery_mode),
        mandatory=args.confirm,  # with confirms, fail if no queue takes the message
    )
    print(f" [x] Sent {shown(args.message)}")
    connection.close()


if __name__ == "__main__":
    run_program(main)
