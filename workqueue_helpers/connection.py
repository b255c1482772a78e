"""The notebook's way to reach RabbitMQ: connect, declare the task queue, explain a refusal in one line.

The package connects here (the publisher, the queue counts, the broker
checks), and ``run_program`` ends every program the harness runs, so that a
wrong URL, a wrong password or a queue declared differently gives the same
clear message in a terminal, in a notebook and in the tests. The tutorial's
programs themselves connect as the tutorial does.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
from typing import Callable, Optional
from urllib.parse import unquote, urlsplit

import pika
import pika.exceptions
from pika.adapters.utils.connection_workflow import AMQPConnectorException

DEFAULT_URL = "amqp://guest:guest@localhost:5672/%2F"
DEFAULT_QUEUE = "task_queue"


class WorkQueueError(Exception):
    """A problem a learner can fix; its message is one line with no password."""


class BrokerError(WorkQueueError):
    """A problem with the broker itself: it cannot be found, started, restarted or asked."""


def default_url() -> str:
    """``RABBITMQ_URL`` from the environment, else the local guest broker."""
    return os.environ.get("RABBITMQ_URL") or DEFAULT_URL


def one_line(text: str) -> str:
    """``text`` as one line for a learner: whitespace and line breaks collapsed,
    and the password of anything shaped like ``user:password@host`` masked."""
    return " ".join(_without_password(word) for word in text.split())


def _without_password(word: str) -> str:
    """``amqp://user:secret@host`` -> ``amqp://user:***@host`` (also without a scheme)."""
    at = word.rfind("@")
    scheme_end = word.find("://")
    start = scheme_end + 3 if 0 <= scheme_end < at else 0
    colon = word.find(":", start, at) if at > 0 else -1
    return word if colon < 0 else f"{word[:colon + 1]}***{word[at:]}"


def where(url: str) -> str:
    """``user@host:port (vhost ...)`` for messages: the URL without its password."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None:
        port = 5671 if parts.scheme == "amqps" else 5672
    user = unquote(parts.username) if parts.username else "guest"
    vhost = unquote(parts.path[1:]) if len(parts.path) > 1 else "/"
    return one_line(f"{user}@{host}:{port} (vhost {vhost!r})")


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose mistakes are one line (``prog: error: ...``), exit code 2,
    and never a password (argparse would echo a misplaced URL back)."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {one_line(message)}\n")


def queue_name(text: str) -> str:
    """An argparse type: a queue name AMQP can carry (1 to 255 bytes of UTF-8)."""
    if not text:
        raise argparse.ArgumentTypeError("a queue name cannot be empty")
    if len(text.encode("utf-8", "surrogateescape")) > 255:
        raise argparse.ArgumentTypeError("a queue name is at most 255 bytes long in AMQP")
    return text


def non_negative_seconds(text: str) -> float:
    """An argparse type: a finite number of seconds, 0 or more."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"must be a finite number, 0 or more, not {text!r}")
    return value


def url_parameters(url: str) -> pika.URLParameters:
    """pika's parameters for an ``amqp://`` or ``amqps://`` URL; WorkQueueError for anything else."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in ("amqp", "amqps"):
        raise WorkQueueError("not an AMQP URL: it must start with amqp:// or amqps:// "
                             "(for example amqp://guest:guest@localhost:5672/%2F)")
    try:
        return pika.URLParameters(url)
    except Exception as error:  # pika raises several types for a bad URL
        raise WorkQueueError(f"not a valid AMQP URL ({type(error).__name__}); "
                             "expected amqp://user:password@host:port/vhost") from None


def connect(url: str, timeout: Optional[float] = None) -> pika.BlockingConnection:
    """Open a connection (one attempt), or raise WorkQueueError saying what went wrong.

    ``timeout``: give up after about that many seconds (default: pika's own).
    This is the one place where a connection is opened, and where a refusal
    becomes one line without a password.
    """
    parameters = url_parameters(url)
    parameters.connection_attempts = 1
    if timeout is not None:
        parameters.socket_timeout = timeout
        parameters.stack_timeout = timeout
    try:
        return pika.BlockingConnection(parameters)
    except pika.exceptions.ProbableAuthenticationError:
        raise WorkQueueError(f"RabbitMQ at {where(url)} refused the user name or password") from None
    except pika.exceptions.ProbableAccessDeniedError:
        raise WorkQueueError(f"RabbitMQ at {where(url)} denied access to the vhost") from None
    # A node that accepts the TCP connection but does not finish the AMQP handshake in time
    # (a node still booting on a busy machine) raises AMQPConnectorStackTimeout, which is
    # not an AMQPError.
    except (pika.exceptions.AMQPError, AMQPConnectorException, OSError, ValueError):
        raise WorkQueueError(
            f"cannot reach RabbitMQ at {where(url)}; start one with "
            "'docker compose up -d' or 'rabbitmq-server -detached', or set RABBITMQ_URL") from None


# How the official tutorial declares its queue today, and so the dead-letter queues too.
QUORUM_QUEUE_ARGUMENTS = {"x-queue-type": "quorum"}


def task_queue_arguments(arguments: Optional[dict], queue_type: Optional[str] = None,
                         dead_letter_queue: Optional[str] = None) -> Optional[dict]:
    """The one place a task queue's arguments are built: ``arguments`` (a program's own,
    or none) with the type ``queue_type`` ("classic" removes x-queue-type; None keeps the
    program's) and, with ``dead_letter_queue``, rejected messages moved there. None if empty."""
    result = dict(arguments or {})
    if queue_type == "classic":
        result.pop("x-queue-type", None)
    elif queue_type is not None:
        result["x-queue-type"] = queue_type
    if dead_letter_queue:
        result.update({"x-dead-letter-exchange": "", "x-dead-letter-routing-key": dead_letter_queue})
    return result or None


def declare_task_queue(channel, queue: str, durable: bool = True, queue_type: str = "quorum",
                       dead_letter_queue: Optional[str] = None) -> None:
    """Declare ``queue``; explain a clash with an existing queue's arguments.

    With ``dead_letter_queue``, a message rejected without requeue (or dropped
    by a quorum queue's delivery limit) is moved to that queue, declared here too.
    """
    try:
        if dead_letter_queue:
            channel.queue_declare(queue=dead_letter_queue, durable=True, arguments=QUORUM_QUEUE_ARGUMENTS)
        channel.queue_declare(queue=queue, durable=durable,
                              arguments=task_queue_arguments(None, queue_type, dead_letter_queue))
    except (pika.exceptions.ChannelClosedByBroker, pika.exceptions.ConnectionClosedByBroker) as error:
        raise WorkQueueError(explain_broker_refusal(error.reply_code, error.reply_text)) from None


_INEQUIVALENT = re.compile(
    r"inequivalent arg '(?P<arg>[^']+)' for queue '(?P<queue>[^']*)'.*?: "
    r"received (?P<received>.+?) but current is (?P<current>.+)$")


def _value(text: str) -> str:
    """'true' -> true; the value 'quorum' of type 'longstr' -> quorum; none -> (not set)."""
    quoted = re.search(r"'([^']*)'", text)
    if quoted:
        return quoted.group(1)
    return "(not set)" if text.strip() == "none" else text.strip()


def explain_broker_refusal(code: int, text: str) -> str:
    """Turn a channel error from the broker into one line a learner can act on."""
    match = _INEQUIVALENT.search(text)
    if code == 406 and match:
        arg, queue = match["arg"], match["queue"]
        return (f"queue '{queue}' already exists with {arg}={_value(match['current'])}, "
                f"but this program declared {arg}={_value(match['received'])}; "
                f"use the same options as whoever declared it, or delete the queue")
    if code == 541 and "transient_nonexcl_queues" in text:
        return ("this broker refuses non-durable queues that are not exclusive (the default "
                "from RabbitMQ 4.3 on); declare the queue durable")
    return f"RabbitMQ refused: {code} {text}"


def close_quietly(connection: Optional[pika.BlockingConnection]) -> None:
    """Close a connection that may already be closed or broken."""
    if connection is None:
        return
    try:
        if connection.is_open:
            connection.close()
    except Exception:
        pass


def run_program(main: Callable[[], None], where_to: str = "") -> None:
    """Run a program's ``main``: CTRL+C exits 0; a refusal or a mistake exits 1
    with one line on stderr and no password, never a traceback.

    ``where_to``: the broker's URL, named (without its password) when it cannot be reached.
    """
    try:
        main()
    except KeyboardInterrupt:
        print("Interrupted")
        sys.exit(0)
    except (pika.exceptions.ChannelClosedByBroker,
            pika.exceptions.ConnectionClosedByBroker) as error:
        sys.exit(f"error: {one_line(explain_broker_refusal(error.reply_code, error.reply_text))}")
    except (pika.exceptions.UnroutableError, pika.exceptions.NackError) as error:
        sys.exit(f"error: the broker did not take the message ({type(error).__name__})")
    except WorkQueueError as error:
        sys.exit(f"error: {one_line(str(error))}")
    except pika.exceptions.ProbableAuthenticationError:
        sys.exit(f"error: RabbitMQ{_at(where_to)} refused the user name or password")
    except pika.exceptions.ProbableAccessDeniedError:
        sys.exit(f"error: RabbitMQ{_at(where_to)} denied access to the vhost")
    except pika.exceptions.StreamLostError:
        sys.exit("error: lost the connection to RabbitMQ (StreamLostError)")
    except pika.exceptions.AMQPConnectionError:
        if where_to:
            sys.exit(f"error: cannot reach RabbitMQ at {where(where_to)}; start one with "
                     "'docker compose up -d' or 'rabbitmq-server -detached', or set RABBITMQ_URL")
        sys.exit("error: cannot reach RabbitMQ at any of the addresses given")
    except pika.exceptions.AMQPError as error:
        sys.exit(f"error: {type(error).__name__}: {one_line(str(error))}")


def _at(url: str) -> str:
    return f" at {where(url)}" if url else ""
