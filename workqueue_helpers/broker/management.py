"""RabbitMQ's management UI beside the notebook: where it is, and a link to a queue's page.

The management plugin serves a web UI and an HTTP API on one port (15672
by default; a private node of the lessons gets a free loopback port). A link
to a queue's page looks like ``http://127.0.0.1:15672/#/queues/%2F/lesson01.tasks``:
the part after ``#`` is read by the UI in the browser, which then asks the
API at ``/api/queues/%2F/lesson01.tasks``. Links never hold a password; the
UI asks for the user and password of the broker's URL.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Optional

HOW_TO_ENABLE = ("No management UI on this broker: `rabbitmq-plugins enable rabbitmq_management` "
                 "turns it on (port 15672), and the compose file's image has it already.")


def queue_page(base: str, vhost: str, queue: str) -> str:
    """The UI's page for ``queue`` in ``vhost``: its ready and unacked counts, consumers and messages."""
    return f"{base}/#/queues/{_quote(vhost)}/{_quote(queue)}"


def api_address(page: str) -> str:
    """The HTTP API address behind a UI page link (``.../#/queues/v/q`` -> ``.../api/queues/v/q``)."""
    base, _, path = page.partition("/#/")
    return f"{base}/api/{path}"


def answers(base: str, user: str, password: str, timeout: float = 1.0) -> bool:
    """True if the management API at ``base`` answers these credentials now."""
    try:
        get_json(f"{base}/api/overview", user, password, timeout)
        return True
    except (OSError, ValueError):
        return False


def get_json(address: str, user: str, password: str, timeout: float = 3.0,
             body: Optional[dict] = None) -> Any:
    """GET (or, with ``body``, POST) ``address`` with basic auth; the decoded JSON answer.

    Raises urllib.error.HTTPError (an OSError) for an HTTP error status.
    """
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(address, data=data)
    token = base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
    request.add_header("Authorization", f"Basic {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy
    with opener.open(request, timeout=timeout) as response:
        return json.load(response)


def peek_messages(page: str, user: str, password: str, count: int = 10) -> list:
    """The bodies of up to ``count`` messages at the head of the queue a page link names,
    put back where they were (the UI's "Get messages" with "Nack message requeue true")."""
    answer = get_json(f"{api_address(page)}/get", user, password,
                      body={"count": count, "ackmode": "ack_requeue_true",
                            "encoding": "auto", "truncate": 50000})
    return [message["payload"] for message in answer]


def _quote(name: str) -> str:
    return urllib.parse.quote(name, safe="")
