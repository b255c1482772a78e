"""The events a worker reports to the notebook: what happened, when.

A worker started by the notebook gets an extra pipe, whose file descriptor is
in the environment variable ``WORKQUEUE_EVENTS_FD``. It writes one JSON object
per line to it. Run from a terminal, the variable is unset and ``record``
does nothing, so the worker's screen shows only the tutorial's lines.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass
from typing import Optional

EVENTS_FD_VARIABLE = "WORKQUEUE_EVENTS_FD"

# Kinds of event, in the order they usually happen.
# the task was sent; confirmed, if confirms are on
#     (task, label, detail="exchange|routing key|delivery mode|confirmed or sent")
PUBLISHED = "published"
# a program declared a queue (worker, label=queue, detail="durable=True x-queue-type=quorum")
DECLARED = "declared"
# a worker called basic_qos (worker, detail="prefetch_count=N[ after basic_consume]")
QOS = "qos"
CONSUMING = "consuming"    # a worker's consumer is registered        (worker, detail="auto-ack"?)
RECEIVED = "received"      # a worker got a task and starts on it     (worker, task, label, redelivered)
DONE = "done"              # a worker finished the task's work        (worker, task, detail="auto-ack"?)
ACKED = "acked"            # a worker acknowledges the task (recorded just before the ack) (worker, task)
REJECTED = "rejected"      # a worker rejected the task               (worker, task, detail=requeue)
DISCONNECTED = "disconnected"  # a worker lost its connection; it reconnects (worker)
KILLED = "killed"          # the notebook sent SIGKILL to a worker    (worker)
STOPPED = "stopped"        # the notebook asked a worker to stop (CTRL+C) (worker)
EXITED = "exited"          # a worker process ended                   (worker, detail=exit code)
BROKER_DOWN = "broker_down"  # the broker stopped or crashed
BROKER_UP = "broker_up"      # the broker answers again
BROKER_AWAY = "broker_away"  # a restart under way: the broker stopped answering new connections
CONNECTED = "connected"      # a worker or the producer connected to a node   (worker, detail="host:port")
NODE_DOWN = "node_down"      # the notebook killed one node of a cluster      (detail=node's short name)
NODE_UP = "node_up"          # that node runs in the cluster again            (detail=node's short name)
CLOSED = "closed"            # a program closed its connection (connection.close())   (worker)
STANDBY = "standby"          # a worker started ahead waits for Run.release; not in the timeline (worker)

KINDS = (PUBLISHED, DECLARED, QOS, CONSUMING, RECEIVED, DONE, ACKED, REJECTED, DISCONNECTED, KILLED, STOPPED,
         EXITED, BROKER_DOWN, BROKER_AWAY, BROKER_UP, CONNECTED, NODE_DOWN, NODE_UP, CLOSED, STANDBY)
PRODUCER = "producer"  # the name a producer process reports its events under (it is not a worker)
AUTO_ACK = "auto-ack"  # the detail of a DONE event when the worker consumes with auto_ack=True
WRONG_CHANNEL = "on another channel"  # the detail of an ACKED event sent on the wrong channel
WRONG_TAG = "another delivery tag"    # the detail of an ACKED event whose tag is not the delivery's


@dataclass(frozen=True)
class Event:
    """One thing that happened at time ``t`` (seconds, ``time.time()``)."""

    t: float
    kind: str
    worker: Optional[str] = None
    task: Optional[str] = None   # the task's identity: its message_id (see ``task_id``)
    label: Optional[str] = None  # how the task is shown: its text (see ``task_label``)
    redelivered: bool = False
    detail: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=True)

    @classmethod
    def from_json(cls, line: str) -> "Event":
        data = json.loads(line)
        if data.get("kind") not in KINDS:
            raise ValueError(f"unknown event kind: {data.get('kind')!r}")
        return cls(**data)


MAX_LABEL = 80


def task_id(message_id: Optional[str], body: bytes) -> str:
    """A task's identity: the AMQP ``message_id`` its producer set, else a digest of its body.

    Two tasks with the same text are still two tasks when their producer gives
    them ids (the notebook's publisher does); without one, equal bodies look alike.
    """
    if message_id:
        return message_id
    return "sha1:" + hashlib.sha1(body).hexdigest()[:16]


def task_label(body: bytes) -> str:
    """How a message body is named in tables: its text, or its bytes' repr.

    A body longer than ``MAX_LABEL`` characters is shortened, with its length.
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = repr(body)
    return _shortened(text, len(body))


def quoted(label: str) -> str:
    """A task label (see ``task_label``) as the worker prints its message: 'text' in
    quotes; a bytes label as is."""
    return label if label.startswith("b'") or label.startswith('b"') else repr(label)


def _shortened(text: str, size: int) -> str:
    """``text`` cut to ``MAX_LABEL`` characters, saying how many bytes the whole has."""
    if len(text) > MAX_LABEL:
        return f"{text[:MAX_LABEL - 20]}... ({size} bytes)"
    return text


def record(kind: str, worker: Optional[str] = None, task: Optional[str] = None,
           label: Optional[str] = None, redelivered: bool = False, detail: str = "") -> None:
    """Report an event to the notebook, if one is listening; else do nothing."""
    fd = os.environ.get(EVENTS_FD_VARIABLE)
    if not fd:
        return
    event = Event(time.time(), kind, worker, task, label, redelivered, detail)
    try:
        os.write(int(fd), (event.to_json() + "\n").encode("ascii"))
    except OSError:
        pass  # the notebook has gone; the worker carries on regardless
