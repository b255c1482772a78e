"""Lesson 6a's claims: a classic queue lives on one node; while that node is down, the
tutorial's programs get nothing through another node, and the tasks come back with it."""

from __future__ import annotations

from workqueue_helpers.broker.cluster import Cluster
from workqueue_helpers.claims import claim
from workqueue_helpers.demo.classic_contrast import ClassicOutage


def check_yourself(classic: ClassicOutage, cluster: Cluster) -> None:
    """Check lesson 6a's claims on its run and print them."""
    claim(f"with {classic.home} down, new_task.py's task did not reach the queue and "
          "worker.py received nothing",
          not classic.producer_sent and not classic.worker_received, classic)
    if cluster.disconnected_timeout is None:   # RabbitMQ 3.x: refused at once, in one line
        answer = ("404" in classic.producer.last_line and "404" in classic.worker.last_line
                  and classic.producer.exit_code == 1 and classic.worker.exit_code == 1)
    else:                                      # RabbitMQ 4.3: no answer in the time given
        answer = classic.producer.exit_code is None and classic.worker.exit_code is None
    claim("RabbitMQ 3.x refused them at once (404 NOT_FOUND); 4.3 left them waiting",
          answer, (classic.producer, classic.worker))
    claim(f"once {classic.home} ran again, all {classic.published} tasks were back in the queue",
          classic.back == classic.published == 5, classic.back)
