"""Run one of the tutorial's programs under the notebook's instruments, outside its code.

    python -m workqueue_helpers.harness --name worker1 notebooks/programs/step2/worker.py
    python -m workqueue_helpers.harness --name producer notebooks/programs/step1/new_task.py Hello...

Every child the notebook starts runs here: the step programs, the learner's
own files, and the command line's ``worker`` and ``new_task``. The program
itself stays the tutorial's few lines; it reads its broker, queue and seconds
per dot from the environment (see ``programs.py``). Around it, this module adds:

- **events** for the notebook's timeline (``record/events.py``), taken from
  the pika calls the program makes: ``channel()`` (which node it reached),
  ``queue_declare``, ``basic_qos``, ``basic_consume``, each delivery to its
  callback, ``basic_ack``, ``basic_publish``, ``close()``, a connection lost;
- **reconnecting** after the broker goes away, by running the program again,
  as a service manager restarts a worker that exits (systemd's
  ``Restart=on-failure``); not with ``--once`` (lesson 6's programs
  reconnect by themselves);
- **settings a demo varies**, each named where a lesson uses it: the
  prefetch (``--prefetch``), a classic queue in place of the quorum queue
  (``--queue-type``), a dead-letter queue (``--dead-letter-queue``), a
  producer's pace (``--interval``);
- lesson 2's **deliberate mistakes** (``--forget-ack``, ``--reject-if``) and
  a cap on one task's work (``--max-seconds``);
- **one line** for an error, never a traceback or a password.

It does this by wrapping methods of pika's ``BlockingChannel`` and
``BlockingConnection`` (and ``time.sleep`` inside a callback), in the
program's own process only.
"""

from __future__ import annotations

import argparse
import inspect
import os
import runpy
import sys
import time
import traceback
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Tuple

import pika
import pika.exceptions
from pika.adapters.blocking_connection import BlockingChannel, BlockingConnection

from workqueue_helpers.connection import (QUORUM_QUEUE_ARGUMENTS, OneLineParser, WorkQueueError,
                                          non_negative_seconds, queue_name, run_program,
                                          task_queue_arguments)
from workqueue_helpers.record.events import (ACKED, AUTO_ACK, CLOSED, CONNECTED, CONSUMING, DECLARED,
                                             DISCONNECTED, DONE, PUBLISHED, QOS, RECEIVED,
                                             REJECTED, STANDBY, WRONG_CHANNEL, WRONG_TAG, record, task_id,
                                             task_label)

MAX_PREFETCH = 65535  # prefetch_count is a 16-bit number in AMQP


@dataclass
class Instruments:
    """What the harness adds around one program's process."""

    name: str = "worker"
    once: bool = False
    max_seconds: float = 60.0
    reconnect_seconds: float = 60.0
    prefetch: Optional[int] = None          # the consumer's prefetch_count, whatever the program says
    queue_type: Optional[str] = None        # "classic": declare the task queue as one
    dead_letter_queue: Optional[str] = None
    interval: float = 0.0                   # seconds to wait before each publish (a paced producer)
    forget_ack: bool = False
    reject_if: Optional[bytes] = None
    requeue: bool = True
    standby: bool = False                   # wait for a line on stdin before the program runs
    consumed: bool = False  # has a consumer been registered since the last (re)start?


def install(instruments: Instruments, task_queue: str) -> None:
    """Wrap pika's blocking channel so that each call the program makes is recorded."""
    consume, ack, qos, declare = (BlockingChannel.basic_consume, BlockingChannel.basic_ack,
                                  BlockingChannel.basic_qos, BlockingChannel.queue_declare)
    open_channel, start_consuming, publish = (BlockingConnection.channel,
                                              BlockingChannel.start_consuming,
                                              BlockingChannel.basic_publish)
    close = BlockingConnection.close
    sleep = time.sleep
    name = instruments.name
    tasks: Dict[Tuple[int, int], str] = {}  # (channel, delivery tag) -> task id
    in_callback = [False]
    qos_called = [False]
    delivery: list = [None]  # (channel, delivery tag) of the delivery whose callback runs

    def traced_declare(self, *args, **kwargs):
        call = _bound(declare, self, args, kwargs)
        if call is None:  # a call pika will refuse: let pika say why
            return declare(self, *args, **kwargs)
        queue = call.arguments["queue"]
        if queue == task_queue:
            if instruments.dead_letter_queue:
                declare(self, instruments.dead_letter_queue, durable=True, arguments=QUORUM_QUEUE_ARGUMENTS)
            # The program's own arguments; a classic queue only where the notebook asks for one.
            call.arguments["arguments"] = task_queue_arguments(
                call.arguments["arguments"], "classic" if instruments.queue_type == "classic" else None,
                instruments.dead_letter_queue)
        record(DECLARED, name, label=queue, detail=_declared(call.arguments))
        return declare(*call.args, **call.kwargs)

    def traced_qos(self, *args, **kwargs):
        call = _bound(qos, self, args, kwargs)
        if call is None:  # a call pika will refuse (say, prefetch=1): let pika say why
            return qos(self, *args, **kwargs)
        qos_called[0] = True
        if instruments.prefetch is not None:
            call.arguments["prefetch_count"] = instruments.prefetch
        after = " after basic_consume" if self._consumer_infos else ""
        size = call.arguments["prefetch_size"]
        record(QOS, name, detail=f"prefetch_count={call.arguments['prefetch_count']}{after}"
                                 + (f" prefetch_size={size}" if size else ""))
        return qos(*call.args, **call.kwargs)

    def traced_consume(self, *args, **kwargs):
        call = _bound(consume, self, args, kwargs)
        if call is None:  # a call pika will refuse (say, pika 0.x's): let pika say why
            return consume(self, *args, **kwargs)
        callback, auto_ack = call.arguments["on_message_callback"], call.arguments["auto_ack"]
        if not callable(callback):  # pika raises its own clear error for this
            return consume(*call.args, **call.kwargs)
        if instruments.prefetch is not None and not qos_called[0]:
            traced_qos(self, prefetch_count=instruments.prefetch)

        def traced_callback(ch, method, properties, body):
            task = task_id(properties.message_id, body)
            tasks[(ch.channel_number, method.delivery_tag)] = task
            record(RECEIVED, name, task, task_label(body), method.redelivered)
            if instruments.reject_if is not None and instruments.reject_if in body:
                reject(ch, method, body, task)
                return
            in_callback[0], delivery[0] = True, (ch.channel_number, method.delivery_tag)
            try:
                callback(ch, method, properties, body)
            finally:
                in_callback[0], delivery[0] = False, None
            record(DONE, name, task, detail=AUTO_ACK if auto_ack else "")

        call.arguments["on_message_callback"] = traced_callback
        tag = consume(*call.args, **call.kwargs)
        instruments.consumed = True
        record(CONSUMING, name, detail=AUTO_ACK if auto_ack else "")
        return tag

    def reject(ch, method, body: bytes, task: str) -> None:
        capped_sleep(body.count(b".") * float(os.environ.get("SECONDS_PER_DOT", "1")))
        print(" [!] Cannot do this task: rejected" + (", requeued" if instruments.requeue else ""))
        ch.basic_reject(delivery_tag=method.delivery_tag, requeue=instruments.requeue)
        record(REJECTED, name, task, detail=str(instruments.requeue))

    def traced_ack(self, *args, **kwargs):
        call = _bound(ack, self, args, kwargs)
        if call is None:  # a call pika will refuse: let pika say why
            return ack(self, *args, **kwargs)
        if instruments.forget_ack:
            return None
        tag = call.arguments["delivery_tag"]
        key = (self.channel_number, tag)
        current = delivery[0]
        if current is not None and key != current and current in tasks:
            # Inside the callback, an ack for another delivery than this one: the broker
            # answers 406 "unknown delivery tag" (or acks the wrong task); this one stays unacked.
            wrong = WRONG_CHANNEL if key[0] != current[0] else WRONG_TAG
            record(ACKED, name, None, detail=wrong)
        elif key not in tasks and any(known == tag for _, known in tasks):
            record(ACKED, name, None, detail=WRONG_CHANNEL)
        elif key in tasks or not call.arguments["multiple"]:
            record(ACKED, name, tasks.pop(key, None))
        else:  # multiple=True: every task up to this tag
            for known in sorted(k for k in tasks if k[0] == key[0] and k[1] <= tag):
                record(ACKED, name, tasks.pop(known))
        # Recorded before the ack: a kill must not hide it. An ack that cannot be sent
        # raises here, inside the callback; DONE is then never recorded.
        return ack(*call.args, **call.kwargs)

    def capped_sleep(seconds: float) -> None:
        if in_callback[0] and seconds > instruments.max_seconds:
            print(f" [!] this task asks for {seconds:g} s of work; "
                  f"doing {instruments.max_seconds:g} s (the harness's --max-seconds)")
            seconds = instruments.max_seconds
        sleep(seconds)

    def traced_channel(self, *args, **kwargs):
        # Which node this connection reached (lesson 6's programs know several).
        params = self._impl.params
        qos_called[0] = False  # a new channel: the program's basic_qos comes again
        record(CONNECTED, name, detail=f"{params.host}:{params.port}")
        return open_channel(self, *args, **kwargs)

    def traced_close(self, *args, **kwargs):
        if self.is_open:  # the program closes its connection itself (a producer's last line)
            record(CLOSED, name)
        return close(self, *args, **kwargs)

    def traced_start_consuming(self, *args, **kwargs):
        try:
            return start_consuming(self, *args, **kwargs)
        except pika.exceptions.AMQPConnectionError:
            record(DISCONNECTED, name)
            raise

    def traced_publish(self, *args, **kwargs):
        call = _bound(publish, self, args, kwargs)
        if call is None:  # a call pika will refuse (say, delivery_mode=...): let pika say why
            return publish(self, *args, **kwargs)
        exchange, routing_key, body, properties = (
            call.arguments[key] for key in ("exchange", "routing_key", "body", "properties"))
        if instruments.interval:
            self.connection.sleep(instruments.interval)
        try:
            publish(*call.args, **call.kwargs)
        except pika.exceptions.AMQPConnectionError:
            record(DISCONNECTED, name)
            raise
        # basic_publish returned: with confirms, the broker has the task; without, it is sent.
        data = body.encode("utf-8") if isinstance(body, str) else bytes(body)
        record(PUBLISHED, name, task_id(properties.message_id if properties else None, data),
               task_label(data), detail=f"{exchange}|{routing_key}|"
               f"{properties.delivery_mode if properties else None}|"
               f"{'confirmed' if self._delivery_confirmation else 'sent'}")

    BlockingConnection.channel = traced_channel
    BlockingConnection.close = traced_close
    BlockingChannel.queue_declare = traced_declare
    BlockingChannel.start_consuming = traced_start_consuming
    BlockingChannel.basic_publish = traced_publish
    BlockingChannel.basic_qos = traced_qos
    BlockingChannel.basic_consume = traced_consume
    BlockingChannel.basic_ack = traced_ack
    time.sleep = capped_sleep


def _bound(method: Callable, self, args: tuple, kwargs: dict) -> Optional[inspect.BoundArguments]:
    """A call's arguments as pika's ``method`` takes them, defaults included; None for a
    call pika would refuse (its own TypeError then names the method, not the harness)."""
    try:
        call = inspect.signature(method).bind(self, *args, **kwargs)
    except TypeError:
        return None
    call.apply_defaults()
    return call


def _declared(arguments: dict) -> str:
    """How a queue_declare call is recorded: ``durable=True x-queue-type=quorum``
    (and ``passive=True`` or ``exclusive=True`` where the call says so)."""
    parts = [f"durable={bool(arguments.get('durable'))}"]
    parts += [f"{flag}=True" for flag in ("passive", "exclusive", "auto_delete") if arguments.get(flag)]
    parts += [f"{key}={value}" for key, value in sorted((arguments.get("arguments") or {}).items())]
    return " ".join(parts)


def supervise(start: Callable[[], None], instruments: Instruments) -> None:
    """Run ``start`` (the program); after losing the broker, run it again.

    A program that had not yet consumed when it failed is not retried: that
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
            _sleep(0.5)
            continue
        if instruments.consumed:
            print(" [*] The broker cancelled this consumer (was the queue deleted?)")
        return


_sleep = time.sleep  # the harness's own pauses, never capped


def run(program: str, program_args: List[str], instruments: Instruments) -> None:
    """Run ``program`` as ``python PROGRAM ARGS...`` would, under the instruments;
    every error ends the process with one line."""
    install(instruments, os.environ.get("TASK_QUEUE", ""))
    sys.argv = [program, *program_args]

    def start() -> None:
        runpy.run_path(program, run_name="__main__")

    def main() -> None:
        if instruments.standby:  # started ahead of its turn: Python and pika are loaded already
            record(STANDBY, instruments.name)
            if not sys.stdin.readline():
                return  # the notebook closed the pipe without releasing it: run nothing
        try:
            start() if instruments.once else supervise(start, instruments)
        except (KeyboardInterrupt, pika.exceptions.AMQPError, WorkQueueError, SystemExit):
            raise
        except Exception as error:  # the program's own mistake: where, and what
            raise WorkQueueError(_where_it_failed(program, error)) from None

    # On a cluster (RABBITMQ_URLS), no one address is named when none answers.
    run_program(main, where_to="" if os.environ.get("RABBITMQ_URLS")
                else os.environ.get("RABBITMQ_URL", "amqp://localhost"))


def _where_it_failed(program: str, error: Exception) -> str:
    """``worker.py line 19, in callback: TypeError: ...``: the program's deepest frame."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__)
              if os.path.abspath(frame.filename) == os.path.abspath(program)]
    where = (f"{os.path.basename(program)} line {frames[-1].lineno}, in {frames[-1].name}: "
             if frames else "")
    return f"{where}{type(error).__name__}: {error}"


def harness_options(parser: argparse.ArgumentParser) -> None:
    """The harness's options, shared with the command line's worker."""
    parser.add_argument("--name", default="worker", help="name used in the notebook's records")
    parser.add_argument("--max-seconds", type=non_negative_seconds, default=60.0,
                        help="longest a single task may work (default 60)")
    parser.add_argument("--reconnect-seconds", type=non_negative_seconds, default=60.0,
                        help="how long to keep trying after losing the broker (default 60)")


def prefetch_count(text: str) -> int:
    """An argparse type: a prefetch_count, 0 (no limit) to 65535."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 0 <= value <= MAX_PREFETCH:
        raise argparse.ArgumentTypeError(f"must be from 0 (no limit) to {MAX_PREFETCH} "
                                         "(prefetch_count is a 16-bit number in AMQP)")
    return value


def main(argv: Optional[List[str]] = None) -> None:
    parser = OneLineParser(description="Run a tutorial program under the notebook's instruments.")
    harness_options(parser)
    parser.add_argument("--once", action="store_true",
                        help="run the program once, not again after a lost connection")
    parser.add_argument("--prefetch", type=prefetch_count,
                        help="the consumer's prefetch_count, whatever the program asks")
    parser.add_argument("--queue-type", choices=["classic"],
                        help="declare the task queue as a classic queue (a contrast)")
    parser.add_argument("--dead-letter-queue", type=queue_name,
                        help="rejected tasks go to this queue")
    parser.add_argument("--interval", type=non_negative_seconds, default=0.0,
                        help="wait this long before each publish (a producer at a steady pace)")
    parser.add_argument("--forget-ack", action="store_true",
                        help="lesson 2's mistake: never send the program's acks")
    parser.add_argument("--reject-if", metavar="TEXT",
                        help="lesson 2: reject each task whose message contains TEXT")
    parser.add_argument("--no-requeue", dest="requeue", action="store_false",
                        help="a rejected task is not put back in the queue")
    parser.add_argument("--standby", action="store_true",
                        help="start now, but run the program only once a line comes on stdin")
    parser.add_argument("program", help="the program's .py file")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="the program's own arguments")
    args = parser.parse_args(argv)
    instruments = Instruments(
        name=args.name, once=args.once, max_seconds=args.max_seconds,
        reconnect_seconds=args.reconnect_seconds, prefetch=args.prefetch,
        queue_type=args.queue_type, dead_letter_queue=args.dead_letter_queue,
        interval=args.interval, forget_ack=args.forget_ack,
        reject_if=args.reject_if.encode() if args.reject_if else None,
        requeue=args.requeue, standby=args.standby)
    run(args.program, args.args, instruments)


if __name__ == "__main__":
    main()
