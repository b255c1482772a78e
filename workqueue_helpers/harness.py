"""Run a worker under the notebook's instruments, outside the code a learner reads.

    python -m workqueue_helpers.worker --name worker1     # the package's worker runs here
    python -m workqueue_helpers.harness worker.py --name worker1   # a learner's own file

The worker itself stays the tutorial's few lines. Around it, this module adds:

- **events** for the notebook's timeline (``record/events.py``), taken from
  the pika calls the worker makes: ``channel()`` (which node it reached),
  ``basic_qos``, ``basic_consume``, each delivery to its callback,
  ``basic_ack``, a connection lost in ``start_consuming``, and, for lesson 6's
  producer, each ``basic_publish`` the broker confirmed. A worker written in
  a notebook exercise gets the same timeline as the package's, without a
  line for it;
- **reconnecting** after the broker goes away, by running the worker again,
  as a service manager restarts a worker that exits (systemd's
  ``Restart=on-failure``). Not for lesson 6's programs, which reconnect by
  themselves (``run_cluster_program``), nor with ``--once``;
- the **work cap** (``--max-seconds``) and lesson 2's **deliberate mistakes**
  (``--forget-ack``, ``--reject-if``);
- CTRL+C, and the broker's refusals as one line.

It does this by wrapping six methods of pika's ``BlockingChannel`` and two of
``BlockingConnection``, in the worker's own process only.
"""

from __future__ import annotations

import argparse
import inspect
import runpy
import sys
import time
from dataclasses import dataclass
from typing import Callable, Dict, Optional, Tuple

import pika.exceptions
from pika.adapters.blocking_connection import BlockingChannel, BlockingConnection

from workqueue_helpers.connection import WorkQueueError, run_program
from workqueue_helpers.options import worker_options
from workqueue_helpers.record.events import (ACKED, AUTO_ACK, CONNECTED, CONSUMING, DISCONNECTED,
                                             DONE, PUBLISHED, QOS, RECEIVED, REJECTED, WRONG_CHANNEL,
                                             record, task_id, task_label)


@dataclass
class Instruments:
    """What the harness adds around one worker process."""

    name: str = "worker"
    max_seconds: float = 60.0
    reconnect_seconds: float = 60.0
    forget_ack: bool = False
    reject_if: Optional[bytes] = None
    requeue: bool = True
    seconds_per_dot: float = 1.0  # the work a rejected task does before it is rejected
    consumed: bool = False        # has a consumer been registered since the last (re)start?

    @classmethod
    def from_worker_options(cls, args: argparse.Namespace) -> "Instruments":
        return cls(name=args.name, max_seconds=args.max_seconds,
                   reconnect_seconds=args.reconnect_seconds, forget_ack=args.forget_ack,
                   reject_if=args.reject_if.encode() if args.reject_if else None,
                   requeue=args.requeue, seconds_per_dot=args.seconds_per_dot)


def install(instruments: Instruments) -> None:
    """Wrap pika's blocking channel so that each call the worker makes is recorded."""
    consume, ack, qos, sleep = (BlockingChannel.basic_consume, BlockingChannel.basic_ack,
                                BlockingChannel.basic_qos, BlockingConnection.sleep)
    open_channel, start_consuming, publish = (BlockingConnection.channel,
                                              BlockingChannel.start_consuming,
                                              BlockingChannel.basic_publish)
    name = instruments.name
    tasks: Dict[Tuple[int, int], str] = {}  # (channel, delivery tag) -> task id

    def traced_qos(self, *args, **kwargs):
        call = inspect.signature(qos).bind(self, *args, **kwargs)
        call.apply_defaults()
        after = " after basic_consume" if self._consumer_infos else ""
        record(QOS, name, detail=f"prefetch_count={call.arguments['prefetch_count']}{after}")
        return qos(*call.args, **call.kwargs)

    def traced_consume(self, *args, **kwargs):
        try:
            call = inspect.signature(consume).bind(self, *args, **kwargs)
        except TypeError:  # a call pika will refuse (say, pika 0.x's): let pika say why
            return consume(self, *args, **kwargs)
        call.apply_defaults()
        callback, auto_ack = call.arguments["on_message_callback"], call.arguments["auto_ack"]
        if not callable(callback):  # pika raises its own clear error for this
            return consume(*call.args, **call.kwargs)

        def traced_callback(ch, method, properties, body):
            task = task_id(properties.message_id, body)
            tasks[(ch.channel_number, method.delivery_tag)] = task
            record(RECEIVED, name, task, task_label(body), method.redelivered)
            if instruments.reject_if is not None and instruments.reject_if in body:
                reject(ch, method, body, task)
                return
            callback(ch, method, properties, body)
            record(DONE, name, task, detail=AUTO_ACK if auto_ack else "")

        call.arguments["on_message_callback"] = traced_callback
        tag = consume(*call.args, **call.kwargs)
        instruments.consumed = True
        record(CONSUMING, name, detail=AUTO_ACK if auto_ack else "")
        return tag

    def reject(ch, method, body: bytes, task: str) -> None:
        ch.connection.sleep(body.count(b".") * instruments.seconds_per_dot)
        print(" [!] Cannot do this task: rejected" + (", requeued" if instruments.requeue else ""))
        ch.basic_reject(delivery_tag=method.delivery_tag, requeue=instruments.requeue)
        record(REJECTED, name, task, detail=str(instruments.requeue))

    def traced_ack(self, *args, **kwargs):
        call = inspect.signature(ack).bind(self, *args, **kwargs)
        call.apply_defaults()
        if instruments.forget_ack:
            return None
        key = (self.channel_number, call.arguments["delivery_tag"])
        if key not in tasks and any(tag == key[1] for _, tag in tasks):
            # The broker answers 406 "unknown delivery tag" on this channel; the task stays unacked.
            record(ACKED, name, None, detail=WRONG_CHANNEL)
        else:
            record(ACKED, name, tasks.pop(key, None))  # before the ack: a kill must not hide it
        return ack(*call.args, **call.kwargs)

    def capped_sleep(self, duration: float) -> None:
        if duration > instruments.max_seconds:
            print(f" [!] this task asks for {duration:g} s of work; "
                  f"doing {instruments.max_seconds:g} s (--max-seconds)")
            duration = instruments.max_seconds
        return sleep(self, duration)

    def traced_channel(self, *args, **kwargs):
        # Which node this connection reached (lesson 6's clients know several).
        params = self._impl.params
        record(CONNECTED, name, detail=f"{params.host}:{params.port}")
        return open_channel(self, *args, **kwargs)

    def traced_start_consuming(self, *args, **kwargs):
        try:
            return start_consuming(self, *args, **kwargs)
        except pika.exceptions.AMQPConnectionError:
            record(DISCONNECTED, name)
            raise

    def traced_publish(self, exchange, routing_key, body, properties=None, mandatory=False):
        try:
            publish(self, exchange, routing_key, body, properties, mandatory)
        except pika.exceptions.AMQPConnectionError:
            record(DISCONNECTED, name)
            raise
        if self._delivery_confirmation:  # basic_publish returned: the broker confirmed it
            record(PUBLISHED, name, task_id(properties.message_id if properties else None, body),
                   task_label(body))

    BlockingConnection.channel = traced_channel
    BlockingChannel.start_consuming = traced_start_consuming
    BlockingChannel.basic_publish = traced_publish
    BlockingChannel.basic_qos = traced_qos
    BlockingChannel.basic_consume = traced_consume
    BlockingChannel.basic_ack = traced_ack
    BlockingConnection.sleep = capped_sleep


def supervise(start: Callable[[], None], instruments: Instruments) -> None:
    """Run ``start`` (a worker's main); after losing the broker, run it again.

    A worker that had not yet consumed when it failed is not retried: that
    is a mistake to report (wrong URL, a refused declare), not an outage.
    """
    deadline: Optional[float] = None
    while True:
        instruments.consumed = False
        try:
            start()
        except (pika.exceptions.AMQPConnectionError, WorkQueueError):
            if instruments.consumed:  # lost the broker while working: try again from the top
                print(" [!] Connection lost; reconnecting")
                deadline = time.monotonic() + instruments.reconnect_seconds
            elif deadline is None or time.monotonic() > deadline:
                if deadline is not None:
                    raise WorkQueueError(
                        "lost the connection to RabbitMQ and could not reconnect within "
                        f"{instruments.reconnect_seconds:g} s") from None
                raise
            time.sleep(0.5)
            continue
        if instruments.consumed:
            print(" [*] The broker cancelled this consumer (was the queue deleted?)")
        return


def run_worker(main: Callable[[], None]) -> None:
    """Run the package's worker (``python -m workqueue_helpers.worker``) under the instruments."""
    instruments = Instruments.from_worker_options(worker_options())
    install(instruments)
    run_program(lambda: supervise(main, instruments))


def run_cluster_program(main: Callable[[], None]) -> None:
    """Run lesson 6's worker or producer under the instruments. They reconnect by
    themselves, so there is no ``supervise`` around them."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--name", default="worker")
    parser.add_argument("--max-seconds", type=float, default=60.0)
    known, _ = parser.parse_known_args()
    install(Instruments(name=known.name, max_seconds=known.max_seconds))
    run_program(main)


def main(argv: Optional[list] = None) -> None:
    """Run a learner's worker file under the instruments (the exercises use this)."""
    parser = argparse.ArgumentParser(description="Run a worker file under the notebook's instruments.")
    parser.add_argument("script", help="the worker's .py file")
    parser.add_argument("--name", default="worker")
    parser.add_argument("--reconnect-seconds", type=float, default=60.0)
    parser.add_argument("--once", action="store_true",
                        help="run the file once, not again after a lost connection (lesson 6's "
                             "exercise: the file must reconnect by itself)")
    args = parser.parse_args(argv)
    instruments = Instruments(name=args.name, reconnect_seconds=args.reconnect_seconds)
    install(instruments)
    sys.argv = [args.script]

    def start() -> None:
        runpy.run_path(args.script, run_name="__main__")

    run_program(start if args.once else lambda: supervise(start, instruments))


if __name__ == "__main__":
    main()

