"""Lesson 6a's claims: a classic queue lives on one node; while that node is down, the
tutorial's programs get nothing through another node, and the tasks come back with it."""

from __future__ import annotations

from workqueue_helpers.broker.cluster import Cluster
from workqueue_helpers.claims import claim
from workqueue_helpers.demo.classic_contrast import ClassicOutage


def check_yourself(classic: ClassicOutage, cluster: Cluster) -> None:
    """Check lesson 6a's claims on its run and print them."""
    claim("with {home} down, new_task.py's task did not reach the queue and "
          "worker.py received nothing",
          not classic.producer_sent and not classic.worker_received, classic, home=classic.home)
    if cluster.disconnected_timeout is None:   # before 4.3 (measured on 3.10): refused at once
        answer = ("404" in classic.producer.last_line and "404" in classic.worker.last_line
                  and classic.producer.exit_code == 1 and classic.worker.exit_code == 1)
    else:                                      # RabbitMQ 4.3: no answer in the time given
        answer = classic.producer.exit_code is None and classic.worker.exit_code is None
    claim("each got this RabbitMQ version's answer (404 NOT_FOUND at once before 4.3; "
          "no answer within the {limit:g} s from 4.3)",
          answer, (classic.producer, classic.worker), limit=classic.limit)
    claim("once {home} ran again, all {published} tasks were back in the queue",
          classic.back == classic.published == 5, classic.back,
          home=classic.home, published=classic.published)
