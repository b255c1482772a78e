"""Trouble under a run: workers killed and the broker restarted at chosen moments.

    restart_broker(run, broker, after_done=3)             # lesson 3
    log = make_trouble(run, broker, kills=5, restarts=1, seed=7)   # lesson 5
    kill_node(run, cluster, leader, after_published=150)  # lesson 6
    start_node_again(run, cluster, leader)

The moments of ``make_trouble`` are numbers of tasks done, drawn from a
seeded random generator, so the same seed makes the same trouble at the same
points of the run. Both run in the notebook's main thread (workers and broker
nodes must be started from it; see processes.py).
"""

from __future__ import annotations

import random
import threading
import time
from typing import List, Optional

from workqueue_helpers.polling import poll
from workqueue_helpers.broker.base import Broker
from workqueue_helpers.broker.cluster import Cluster
from workqueue_helpers.demo.run import Run
from workqueue_helpers.record.events import (BROKER_AWAY, BROKER_DOWN, BROKER_UP, NODE_DOWN, NODE_UP, RECEIVED,
                                             Event)
from workqueue_helpers.record.timeline import OUTCOME_INTERRUPTED
from workqueue_helpers import status
from workqueue_helpers.show import live

QUEUE_SETTLE_SECONDS = 2.0  # see restart_broker
WATCH_INTERVAL = 0.02       # seconds between two connection attempts of BrokerWatch
REFUSALS_TO_BE_AWAY = 3     # refusals in a row that say the broker has gone (not a hiccup)
KILL_WORK_AT_LEAST = 0.03   # seconds: make_trouble kills halfway through a task this long or longer


class BrokerWatch(threading.Thread):
    """Tries to open a connection every ``WATCH_INTERVAL`` seconds while the broker
    restarts, to tell when it answers again.

    ``answers_again`` is the time (``time.time()``) at which the last attempt
    it refused began, once a later attempt has succeeded: the broker started
    to answer after that moment, so every connection that anyone opened after
    the restart (a worker's, a queue-depth reading's) opened after it. None
    if the broker never refused ``REFUSALS_TO_BE_AWAY`` attempts in a row.
    ``stopped_answering`` is when the first of those refused attempts began.
    """

    def __init__(self, broker: Broker) -> None:
        super().__init__(name="broker-watch", daemon=True)
        self.broker = broker
        self.answers_again: Optional[float] = None
        self.stopped_answering: Optional[float] = None
        self._stopping = threading.Event()

    def run(self) -> None:
        refusals = 0
        first_refused: Optional[float] = None
        last_refused: Optional[float] = None
        while not self._stopping.is_set():
            attempt = time.time()
            if not self.broker.answers():
                if refusals == 0:
                    first_refused = attempt
                refusals += 1
                last_refused = attempt
            elif refusals >= REFUSALS_TO_BE_AWAY:
                self.stopped_answering, self.answers_again = first_refused, last_refused
                return
            else:
                refusals = 0
            self._stopping.wait(WATCH_INTERVAL)

    def stop(self) -> None:
        self._stopping.set()
        self.join(10.0)


def restart_broker(run: Run, broker: Broker, *, crash: bool = False, after_done: int = 0,
                   delay: float = 0.0, timeout: float = 60.0) -> float:
    """Restart ``broker`` (a clean stop, or SIGKILL if ``crash``) ``delay`` seconds after
    ``run`` has ``after_done`` tasks done; record the downtime in its timeline; return
    its seconds. (A worker takes its next task the moment it acks one: a ``delay``
    lets the stop land in the middle of that next task rather than at its start.)

    The timeline gets BROKER_DOWN when the restart is asked for, BROKER_AWAY at the
    moment the broker stopped answering, and BROKER_UP at the moment it answered
    again (see ``BrokerWatch``)."""
    run.wait_until_done(after_done, timeout=timeout, give_up_when_idle=False)
    time.sleep(delay)
    if crash and run.first_declared is not None:
        # Measured on RabbitMQ 3.10 and 4.3: a quorum queue declared less than
        # about a second before its node is killed may come back empty, or
        # not at all ("noproc"), confirmed messages and all. Let it settle.
        time.sleep(max(0.0, run.first_declared + QUEUE_SETTLE_SECONDS - time.time()))
    watch = BrokerWatch(broker)
    watch.start()
    run.timeline.record(Event(time.time(), BROKER_DOWN, detail="crash" if crash else "stop"))
    live.watch(run)
    try:
        seconds = broker.restart(crash=crash)
    finally:
        watch.stop()
    # BROKER_UP when the broker answered again, not when the restart command
    # returned: workers reconnect as soon as it answers (the restart's own
    # readiness check comes up to a tenth of a second later).
    up = watch.answers_again if watch.answers_again is not None else time.time()
    if watch.stopped_answering is not None:
        run.timeline.record(Event(watch.stopped_answering, BROKER_AWAY))
    run.timeline.record(Event(up, BROKER_UP))
    # The node answers before all its queues do (a quorum queue takes a moment).
    status.say("waiting for the queue to answer")
    poll(lambda: run.ready_messages() is not None, timeout, 0.2)
    status.say("")
    return seconds


def make_trouble(run: Run, broker: Broker, *, kills: int = 5, restarts: int = 1,
                 seed: int = 7, timeout: float = 120.0) -> List[str]:
    """While ``run`` works through its published tasks: ``kills`` times, SIGKILL
    a random worker (in the middle of a task, see ``kill_mid_task``) and
    start a replacement with the same options; ``restarts`` times, restart the
    broker. Returns one line per action.

    If the run stops making progress (tasks lost with auto-ack never come),
    the remaining actions are skipped and said so.
    """
    rng = random.Random(seed)
    total = run.published_count
    actions = [(point, "kill") for point in rng.sample(range(total // 10, total * 9 // 10), kills)]
    actions += [(point, "restart")
                for point in rng.sample(range(total // 4, total * 3 // 4), restarts)]
    log = []
    for point, action in sorted(actions):
        if not run.wait_until_done(point, timeout=timeout):
            log.append(f"after {run.done_count} tasks done: no more progress; "
                       f"skipped the {action} planned at {point}")
            continue
        if action == "kill":
            victim = rng.choice(sorted(run.live_workers()))
            kill_mid_task(run, victim, timeout=min(timeout, 2.0))
            log.append(f"at {point} tasks done: killed {victim} (SIGKILL), "
                       f"started {run.replace(victim)}")
            status.say(log[-1])
        else:
            restart_broker(run, broker)
            log.append(f"at {point} tasks done: restarted the broker")
            status.say(log[-1])
    return log


def kill_mid_task(run: Run, victim: str, timeout: float = 2.0) -> None:
    """SIGKILL worker ``victim`` halfway through the work of a task, so that the
    kill cuts the task short (lost with auto-ack; back in the queue with manual
    ack); if no task long enough comes within ``timeout`` seconds, at once.

    Only in a task of at least ``KILL_WORK_AT_LEAST`` seconds, and never between
    the worker's ack and the end of its callback (``Run.kill_unless_acknowledged``):
    a busy machine may tell the notebook of a task late, and a kill after the ack
    would leave a task done and acknowledged that the timeline cannot count as done.
    """
    worker = run.children[victim]
    per_dot = run.seconds_per_dot().get(victim, 1.0)
    deadline = time.monotonic() + timeout
    while worker.alive and run.wait_until_busy(victim, max(0.0, deadline - time.monotonic())):
        task = worker.current_task
        received = [event for event in run.timeline.events
                    if event.kind == RECEIVED and event.worker == victim and event.task == task]
        if received:
            work = (received[-1].label or "").count(".") * per_dot
            if work >= KILL_WORK_AT_LEAST:
                time.sleep(max(0.0, received[-1].t + work / 2 - time.time()))
                if run.kill_unless_acknowledged(victim, task):
                    return
        # Too short, or over already: wait for the next task.
        if not run.wait_while_on(victim, task, max(0.0, deadline - time.monotonic())):
            break
    for _ in range(100):  # at once, unless between an ack and the end of its callback
        if not worker.alive or run.kill_unless_acknowledged(victim):
            return
        run.wait_while_on(victim, worker.current_task, 0.1)
    run.kill(victim)


def kill_node(run: Run, cluster: Cluster, node: str, *, after_published: int = 0,
              timeout: float = 60.0) -> None:
    """Once ``run`` has ``after_published`` tasks published (confirmed, for lesson 6's
    producer), SIGKILL ``node`` (recording NODE_DOWN just before).

    A count of published tasks, not of done ones: below the producer's whole list, the
    producer is surely still sending when the node dies, however fast the workers go.
    Ask which node leads a queue (``Cluster.leader``) before the run starts: the CLI
    takes a second or more, and the producer would go on meanwhile."""
    run.wait_until(lambda: run.published_count >= after_published, timeout=timeout,
                   give_up_when_idle=False)
    live.watch(run)
    run.timeline.record(Event(time.time(), NODE_DOWN, detail=node))
    cluster.kill(node)  # returns once the node's process has died
    status.say(f"{node} killed with SIGKILL")


def start_node_again(run: Run, cluster: Cluster, node: str) -> float:
    """Start a killed node again, record NODE_UP once it runs in the cluster; return the seconds."""
    seconds = cluster.start_again(node)
    run.timeline.record(Event(time.time(), NODE_UP, detail=node))
    return seconds


def outage_story(run: Run, new_leader: str) -> str:
    """Lesson 6, after ``kill_node``: the new leader, when the node died and how long the
    queue was unavailable, and where each task held on the dead node went next."""
    timeline = run.timeline
    outage, = timeline.node_outages()
    lines = [f"new leader: {new_leader}",
             f"{outage.node} killed at {outage.down:.2f} s, with {timeline.backlog_at(outage.down)} "
             f"tasks waiting; the queue worked again {outage.unavailable_until - outage.down:.2f} s later"]
    for cut in [a for a in timeline.attempts() if a.outcome == OUTCOME_INTERRUPTED]:
        again = timeline.later_attempts(cut)
        where = (f"delivered again to {again[0].worker} {again[0].start - outage.down:.1f} s after "
                 f"the kill" if again else "not delivered again")
        how = (f"done on {cut.worker}, but its ack died with the node" if cut.ack_lost
               else f"cut short on {cut.worker}")
        lines.append(f"task {cut.number}: {how}; {where}")
    return "\n".join(lines)
