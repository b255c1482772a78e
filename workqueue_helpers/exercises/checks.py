"""The checks of the lessons' exercises: run the learner's code for real, and name the mistake.

Each check runs the learner's file under the harness, as every program of the
lessons runs, beside real worker processes (the learner's, or a step's), on
the lesson's broker, and looks at what happened: which calls the program made,
who got which task, what a kill lost, what a restart kept. When the result is
wrong, it answers with the hint for the typical mistake it sees (``HINTS``);
the tests in ``tests/test_exercises_*.py`` make each one happen.

| check | lesson | starts from | what it runs |
|---|---|---|---|
| ``check_producer`` | 1 | hello/send.py | 2 of step 1's workers; your new_task.py, once per message |
| ``check_first_worker`` | 1 | hello/receive.py | 2 of your workers; 4 tasks |
| ``check_acking_worker`` | 2 | step1/worker.py | 2 of your workers; worker1 killed during task 3 |
| ``check_persistent_producer`` | 3, 5 | step2/new_task.py | your new_task.py twice; the broker restarted |
| ``check_fair_worker`` | 4 | step3/worker.py | 2 of your workers; long and short tasks in turn |
| ``check_final_worker`` | 5 | a blank file | the fair-dispatch run, then the kill |
| ``check_cluster_worker`` | 6 | step4/worker.py | 2 of your workers on the cluster; worker1's node killed |

Each solution is the next step's file, in ``notebooks/programs/``.
"""

from __future__ import annotations

import re
import time
from typing import Dict, List, Optional, Tuple

from workqueue_helpers.broker.cluster import Cluster
from workqueue_helpers.broker.counts import passive_counts
from workqueue_helpers.connection import WorkQueueError, one_line
from workqueue_helpers.demo.run import Run
from workqueue_helpers.exercises.exercise import Exercise, Verdict
from workqueue_helpers.language import hint_text, translated
from workqueue_helpers.record.events import (ACKED, AUTO_ACK, CLOSED, CONSUMING, DECLARED, DONE, KILLED,
                                             NODE_DOWN, PRODUCER, PUBLISHED, QOS, RECEIVED,
                                             WRONG_CHANNEL, WRONG_TAG, Event)
from workqueue_helpers.record.timeline import WORK_FINISHED, Timeline

HINTS: Dict[str, str] = {
    # any program
    "not_written": "run the %%writefile cell first: the file {file} does not exist yet.",
    "program_error": "your program stopped with an error: {line}",
    "redeclare_406": (
        "RabbitMQ refused the declaration (406 PRECONDITION_FAILED): {explained}. A queue's "
        "options are fixed when it is created: declare it with the same options everywhere, "
        "as the step's file does."),
    "classic_declared": (
        "your {file} declares the queue as a classic queue (no x-queue-type), as the old "
        "write-up does, but the lesson's queue is a quorum queue, and RabbitMQ refused the "
        "declaration (406 PRECONDITION_FAILED). Declare it as the step's file does: durable, "
        "with the argument x-queue-type set to \"quorum\"."),
    "quorum_not_durable": ("your {file} declares the queue without durable=True, but a quorum "
                           "queue is always durable, and RabbitMQ refused the declaration (406). "
                           "Add durable=True to queue_declare."),
    "non_durable_denied": ("this broker refuses non-durable queues (the default from RabbitMQ "
                           "4.3 on): declare the queue durable."),
    # the producer
    "nothing_published": (
        "no task reached the queue '{queue}': your new_task.py published nothing. Call "
        "channel.basic_publish after the declaration."),
    "no_declare": (
        "your new_task.py never declares the queue. It worked here only because the queue "
        "existed already; started before any worker, it would publish to a queue that "
        "does not exist, and RabbitMQ would drop the message. Declare it as the worker does."),
    "wrong_queue": ("your new_task.py published to '{got}', not to the queue it was given "
                    "('{queue}'), so no worker got the tasks. Use QUEUE as the routing "
                    "key{declare_too}."),
    "via_exchange": (
        "your new_task.py published through the exchange '{exchange}'. No queue is bound to it "
        "with that key, so RabbitMQ dropped the message without a word. Publish through the "
        "default exchange, whose name is the empty string: it routes to the queue named by the "
        "routing key."),
    "published_twice": ("each run of your new_task.py published {count} messages, not one: "
                        "every task would be done {count} times. Publish once."),
    "first_word_only": ("the queue received {got}: only the first word of each message. Join "
                        "all the words after the program's name (sys.argv[1:]) with spaces."),
    "program_name": ("the queue received {got}: each message starts with the program's own "
                     "file name, sys.argv[0]. Join only the words after it, sys.argv[1:]."),
    "wrong_body": ("the queue received {got}, not the words given on the command line. "
                   "Publish the message built from sys.argv."),
    "no_close": (
        "your new_task.py ends without closing its connection. The tasks got through, but "
        "RabbitMQ sees each run drop its connection without a goodbye, and logs a warning "
        "for it (\"client unexpectedly closed TCP connection\"). Close the connection as the "
        "program's last line, as the tutorial does."),
    "not_round_robin": "the workers got {got}; round-robin would give {expected}.",
    # the worker
    "old_pika": ("basic_consume(callback, queue=..., no_ack=True) is pika 0.x. In pika 1.x the "
                 "queue comes first, the callback is on_message_callback, and no_ack is "
                 "auto_ack."),
    "not_consuming": (
        "your worker ended without consuming. After the callback, register it with "
        "basic_consume (the queue QUEUE, your callback as on_message_callback), then start "
        "consuming on the channel."),
    "no_start_consuming": ("your worker registered its consumer and then ended: start "
                           "consuming on the channel last, to wait for messages."),
    "nothing_received": ("your workers are consuming, but received none of the {count} tasks "
                         "sent to '{queue}'{elsewhere}. Declare and consume from QUEUE."),
    "no_output": ("the tasks were done, but the terminals do not show \" [x] Received\" and "
                  "\" [x] Done\" for each one: print them in the callback, before and after "
                  "the work."),
    "no_such_queue": ("RabbitMQ has no queue '{name}' (404 NOT_FOUND): consume from QUEUE, the "
                      "queue your worker declared and the tasks are sent to."),
    "never_done": ("your workers did each task, but RabbitMQ still counts them as "
                   "unacknowledged: with auto_ack=False (the default), it waits for an ack. In "
                   "lesson 1, consume with auto_ack=True, as the tutorial's first worker does "
                   "(no_ack=True in the write-up); lesson 2 adds the ack."),
    "no_work": ("your worker does no work: task {task} has {dots} dots, {expected:g} s of work "
                "here, and it was over at once. Sleep SECONDS_PER_DOT for each dot in the body."),
    "too_little_work": (
        "your worker works too little: task {task} has {dots} dots and took {took:.2f} s, "
        "where {expected:g} s were due. Sleep SECONDS_PER_DOT for each dot: multiply it by "
        "the number of dots in the body."),
    "ignores_seconds_per_dot": (
        "your worker works too long: task {task} has {dots} dots and took {took:.1f} s, where "
        "{expected:g} s were due. Multiply the dots by SECONDS_PER_DOT (the check sets it to "
        "{per_dot:g})."),
    "count_str": ("your callback counts \".\" (a str) in body, which is bytes, and Python "
                  "raised TypeError. Count a dot of the same type as body."),
    "ack_wrong_channel": (
        "your worker acknowledges on another channel than the one that received the task. "
        "RabbitMQ answers such an ack with 406 PRECONDITION_FAILED - unknown delivery tag, "
        "closes that channel, and the task stays unacknowledged. Acknowledge on ch, the "
        "callback's first argument."),
    "ack_with_auto_ack": (
        "your worker acknowledges, but still consumes with auto_ack=True: RabbitMQ counted each "
        "task as acknowledged when it sent it, so your ack names a delivery it no longer knows "
        "(406 PRECONDITION_FAILED - unknown delivery tag), and the channel closes. Remove "
        "auto_ack=True from basic_consume."),
    "fixed_tag": (
        "your worker acknowledges the same delivery tag every time, not the one it received: "
        "the second ack names a delivery already acknowledged (406 PRECONDITION_FAILED - "
        "unknown delivery tag), and the channel closes. Acknowledge the delivery tag of the "
        "message the callback was given."),
    # acknowledgements
    "auto_ack": (
        "your worker consumes with auto_ack=True: RabbitMQ forgets each task the moment it "
        "sends it, so a worker killed in the middle of a task loses it. Consume with manual "
        "acks (leave out auto_ack; False is the default) and acknowledge in the callback."),
    "no_ack": (
        "your worker never acknowledges: every task it did stays unacknowledged ({unacked} of "
        "them here), the broker keeps them all and delivers them again when the worker goes. "
        "Acknowledge each task at the end of the callback, on the channel it came on."),
    "ack_before_work": (
        "your worker acknowledges a task before doing its work, so RabbitMQ forgets the "
        "task while it is still being done: a worker that dies mid-task loses it, and "
        "prefetch_count=1 no longer holds the next task back. Make the ack the callback's "
        "last line."),
    "lost": "tasks {lost} were lost when worker1 was killed; with manual acks none should be.",
    "not_redelivered": ("task 3 should have come back to worker2 after the kill; the workers "
                        "got {got}."),
    # durability
    "non_durable_queue": (
        "after the restart the queue '{queue}' was gone, with its messages: declare it with "
        "durable=True (in the worker too: both sides must declare it the same way)."),
    "transient_messages": (
        "your messages are transient ({how}). They would survive this restart only because "
        "a quorum queue writes every message to disk; on a classic queue, the write-up's, a "
        "restart loses them. Mark each message persistent in its properties, as the tutorial "
        "does."),
    "restart_lost": ("only {kept} of the {sent} tasks were in '{queue}' after the broker "
                     "restarted."),
    # a cluster (lesson 6)
    "no_reconnect": (
        "worker1 stopped when its node ({node}) was killed: pika raised "
        "pika.exceptions.StreamLostError, and nothing caught it. A worker that outlives its "
        "node goes back to connecting when pika raises a connection error."),
    "same_node": (
        "after its node ({node}) was killed, worker1 tried to connect to that node again, and "
        "only to that one, so it never consumed again. Give pika.BlockingConnection the list of "
        "every node's parameters (one per URL in URLS): it connects to the first that "
        "answers."),
    "cluster_lost": ("tasks {lost} were lost when worker1's node was killed; with manual acks "
                     "and a quorum queue none should be."),
    # fair dispatch
    "no_qos": (
        "no basic_qos: RabbitMQ dealt round-robin, and worker1 got the two long tasks, 1 and "
        "3, while worker2 sat idle. Ask RabbitMQ for one unacknowledged task per worker at a "
        "time (basic_qos)."),
    "qos_after_consume": (
        "your worker sets a prefetch limit, yet dispatch stayed round-robin (worker1 got tasks "
        "1 and 3): a basic_qos limit applies only to consumers registered after it. Look at "
        "the order of your calls."),
    "prefetch_size": (
        "your basic_qos sets prefetch_size={size} (basic_qos(1) does: prefetch_size is its "
        "first parameter). RabbitMQ does not implement prefetch_size: it answered 540 "
        "NOT_IMPLEMENTED and closed the connection. Set prefetch_count, by name."),
    "prefetch_zero": ("prefetch_count=0 means no limit, the same as no basic_qos: worker1 got "
                      "tasks 1 and 3. Limit each worker to one task at a time."),
    "prefetch_more": ("prefetch_count={count} lets a busy worker hold {count} tasks, so "
                      "worker1 was sent task 3 while still on task 1. Limit each worker to one task at a time."),
    "global_qos": ("your basic_qos sets global_qos=True, a limit for the whole channel, which a "
                   "quorum queue does not support, and RabbitMQ refused it. Leave global_qos "
                   "out: prefetch_count then limits each consumer."),
    "qos_other_channel": (
        "your worker calls basic_qos with prefetch_count=1 before basic_consume, yet RabbitMQ "
        "dealt round-robin (worker1 got tasks 1 and 3): the limit never reached your consumer. "
        "Call basic_qos on the channel you consume from."),
    "qos_with_auto_ack": ("your worker consumes with auto_ack=True. prefetch_count limits "
                          "unacknowledged tasks, and with auto_ack=True there are none: the limit "
                          "does nothing. Consume with manual acks, and acknowledge at the end of "
                          "the callback."),
    "unfair_auto_ack": (
        "your worker consumes with auto_ack=True and calls no basic_qos: RabbitMQ dealt "
        "round-robin, and worker1 got the two long tasks, 1 and 3. Fair dispatch needs both: "
        "manual acks (an ack at the end of the callback), and a limit of one unacknowledged "
        "task per worker (basic_qos)."),
    "not_fair": "the workers got {got}; fair dispatch would give {expected}.",
    # what a correct program did (the verdict "Correct")
    "producer_correct": ("your new_task.py sent the five tasks, and RabbitMQ dealt them in "
                         "turn: tasks 1, 3 and 5 to worker1, tasks 2 and 4 to worker2."),
    "first_worker_correct": ("two of your workers shared four tasks in turn: worker1 did tasks "
                             "1 and 3, worker2 did tasks 2 and 4."),
    "persistent_producer_correct": (
        "both tasks were still in '{queue}' after the broker restarted. The quorum queue keeps "
        "every message; sent persistent, they would also survive on a classic queue, the "
        "write-up's."),
}

TUTORIAL_MESSAGES = ["First message.", "Second message..", "Third message...",
                     "Fourth message....", "Fifth message....."]
EVEN_TASKS = ["Task 1..", "Task 2..", "Task 3..", "Task 4.."]
# The kill checks: worker1 is killed 0.2 s into task 3, which lasts four times that.
KILL_TASKS = ["Task 1..", "Task 2..", "Task 3....", "Task 4.."]
UNEVEN_TASKS = ["Task 1 ....", "Task 2 .", "Task 3 ....", "Task 4 ."]  # long, short, long, short
FAIR = {"worker1": [1, 4], "worker2": [2, 3]}
ROUND_ROBIN_OF_4 = {"worker1": [1, 3], "worker2": [2, 4]}


def hint(mistake: str, **values) -> Verdict:
    """The verdict "not yet", with the hint for ``mistake`` in the lesson's language."""
    if "line" in values:  # a program's error line: the harness's one line starts "error: "
        values["line"] = values["line"].removeprefix("error: ")
    return Verdict(False, hint_text(mistake, HINTS[mistake]).format(**values), mistake)


def passed(key: str, **values) -> Verdict:
    """The verdict "correct", with what the learner's program did (``HINTS[key]``)."""
    return Verdict(True, hint_text(key, HINTS[key]).format(**values))


# --- lesson 1 --------------------------------------------------------------------


def check_producer(exercise: Exercise) -> Verdict:
    """Lesson 1, exercise 1: your new_task.py sends the five tasks; two workers share them."""
    if not exercise.written():
        return hint("not_written", file=exercise.file)
    run = exercise.new_run()
    try:
        run.declare()  # the lesson's queue: a durable quorum queue, as the tutorial declares it
        run.start("step1/worker.py", 2, seconds_per_dot=0.02)  # the tutorial's first workers
        for message in TUTORIAL_MESSAGES:
            result = exercise.run_producer(run, message.split())
            if result.returncode != 0:
                return _program_failed(result.output, run) or hint("program_error",
                                                                   line=result.last_line)
        mistake = _producer_mistake(run, exercise.queue, TUTORIAL_MESSAGES)
        if mistake:
            return mistake
        run.wait_until_done(len(TUTORIAL_MESSAGES), timeout=3, give_up_when_idle=False)
    finally:
        run.stop()
    assignment = run.timeline.tasks_by_worker()
    if assignment != {"worker1": [1, 3, 5], "worker2": [2, 4]}:
        return hint("not_round_robin", got=assignment, expected="worker1 1, 3, 5; worker2 2, 4")
    return passed("producer_correct")


def check_first_worker(exercise: Exercise) -> Verdict:
    """Lesson 1, exercise 2: two of your workers share four tasks, round-robin."""
    run, failed = _learner_run(exercise, EVEN_TASKS, timeout=10)
    if failed:
        return failed
    work = _work_mistake(run, exercise.seconds_per_dot)
    if work:
        return work
    if run.timeline.completed() != [1, 2, 3, 4]:
        return hint("never_done")
    if not _shows_its_work(run):
        return hint("no_output")
    assignment = run.timeline.tasks_by_worker()
    if assignment != ROUND_ROBIN_OF_4:
        return hint("not_round_robin", got=assignment, expected="worker1 1, 3; worker2 2, 4")
    return passed("first_worker_correct")


# --- lesson 2 --------------------------------------------------------------------


def check_acking_worker(exercise: Exercise) -> Verdict:
    """Lesson 2: worker1 is killed during task 3; nothing may be lost."""
    run, failed = _learner_run(exercise, KILL_TASKS, timeout=10, kill_during=KILL_TASKS[2])
    if failed:
        return failed
    return _work_mistake(run, exercise.seconds_per_dot) or _acknowledgement_mistake(run) or Verdict(
        True, "worker1 was killed during task 3, and RabbitMQ, which had no ack for it, "
              "delivered task 3 again to worker2. Nothing was lost.")


# --- lesson 3 (and 5) ------------------------------------------------------------


def check_persistent_producer(exercise: Exercise) -> Verdict:
    """Lessons 3 and 5: your new_task.py sends two tasks; they must be persistent, and
    still in the queue after the broker restarts."""
    if not exercise.written():
        return hint("not_written", file=exercise.file)
    lesson, queue = exercise.lesson, exercise.queue
    messages = ["Task 1.", "Task 2."]
    run = exercise.new_run()
    try:
        run.declare()  # the lesson's queue: a durable quorum queue, as the workers declare it
        for message in messages:
            result = exercise.run_producer(run, message.split())
            if result.returncode != 0:
                return _program_failed(result.output, run) or hint("program_error",
                                                                   line=result.last_line)
    finally:
        run.stop()
    mistake = _producer_mistake(run, queue, messages)
    if mistake:
        return mistake
    modes = _published(run, "mode")
    if any(mode != "2" for mode in modes):
        transient = next(mode for mode in modes if mode != "2")
        return hint("transient_messages", how=translated("no delivery_mode") if transient == "None"
                    else f"delivery_mode {transient}")
    lesson.broker.restart()
    counts = passive_counts(lesson.broker.url, queue)
    if counts is None:
        return hint("non_durable_queue", queue=queue)
    if counts.ready < len(messages):
        return hint("restart_lost", kept=counts.ready, sent=len(messages), queue=queue)
    return passed("persistent_producer_correct", queue=queue)


# --- lessons 4 and 5 --------------------------------------------------------------


def check_fair_worker(exercise: Exercise) -> Verdict:
    """Lesson 4: two of your workers get long and short tasks in turn; they must share fairly."""
    run, failed = _learner_run(exercise, UNEVEN_TASKS, timeout=15)
    if failed:
        return failed
    got = run.timeline.tasks_by_worker()
    return _work_mistake(run, exercise.seconds_per_dot) or _fair_dispatch_mistake(run) or Verdict(
        True, "with one unacknowledged task at a time, each worker got its next task only "
              f"when it was free: worker1 took {_tasks(got['worker1'])}, "
              f"worker2 {_tasks(got['worker2'])}.")


def _tasks(numbers: List[int]) -> str:
    """[1] -> "task 1"; [2, 3, 4] -> "tasks 2, 3 and 4"."""
    *first, last = numbers
    return f"tasks {', '.join(map(str, first))} and {last}" if first else f"task {last}"


def check_final_worker(exercise: Exercise) -> Verdict:
    """Lesson 5, exercise 2: the final worker, from a blank file: fair, and safe from a kill."""
    verdict = check_fair_worker(exercise)
    if not verdict.correct:
        return verdict
    run, failed = _learner_run(exercise, KILL_TASKS, timeout=10, kill_during=KILL_TASKS[2])
    if failed:
        return failed
    return _acknowledgement_mistake(run) or Verdict(
        True, "your worker shares long and short tasks fairly (prefetch_count=1), and when "
              "worker1 was killed during task 3, the task went to worker2: nothing lost.")


# --- lesson 6 ----------------------------------------------------------------------

CLUSTER_TASKS = [f"Task {n} ." for n in range(1, 13)]


def check_cluster_worker(exercise: Exercise) -> Verdict:
    """Lesson 6: two of your workers share a quorum queue on the cluster; after 3 tasks
    the node worker1 is connected to is killed. Both must carry on; nothing may be lost."""
    cluster = exercise.lesson.broker
    if not isinstance(cluster, Cluster):
        raise WorkQueueError("check_cluster_worker needs the lesson's cluster (Lesson(..., cluster_size=3))")
    if not exercise.written():
        return hint("not_written", file=exercise.file)
    cluster.start_killed_nodes()  # an earlier check's node may still be on its way back
    run = exercise.new_run()
    node: Optional[str] = None
    try:
        run.declare()
        failed = _start_learner_workers(exercise, run, 2)  # on a cluster: run once, no rescue
        if failed:
            return failed
        run.publish(CLUSTER_TASKS)
        run.wait_until_done(3, timeout=10, give_up_when_idle=False)
        node = _node_of(cluster, run, "worker1")
        run.timeline.record(Event(time.time(), NODE_DOWN, detail=node or ""))
        if node is not None:
            cluster.kill(node)
        # From RabbitMQ 4.3 on, worker1's unacknowledged task comes back only after
        # consumer_disconnected_timeout: the run is not idle before that. A worker1 that
        # ended with its node has given its verdict already.
        worker1 = run.children["worker1"]
        run.wait_until(lambda: run.done_count >= len(CLUSTER_TASKS) or not worker1.alive,
                       timeout=30, settle=(cluster.disconnected_timeout or 0) + 1.0)
        if worker1.alive:
            run.wait_until(lambda: _consumed_since_kill(run, "worker1"), timeout=5, settle=5)
    finally:
        run.stop()
        if node is not None:
            cluster.node(node).spawn()  # back in the background, while you read the verdict
    return _cluster_mistake(run, cluster, node) or Verdict(
        True, f"worker1's node ({node}) was killed after 3 tasks; worker1 connected to "
              f"{_node_of(cluster, run, 'worker1')} and carried on, and all 12 tasks were done: "
              "none lost.")


def _cluster_mistake(run: Run, cluster: Cluster, node: Optional[str]) -> Optional[Verdict]:
    """The hint for a cluster run in which a worker did not survive its node, if any."""
    timeline = run.timeline
    worker1 = run.children["worker1"]
    screen = "\n".join(worker1.screen)
    if not worker1.alive and worker1.process.returncode not in (None, 0, -2):
        if "cannot reach RabbitMQ" in screen:  # it tried the dead node again, and only that one
            return hint("same_node", node=node)
        if "lost the connection" in screen or "StreamLost" in screen or "ConnectionWrongState" in screen:
            return hint("no_reconnect", node=node)
        return _program_failed(screen, run) or hint(
            "program_error", line=one_line(screen.splitlines()[-1]) if screen else "no output")
    lost = timeline.lost()
    if lost:
        return hint("cluster_lost", lost=", ".join(map(str, lost)))
    if not _consumed_since_kill(run, "worker1"):
        return hint("same_node", node=node)
    return None


def _consumed_since_kill(run: Run, worker: str) -> bool:
    """Has ``worker`` registered a consumer again since the node was killed?"""
    events = run.timeline.events
    down = next((event.t for event in events if event.kind == NODE_DOWN), None)
    return down is not None and any(e.kind == CONSUMING and e.worker == worker and e.t > down
                                    for e in events)


def _node_of(cluster: Cluster, run: Run, worker: str) -> Optional[str]:
    """The node ``worker`` connected to last (from its CONNECTED events)."""
    addresses = [address for name, _, address in run.timeline.connections() if name == worker]
    return cluster.node_of_port(int(addresses[-1].rsplit(":", 1)[1])) if addresses else None


# --- what the checks share: producers ---------------------------------------------


def _published(run: Run, field: str) -> List[str]:
    """One field of each message the learner's producer published, in order: ``exchange``,
    ``key`` (the routing key), ``mode`` (the delivery mode) or ``body``."""
    values = []
    for event in run.timeline.events:
        if event.kind == PUBLISHED and event.worker == PRODUCER:
            exchange, key, mode, _ = (event.detail.split("|") + ["", "", "", ""])[:4]
            values.append({"exchange": exchange, "key": key, "mode": mode,
                           "body": event.label or ""}[field])
    return values


def _producer_mistake(run: Run, queue: str, messages: List[str]) -> Optional[Verdict]:
    """The hint for what the learner's producer published, run once per message, if wrong."""
    bodies = _published(run, "body")
    if not bodies:
        return hint("nothing_published", queue=queue)
    exchanges = [name for name in _published(run, "exchange") if name]
    if exchanges:
        return hint("via_exchange", exchange=exchanges[0])
    keys = [key for key in _published(run, "key") if key != queue]
    if keys:
        declared_there = any(e.kind == DECLARED and e.worker == PRODUCER and e.label == keys[0]
                             for e in run.timeline.events)
        return hint("wrong_queue", got=keys[0], queue=queue,
                    declare_too=translated(", and in queue_declare") if declared_there else "")
    if len(bodies) > len(messages):
        count = round(len(bodies) / len(messages))
        return hint("published_twice", count=count)
    if bodies != messages:
        got = (f"{bodies[0]!r} each time" if len(set(bodies)) == 1 and len(bodies) > 1
               else ", ".join(repr(body) for body in bodies))
        if bodies == [message.split()[0] for message in messages]:
            return hint("first_word_only", got=got)
        if all(body.endswith(" " + message) and body.split()[0].endswith(".py")
               for body, message in zip(bodies, messages)):
            return hint("program_name", got=repr(bodies[0]) + (", ..." if len(bodies) > 1 else ""))
        return hint("wrong_body", got=got)
    declared = [e for e in run.timeline.events
                if e.kind == DECLARED and e.worker == PRODUCER and e.label == queue]
    if not declared:
        return hint("no_declare")
    closed = [e for e in run.timeline.events if e.kind == CLOSED and e.worker == PRODUCER]
    if len(closed) < len(messages):  # one run of the producer per message
        return hint("no_close")
    return None


# --- what the checks share: workers -------------------------------------------------


def _start_learner_workers(exercise: Exercise, run: Run, count: int) -> Optional[Verdict]:
    """Start ``count`` of the learner's workers; a Verdict if they could not start."""
    if not exercise.written():
        return hint("not_written", file=exercise.file)
    try:
        run.start(exercise.file, count, seconds_per_dot=exercise.seconds_per_dot, timeout=15)
    except WorkQueueError as error:
        run.stop()
        screen = "\n".join(run.screens().values())
        diagnosis = _program_failed(screen, run)
        if diagnosis:
            return diagnosis
        lines = [line for line in screen.splitlines() if line.strip()]
        if lines and lines[-1].startswith("error: "):
            return hint("program_error", line=one_line(lines[-1]))
        return hint("not_consuming") if "could not start" in str(error) else \
            hint("program_error", line=one_line(str(error)))
    return _worker_ended(run)


def _worker_ended(run: Run) -> Optional[Verdict]:
    """A Verdict if a worker that was not killed has ended (an error, or no start_consuming)."""
    killed = {event.worker for event in run.timeline.events if event.kind == KILLED}
    for name, worker in run.children.items():
        if worker.alive or name in killed:
            continue
        if worker.reader is not None:
            worker.reader.join(2.0)
        screen = "\n".join(worker.screen)
        diagnosis = _program_failed(screen, run)
        if diagnosis:
            return diagnosis
        if worker.process.returncode == 0:
            return hint("no_start_consuming")
        lines = [line for line in worker.screen if line.strip()]
        return hint("program_error", line=one_line(lines[-1]) if lines else "no output")
    return None


def _call_mistake(run: Run) -> Optional[Verdict]:
    """The hint for a pika call the workers made wrong, seen in their events, if any: these
    close the channel or the connection, and the output alone would name the wrong cause."""
    events = run.timeline.events
    for event in events:
        size = re.search(r"prefetch_size=(\d+)", event.detail) if event.kind == QOS else None
        if size:
            return hint("prefetch_size", size=size.group(1))
    auto_ack = any(e.kind == CONSUMING and e.detail == AUTO_ACK for e in events)
    if auto_ack and any(e.kind == ACKED for e in events):
        return hint("ack_with_auto_ack")
    if any(e.kind == ACKED and e.detail == WRONG_TAG for e in events):
        return hint("fixed_tag")
    if any(e.kind == ACKED and e.detail == WRONG_CHANNEL for e in events):
        return hint("ack_wrong_channel")
    return None


def _program_failed(output: str, run: Optional[Run] = None) -> Optional[Verdict]:
    """The hint for an error a learner's program made, if it is a typical one: from the
    run's events first (``_call_mistake``), then from what the program printed."""
    if run is not None:
        mistake = _call_mistake(run)
        if mistake:
            return mistake
    if "non-durable queues" in output or "transient_nonexcl_queues" in output:
        return hint("non_durable_denied")
    if "already exists with" in output or "invalid property 'non-durable'" in output:
        return _declaration_mistake(output, run)
    if "does not support global qos" in output:
        return hint("global_qos")
    if "TypeError" in output and "bytes-like object, not 'str'" in output:
        return hint("count_str")
    if "basic_consume()" in output and "TypeError" in output:
        return hint("old_pika")
    missing = re.search(r"NOT_FOUND - no queue '([^']*)'", output)
    if missing:
        return hint("no_such_queue", name=missing.group(1))
    return None


def _declaration_mistake(output: str, run: Optional[Run]) -> Verdict:
    """The hint for a declaration RabbitMQ refused (406), from what the program declared
    (its DECLARED events), else from the one line the harness printed."""
    events = [e for e in (run.timeline.events if run is not None else [])
              if e.kind == DECLARED and e.label == run.queue]
    # The learner's program: the producer, where the check runs one (beside a step's workers).
    declared = [e for e in events if e.worker == PRODUCER] or events
    learner = declared[-1].detail.split() if declared else []
    file = "new_task.py" if declared and declared[-1].worker == PRODUCER else "worker.py"
    classic = ("x-queue-type=quorum, but this program declared x-queue-type=" in output
               or (learner and "x-queue-type=quorum" not in learner))
    if classic:
        return hint("classic_declared", file=file)
    if "invalid property 'non-durable'" in output or "durable=False" in learner \
            or "durable=true, but this program declared durable=false" in output:
        return hint("quorum_not_durable", file=file)
    line = next(line for line in output.splitlines() if "already exists with" in line)
    return hint("redeclare_406", explained=line.strip().removeprefix("error: ").split("; use")[0])


def _learner_run(exercise: Exercise, tasks: List[str], timeout: float,
                 kill_during: Optional[str] = None) -> Tuple[Run, Optional[Verdict]]:
    """Two of the learner's workers do ``tasks``; with ``kill_during``, worker1 is
    killed 0.2 s into that task. Returns (run, None), or (run, a Verdict) if the
    workers could not start, ended by themselves, or received nothing."""
    run = exercise.new_run("-kill" if kill_during else "")
    try:
        run.declare()  # the lesson's queue: a durable quorum queue, as the tutorial declares it
        failed = _start_learner_workers(exercise, run, 2)
        if failed:
            return run, failed
        run.publish(tasks)

        def over() -> bool:  # every task done, no worker left to do one, or far too slow
            # Run to the end, so that a hint names task 1 whatever the load; end early only
            # for workers far too slow (those that ignore SECONDS_PER_DOT).
            slow = _work_mistake(run, exercise.seconds_per_dot, at_least=2)
            return (run.done_count >= len(tasks) or not run.live_workers() or _stalled(run)
                    or (slow is not None and slow.mistake == "ignores_seconds_per_dot"))

        if kill_during is not None:
            # Worker1 may never be on that task for 0.2 s (a worker that does no work, or
            # that crashed): then the kill is left out, and the analysis says what happened.
            run.wait_until(lambda: over() or _received(run, "worker1", kill_during),
                           timeout=5, settle=0.5)
            if _received(run, "worker1", kill_during) and not over():
                try:
                    run.kill("worker1", while_working_on=kill_during, after=0.2, timeout=1)
                except WorkQueueError:
                    pass
        run.wait_until(over, timeout=timeout, settle=0.5)
        failed = _worker_ended(run) or _call_mistake(run)
        if failed:
            return run, failed
    finally:
        run.stop()
    if not run.timeline.attempts():
        return run, _nothing_received(run, len(tasks))
    return run, None


def _stalled(run: Run, quiet: float = 2.0) -> bool:
    """No live worker is on a task, and nothing has happened for ``quiet`` seconds: the
    broker sends nothing more (unacknowledged tasks hold every worker's prefetch)."""
    if any(run.children[name].current_task is not None for name in run.live_workers()):
        return False
    events = run.timeline.events
    return bool(events) and time.time() - events[-1].t > quiet


def _received(run: Run, worker: str, label: str) -> bool:
    """Has ``worker`` received the task whose message is ``label``?"""
    return any(e.kind == RECEIVED and e.worker == worker and e.label == label
               for e in run.timeline.events)


def _nothing_received(run: Run, count: int) -> Verdict:
    """The hint for workers that consumed and received nothing: which queue they declared."""
    others = sorted({e.label for e in run.timeline.events if e.kind == DECLARED
                     and e.worker != PRODUCER and e.label and e.label != run.queue})
    elsewhere = (translated("; your workers declared {queues}").format(queues=", ".join(map(repr, others)))
                 if others else "")
    return hint("nothing_received", count=count, queue=run.queue, elsewhere=elsewhere)


def _work_mistake(run: Run, seconds_per_dot: float, at_least: int = 1) -> Optional[Verdict]:
    """The hint for a worker that does not sleep SECONDS_PER_DOT per dot, if one does not:
    every finished task (``at_least`` of them) took far less, or far more, than its dots ask."""
    # In task order, so that a hint names the same task whichever worker finished first.
    timed = sorted(((a, a.label.count("."), a.end - a.start) for a in run.timeline.attempts()
                    if a.end is not None and a.outcome in WORK_FINISHED and a.label.count(".")),
                   key=lambda timing: timing[0].number)
    if len(timed) < max(at_least, 1):
        return None
    if all(took < 0.3 * dots * seconds_per_dot for _, dots, took in timed):
        attempt, dots, took = timed[0]
        return hint("no_work", task=attempt.number, dots=dots, expected=dots * seconds_per_dot)
    # time.sleep never returns early: a task done in less than its dots ask was not worked
    # in full (say, SECONDS_PER_DOT once per task).
    short = [(a, dots, took) for a, dots, took in timed if took < 0.8 * dots * seconds_per_dot]
    if short:
        attempt, dots, took = short[0]
        return hint("too_little_work", task=attempt.number, dots=dots, took=took,
                    expected=dots * seconds_per_dot)
    # Far longer than its dots ask, every one (more than a busy machine adds).
    if all(took > max(2.5 * dots * seconds_per_dot, dots * seconds_per_dot + 0.5)
           for _, dots, took in timed):
        attempt, dots, took = timed[0]
        return hint("ignores_seconds_per_dot", task=attempt.number, dots=dots, took=took,
                    expected=dots * seconds_per_dot, per_dot=seconds_per_dot)
    return None


def _acknowledgement_mistake(run: Run) -> Optional[Verdict]:
    """The hint for a run with a kill that lost or kept back tasks, if anything went wrong."""
    timeline = run.timeline
    events = timeline.events
    mistake = _call_mistake(run)
    if mistake:
        return mistake
    if any(e.kind == CONSUMING and e.detail == AUTO_ACK for e in events):
        return hint("auto_ack")
    if not any(e.kind == ACKED for e in events):
        return hint("no_ack", unacked=len(timeline.unacknowledged()) or translated("all"))
    if _acked_before_work(events):
        return hint("ack_before_work")
    lost = timeline.lost()
    if lost:
        return hint("lost", lost=", ".join(map(str, lost)))
    assignment = timeline.tasks_by_worker()
    if 3 not in assignment.get("worker2", []):
        return hint("not_redelivered", got=assignment)
    return None


def _acked_before_work(events: list) -> bool:
    """True if some task was acknowledged well before its callback returned (or never returned)."""
    received: Dict[tuple, float] = {}
    acked: Dict[tuple, float] = {}
    for event in events:
        key = (event.worker, event.task)
        if event.kind == RECEIVED:
            received[key] = event.t
            acked.pop(key, None)
        elif event.kind == ACKED and key in received:
            acked[key] = event.t
        elif event.kind == DONE and key in acked:
            start, ack = received[key], acked.pop(key)
            if event.t - ack > 0.1 and ack - start < (event.t - start) / 2:
                return True
        elif event.kind == KILLED:
            if any(worker == event.worker for worker, _ in acked):
                return True
    return False


def _fair_dispatch_mistake(run: Run) -> Optional[Verdict]:
    timeline = run.timeline
    events = timeline.events
    assignment = timeline.tasks_by_worker()
    mistake = _call_mistake(run)
    if mistake:
        return mistake
    # An early ack lifts the limit (it counts unacked tasks): a mistake even on a run whose
    # deal came out fair by timing (one did, in a clean-clone make test).
    if _acked_before_work(events):
        return hint("ack_before_work")
    if timeline.completed() == [1, 2, 3, 4] and (assignment == FAIR or dealt_to_the_free(timeline)):
        return None
    if not timeline.attempts():
        return _nothing_received(run, len(UNEVEN_TASKS))
    qos = [e.detail for e in events if e.kind == QOS and e.worker == "worker1"]
    if any(e.kind == CONSUMING and e.detail == AUTO_ACK for e in events):
        return hint("qos_with_auto_ack") if qos else hint("unfair_auto_ack")
    if not any(e.kind == ACKED for e in events):
        return hint("no_ack", unacked=len(timeline.unacknowledged()) or translated("all"))
    if not qos:
        return hint("no_qos")
    if "after basic_consume" in qos[-1]:
        return hint("qos_after_consume")
    count = int(re.search(r"prefetch_count=(\d+)", qos[-1]).group(1))
    if count == 0:
        return hint("prefetch_zero")
    if count > 1:
        return hint("prefetch_more", count=count)
    if assignment.get("worker1", [])[:2] == [1, 3]:  # round-robin, despite a good limit
        return hint("qos_other_channel")
    return hint("not_fair", got=assignment, expected="worker1 1, 4; worker2 2, 3")


def dealt_to_the_free(timeline: Timeline, tie: float = 0.05) -> bool:
    """Did each task go to a worker that was free, as prefetch_count=1 deals them?

    Free: consuming, with its last task acknowledged. On a busy machine worker1 may take
    longer than its 0.8 s over task 1, and worker2 be free first for task 4: fair too.
    Workers free before a task was published are free alike for it. (Two workers free
    within ``tie`` seconds: the broker may have heard either first.)"""
    events = timeline.events
    free = {e.worker: e.t for e in events if e.kind == CONSUMING and e.worker in ("worker1", "worker2")}
    acked = {(e.worker, e.task): e.t for e in events if e.kind == ACKED}
    published = {e.task: e.t for e in events if e.kind == PUBLISHED}
    for attempt in sorted(timeline.attempts(), key=lambda attempt: attempt.number):
        ready = {worker: max(t, published.get(attempt.task, t)) for worker, t in free.items()}
        if attempt.worker not in ready or ready[attempt.worker] > min(ready.values()) + tie:
            return False
        if (attempt.worker, attempt.task) not in acked:
            return False
        free[attempt.worker] = acked[(attempt.worker, attempt.task)]
    return True


def _shows_its_work(run: Run) -> bool:
    for attempt_count, text in zip(_attempts_per_worker(run).values(), run.screens().values()):
        if text.count("Received") < attempt_count or text.count("Done") < attempt_count:
            return False
    return True


def _attempts_per_worker(run: Run) -> Dict[str, int]:
    counts = {name: 0 for name in run.children}
    for attempt in run.timeline.attempts():
        counts[attempt.worker] = counts.get(attempt.worker, 0) + 1
    return counts


