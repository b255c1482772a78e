"""Lesson 6's claims: the leader's node killed under load, a new leader, the clients on
another node, nothing lost; the node back as a follower, caught up."""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence

from matplotlib.axes import Axes

from workqueue_helpers.broker.cluster import Cluster, Replica
from workqueue_helpers.claims import claim
from workqueue_helpers.demo.run import Run
from workqueue_helpers.show.chart import chart_text

NODES = ["rabbit1", "rabbit2", "rabbit3"]
ON_RABBIT1 = ["producer", "worker1", "worker4"]  # the clients whose node list starts at rabbit1
MIN_BACKLOG = 20             # tasks confirmed and not done when the node died: "a backlog"
UNAVAILABLE_AT_MOST = 10.0   # seconds from the kill until the queue confirmed and delivered again
AT_ONCE = 3.0                # seconds: "at once" (RabbitMQ before 4.3), election included


def check_yourself(run: Run, cluster: Cluster, tasks: Sequence[str], members: Dict[str, List[str]],
                   killed: str, new_leader: str, nodes_of: Dict[str, List[str]],
                   replicas: Sequence[Replica], ax: Axes) -> None:
    """Check lesson 6's claims on its run and print them."""
    n = len(tasks)
    timeline = run.timeline
    claim("the cluster had three members, all running",
          members == {"disk": NODES, "running": NODES}, members)
    claim("the queue's leader was on rabbit1; after the kill, a follower led it",
          killed == "rabbit1" and new_leader in ("rabbit2", "rabbit3"), (killed, new_leader))
    claim("all {n} tasks were confirmed and completed, none lost",
          len(timeline.published()) == n and len(timeline.completed()) == n
          and timeline.lost() == [], (len(timeline.published()), timeline.lost()), n=n)

    outage, = timeline.node_outages()
    backlog = timeline.backlog_at(outage.down)
    claim("the workers had a backlog when the node died", backlog >= MIN_BACKLOG, backlog)
    claim("the queue confirmed and delivered tasks again within {seconds:g} s of the kill",
          outage.unavailable_until is not None and outage.down < outage.published_again
          and outage.down < outage.received_again
          and outage.unavailable_until - outage.down < UNAVAILABLE_AT_MOST, outage,
          seconds=UNAVAILABLE_AT_MOST)
    bands = [patch for patch in ax.patches if patch.get_gid() == "node-down"]
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    claim("the chart's red band is the outage, and its legend names it",
          len(bands) == 1 and chart_text("node killed: queue unavailable") in legend, (bands, legend))

    on_killed = sorted(name for name, nodes in nodes_of.items() if nodes[0] == killed)
    claim("the producer, worker1 and worker4 (rabbit1 first in their lists) moved to another node",
          on_killed == ON_RABBIT1 and all(nodes[-1] != killed for nodes in nodes_of.values()),
          nodes_of)
    claim("worker2 and worker3 stayed on their nodes",
          all(len(nodes_of[name]) == 1 for name in ["worker2", "worker3"]), nodes_of)
    screens = run.screens()
    claim("worker1 and the producer each printed their '[!] Lost my node' line",
          all("[!] Lost my node" in screens[name] for name in ["worker1", "producer"]),
          {name: screens[name][-300:] for name in ["worker1", "producer"]})

    attempts = timeline.attempts()
    cut = [a for a in attempts if a.outcome == "interrupted"]
    claim("each task held on the dead node (cut short, or done with its ack lost) was "
          "delivered again and done",
          {a.worker for a in cut} <= set(on_killed)
          and all(any(b.task == a.task and b.outcome == "done" and b.start > a.start
                      for b in attempts) for a in cut), cut)
    back_after = [min(b.start for b in attempts if b.task == a.task and b.start > a.start)
                  - outage.down for a in cut]
    timeout: Optional[float] = cluster.disconnected_timeout
    claim("they came back as this RabbitMQ version does it (at once before 4.3; "
          "after consumer_disconnected_timeout from 4.3)",
          all(t < AT_ONCE for t in back_after) if timeout is None
          else all(timeout - 1.0 <= t < timeout + 2.0 for t in back_after), (timeout, back_after))
    twice = timeline.done_more_than_once()
    claim("at most one task per client on the dead node was done twice",
          len(twice) <= len(on_killed), twice)

    roles = {r.node: r.role for r in replicas}
    claim("the killed node came back as a follower, and the three replicas caught up",
          sorted(roles) == NODES and list(roles.values()).count("leader") == 1
          and roles.get(killed) == "follower" and len({r.commit_index for r in replicas}) == 1,
          replicas)
