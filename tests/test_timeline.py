"""The timeline's answers, from made-up event lists (no broker needed)."""

from __future__ import annotations

import threading
import time

import pytest

from workqueue_helpers.record.events import (ACKED, AUTO_ACK, BROKER_AWAY, BROKER_DOWN, BROKER_UP, CONSUMING,
                                             DISCONNECTED, DONE, EXITED, KILLED, PUBLISHED, QOS,
                                             RECEIVED, REJECTED, STOPPED, Event,
                                             task_label)
from synthetic import T, TASKS, consuming, ev, killed, publish, round_robin, work  # noqa: E402,F401
from workqueue_helpers.record.timeline import Attempt, Timeline
from workqueue_helpers.show.tables import assignment_table, format_table, task_table


def killed_with_redelivery() -> Timeline:
    return killed(redelivery=True)


def killed_with_auto_ack() -> Timeline:
    return killed(redelivery=False)


# --- record and events -------------------------------------------------------

def test_events_are_sorted_by_time_and_copied():
    timeline = Timeline()
    timeline.record(ev(2.0, DONE, "worker1", "a"))
    timeline.record(ev(0.0, PUBLISHED, task="a"))
    timeline.record(ev(1.0, RECEIVED, "worker1", "a"))
    assert [event.kind for event in timeline.events] == [PUBLISHED, RECEIVED, DONE]
    timeline.events.clear()
    assert len(timeline.events) == 3


def test_record_from_several_threads_keeps_every_event():
    timeline = Timeline()

    def reader(worker: str) -> None:
        for i in range(1000):
            timeline.record(ev(i * 0.001, RECEIVED, worker, f"{worker}-{i}"))

    threads = [threading.Thread(target=reader, args=(f"worker{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    events = timeline.events
    assert len(events) == 4000
    assert [event.t for event in events] == sorted(event.t for event in events)


def test_t0_is_the_first_published_event():
    assert round_robin().t0 == pytest.approx(T)
    only_consuming = Timeline([ev(5.0, CONSUMING, "worker1"), ev(3.0, CONSUMING, "worker2")])
    assert only_consuming.t0 == pytest.approx(T + 3.0)
    assert Timeline().t0 == 0.0


# --- tasks and workers ---------------------------------------------------------

def test_tasks_are_numbered_in_publishing_order():
    timeline = round_robin()
    assert timeline.published() == TASKS
    assert timeline.task_numbers() == {task: i + 1 for i, task in enumerate(TASKS)}


def test_unpublished_tasks_are_numbered_after_the_published_ones():
    # A message left in the queue from an earlier run is received first.
    events = (publish(["new"], at=1.0)
              + [ev(0.5, RECEIVED, "worker1", "left over"), ev(0.6, DONE, "worker1", "left over")]
              + work("worker1", 1.1, ["new"])
              + [ev(2.5, RECEIVED, "worker1", "also old")])
    timeline = Timeline(events)
    assert timeline.task_numbers() == {"new": 1, "left over": 2, "also old": 3}
    assert timeline.published() == ["new"]
    assert timeline.tasks_by_worker() == {"worker1": [2, 1, 3]}
    assert timeline.attempts()[0].start == pytest.approx(-0.5)  # before t0


def test_workers_are_in_the_order_they_started_consuming():
    timeline = Timeline(consuming("worker2", "worker1") + publish(["a"])
                        + work("worker1", 0.1, ["a"])
                        + [ev(0.5, KILLED, "worker3")])
    assert timeline.workers() == ["worker2", "worker1", "worker3"]
    assert timeline.tasks_by_worker() == {"worker2": [], "worker1": [1], "worker3": []}


def test_round_robin_assignment():
    assert round_robin().tasks_by_worker() == {"worker1": [1, 3, 5], "worker2": [2, 4]}


# --- attempts ----------------------------------------------------------------

def test_attempts_of_a_clean_run():
    attempts = round_robin().attempts()
    assert [(a.number, a.worker, a.outcome) for a in attempts] == [
        (1, "worker1", "done"), (2, "worker2", "done"), (3, "worker1", "done"),
        (4, "worker2", "done"), (5, "worker1", "done")]
    first = attempts[0]
    assert first.task == "First message."
    assert first.start == pytest.approx(0.1)
    assert first.end == pytest.approx(1.1)
    assert not first.redelivered
    assert [a.start for a in attempts] == sorted(a.start for a in attempts)


def test_a_killed_attempt_ends_at_the_kill_and_is_redelivered():
    timeline = killed_with_redelivery()
    attempts = timeline.attempts()
    killed = [a for a in attempts if a.outcome == "killed"]
    assert killed == [Attempt(task=TASKS[2], label=TASKS[2], number=3, worker="worker1",
                              start=pytest.approx(1.1), end=pytest.approx(2.5), redelivered=False,
                              outcome="killed")]
    redelivered = [(a.number, a.worker, a.outcome) for a in attempts if a.redelivered]
    assert redelivered == [(3, "worker2", "done"), (5, "worker2", "done")]
    assert timeline.tasks_by_worker() == {"worker1": [1, 3], "worker2": [2, 4, 3, 5]}
    assert timeline.lost() == []
    assert timeline.kills() == [("worker1", pytest.approx(2.5))]


def test_exited_without_kill_is_a_crash():
    timeline = Timeline(publish(["a"]) + [ev(0.1, RECEIVED, "worker1", "a"),
                                          ev(0.4, EXITED, "worker1")])
    (attempt,) = timeline.attempts()
    assert attempt.outcome == "crashed"
    assert attempt.end == pytest.approx(0.4)
    assert timeline.kills() == []
    assert timeline.worker_ends() == [("worker1", pytest.approx(0.4), "crashed")]


def test_a_worker_the_notebook_stopped_is_stopped_not_killed():
    timeline = Timeline(publish(["a"]) + [ev(0.1, RECEIVED, "worker1", "a"),
                                          ev(0.3, STOPPED, "worker1"), ev(0.4, EXITED, "worker1")])
    (attempt,) = timeline.attempts()
    assert (attempt.outcome, attempt.end) == ("stopped", pytest.approx(0.4))
    assert timeline.worker_ends() == [("worker1", pytest.approx(0.4), "stopped")]


def test_a_kill_is_named_at_the_kill_not_at_the_exit():
    timeline = killed_with_redelivery()
    assert timeline.worker_ends() == [("worker1", pytest.approx(2.5), "killed")]


def test_done_means_acknowledged():
    # A worker that forgets to ack: the work is done, the task is not.
    events = (publish(["a", "b"]) + [ev(0.1, RECEIVED, "worker1", "a"), ev(1.1, DONE, "worker1", "a"),
                                     ev(1.2, RECEIVED, "worker1", "b"), ev(2.2, DONE, "worker1", "b")])
    timeline = Timeline(events)
    assert [a.outcome for a in timeline.attempts()] == ["not acked", "not acked"]
    assert timeline.completed() == [] and timeline.unacknowledged() == [1, 2]
    assert timeline.lost() == []  # still in the queue, unacknowledged
    timeline.record(ev(2.3, ACKED, "worker1", "b"))
    assert [a.outcome for a in timeline.attempts()] == ["not acked", "done"]
    assert timeline.completed() == [2] and timeline.unacknowledged() == [1]


def test_with_auto_ack_done_is_the_end_of_the_work():
    events = publish(["a"]) + [ev(0.1, RECEIVED, "worker1", "a"),
                               Event(T + 1.1, DONE, "worker1", "a", detail=AUTO_ACK)]
    timeline = Timeline(events)
    assert [a.outcome for a in timeline.attempts()] == ["done"]
    assert timeline.completed() == [1]


def test_tasks_with_the_same_text_are_different_tasks():
    events = [Event(T, PUBLISHED, task="task-1", label="Same."),
              Event(T + 0.01, PUBLISHED, task="task-2", label="Same."),
              Event(T + 0.1, RECEIVED, "worker1", "task-1", label="Same."),
              Event(T + 1.1, DONE, "worker1", "task-1"), Event(T + 1.1, ACKED, "worker1", "task-1")]
    timeline = Timeline(events)
    assert timeline.task_numbers() == {"task-1": 1, "task-2": 2}
    assert timeline.completed() == [1] and timeline.lost() == [2]
    assert [row[:3] for row in timeline.task_rows()] == [["1", "'Same.'", "worker1"],
                                                         ["2", "'Same.'", "-"]]


def test_rejected_and_unfinished_attempts():
    timeline = Timeline(publish(["bad", "slow"])
                        + [ev(0.1, RECEIVED, "worker1", "bad"), ev(0.2, REJECTED, "worker1", "bad"),
                           ev(0.3, RECEIVED, "worker1", "slow")])
    rejected, unfinished = timeline.attempts()
    assert (rejected.outcome, rejected.end) == ("rejected", pytest.approx(0.2))
    assert (unfinished.outcome, unfinished.end) == ("unfinished", None)
    assert timeline.lost() == [1, 2]


def test_done_of_another_worker_does_not_end_an_attempt():
    # worker1 was killed after its DONE but before its ack: worker2 does task 1 again.
    events = (publish(["a"]) + [ev(0.1, RECEIVED, "worker1", "a"), ev(1.1, DONE, "worker1", "a"),
                                ev(1.15, KILLED, "worker1")]
              + [ev(1.2, RECEIVED, "worker2", "a", redelivered=True)])
    timeline = Timeline(events)
    first, second = timeline.attempts()
    assert (first.worker, first.outcome) == ("worker1", "not acked")
    assert (second.worker, second.outcome, second.redelivered) == ("worker2", "unfinished", True)
    assert timeline.done_more_than_once() == []
    timeline.record(ev(2.2, DONE, "worker2", "a"))
    timeline.record(ev(2.21, ACKED, "worker2", "a"))
    assert timeline.done_more_than_once() == [1]
    assert timeline.attempts()[1].outcome == "done"


def test_an_ack_lost_with_the_connection_counts_as_work_done():
    # worker1 finished task 1 and sent its ack, but its connection was gone (the broker
    # restarted): the attempt was cut short, its work done; worker2 then does it again.
    events = (publish(["a", "b"]) + [ev(0.1, RECEIVED, "worker1", "a"), ev(1.1, ACKED, "worker1", "a"),
                                     ev(1.2, RECEIVED, "worker2", "b"), ev(1.3, DISCONNECTED, "worker2"),
                                     ev(1.3, DISCONNECTED, "worker1"),
                                     ev(2.0, RECEIVED, "worker2", "a", redelivered=True),
                                     ev(3.0, ACKED, "worker2", "a"), ev(3.0, DONE, "worker2", "a")])
    first, cut, again = Timeline(events).attempts()
    assert (first.outcome, first.ack_lost) == ("interrupted", True)
    assert (cut.outcome, cut.ack_lost) == ("interrupted", False)   # no ack sent: work not done
    assert again.outcome == "done"
    assert Timeline(events).done_more_than_once() == [1]


# --- what got done -----------------------------------------------------------

def test_auto_ack_loses_the_killed_and_prefetched_tasks():
    timeline = killed_with_auto_ack()
    assert timeline.completed() == [1, 2, 4]
    assert timeline.lost() == [3, 5]
    assert timeline.done_more_than_once() == []


# --- how long ------------------------------------------------------------------

def test_makespan_busy_and_idle_time():
    timeline = round_robin()
    assert timeline.makespan() == pytest.approx(9.1)
    assert timeline.busy_time() == {"worker1": pytest.approx(9.0), "worker2": pytest.approx(6.0)}
    assert timeline.idle_time() == {"worker1": pytest.approx(0.1), "worker2": pytest.approx(3.1)}


def test_busy_time_counts_a_killed_attempt_until_the_kill():
    timeline = killed_with_redelivery()
    assert timeline.makespan() == pytest.approx(14.1)
    assert timeline.busy_time() == {"worker1": pytest.approx(1.0 + 1.4),
                                    "worker2": pytest.approx(2 + 4 + 3 + 5)}
    assert timeline.idle_time()["worker1"] == pytest.approx(14.1 - 2.4)


def test_nothing_done_means_zero_makespan():
    timeline = Timeline(publish(["a"]) + [ev(0.1, RECEIVED, "worker1", "a")])
    assert timeline.makespan() == 0.0
    assert timeline.busy_time() == {"worker1": pytest.approx(0.0)}  # last event is the start
    assert timeline.idle_time() == {"worker1": 0.0}
    assert Timeline().makespan() == 0.0
    assert Timeline().attempts() == []


def test_throughput_from_the_first_received_to_the_last_done():
    # round_robin: work from 0.1 to 9.1, five tasks done.
    assert round_robin().throughput() == pytest.approx(5 / 9.0)
    assert killed_with_redelivery().throughput() == pytest.approx(5 / 14.0)


def test_throughput_counts_a_task_done_twice_twice():
    timeline = Timeline(publish(["a"]) + work("worker1", 0.1, ["a."])
                        + work("worker2", 1.1, ["a."], redelivered=True))
    assert timeline.throughput() == pytest.approx(2 / 2.0)


def test_throughput_needs_two_done_events():
    assert Timeline().throughput() == 0.0
    one = Timeline(publish(["a", "b"]) + work("worker1", 0.1, ["a."])
                   + [ev(1.2, RECEIVED, "worker1", "b")])
    assert one.throughput() == 0.0
    one.record(ev(2.1, DONE, "worker1", "b"))
    assert one.throughput() == pytest.approx(2 / 2.0)


def test_done_per_second_counts_done_events_per_window():
    # round_robin: work starts at 0.1; DONE at 1.1, 2.1, 4.1, 6.1 and 9.1, which
    # fall in windows 1, 2, 5, 8 and 12 of 0.7 s.
    rates = round_robin().done_per_second(window=0.7)
    assert [end for end, _ in rates] == [pytest.approx(0.1 + 0.7 * k) for k in range(1, 14)]
    counts = [round(rate * 0.7) for _, rate in rates]
    assert counts == [0, 1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1]
    assert rates[1][1] == pytest.approx(1 / 0.7)


def test_done_per_second_on_whole_windows():
    # 9.0 s of work is 18 windows of 0.5 s, even though the last DONE is on
    # a window's edge (rounding must not add a 19th).
    half = round_robin().done_per_second()
    assert len(half) == 18
    assert half[-1] == (pytest.approx(9.1), pytest.approx(2.0))
    assert sum(rate * 0.5 for _, rate in half) == pytest.approx(5)


def test_done_per_second_last_window_may_reach_past_the_last_done():
    # 0.1 .. 9.1 is three windows of 4 s. The DONE at 4.1 is on the first
    # window's end, and counts in it.
    rates = round_robin().done_per_second(window=4.0)
    assert rates == [(pytest.approx(4.1), pytest.approx(3 / 4)),
                     (pytest.approx(8.1), pytest.approx(1 / 4)),
                     (pytest.approx(12.1), pytest.approx(1 / 4))]


def test_done_per_second_with_nothing_done():
    assert Timeline().done_per_second() == []
    assert Timeline(publish(["a"]) + [ev(0.1, RECEIVED, "worker1", "a")]).done_per_second() == []
    with pytest.raises(ValueError):
        round_robin().done_per_second(window=0)


def test_done_per_second_of_10000_tasks_is_linear():
    timeline = big_run()
    started = time.perf_counter()
    rates = timeline.done_per_second(window=0.01)
    seconds = time.perf_counter() - started
    assert sum(rate * 0.01 for _, rate in rates) == pytest.approx(10_000)
    assert len(rates) == pytest.approx(1250, abs=2)
    assert seconds < 5.0


def test_consuming_times_are_the_first_start_of_each_worker():
    timeline = Timeline(consuming("worker1", "worker2") + publish(TASKS)
                        + [ev(3.0, CONSUMING, "worker3"), ev(4.0, DISCONNECTED, "worker1"),
                           ev(5.0, CONSUMING, "worker1")])
    assert timeline.consuming_times() == {"worker1": pytest.approx(-2.0),
                                          "worker2": pytest.approx(-1.9),
                                          "worker3": pytest.approx(3.0)}
    assert list(timeline.consuming_times()) == ["worker1", "worker2", "worker3"]
    assert Timeline(publish(["a"])).consuming_times() == {}


def test_broker_downtime_starts_when_the_broker_stopped_answering():
    # worker1 was busy: it noticed only at its ack, after the broker had gone (BROKER_AWAY).
    timeline = Timeline(publish(["a"]) + [ev(3.0, BROKER_DOWN), ev(3.2, BROKER_AWAY),
                                          ev(5.0, DISCONNECTED, "worker1"), ev(5.8, BROKER_UP),
                                          ev(6.0, CONSUMING, "worker1")])
    assert timeline.broker_downtime() == [(pytest.approx(3.2), pytest.approx(5.8))]


def test_broker_downtime_pairs_down_with_up():
    timeline = Timeline(publish(["a"]) + [ev(3.0, BROKER_DOWN), ev(3.5, BROKER_DOWN),
                                          ev(5.0, BROKER_UP), ev(6.0, BROKER_UP),
                                          ev(8.0, BROKER_DOWN)])
    assert timeline.broker_downtime() == [(pytest.approx(3.0), pytest.approx(5.0)),
                                          (pytest.approx(8.0), None)]


def test_the_broker_is_down_from_when_it_had_cut_off_every_worker():
    # A clean stop begins a moment after it is asked for: workers go on until then.
    timeline = Timeline(publish(["a"]) + [ev(3.0, BROKER_DOWN), ev(4.2, DISCONNECTED, "worker1"),
                                          ev(4.3, DISCONNECTED, "worker2"), ev(6.0, BROKER_UP),
                                          ev(7.0, DISCONNECTED, "worker1"),  # not a restart
                                          ev(8.0, BROKER_DOWN), ev(8.5, DISCONNECTED, "worker2")])
    assert timeline.broker_downtime() == [(pytest.approx(4.3), pytest.approx(6.0)),
                                          (pytest.approx(8.5), None)]


def test_the_broker_is_up_again_when_a_worker_has_it_back():
    # A BROKER_UP recorded late (once a restart command returned) must not
    # leave workers at work inside the downtime: a worker that consumes again
    # had a broker that answered.
    timeline = Timeline(publish(["a"]) + [ev(3.0, BROKER_DOWN), ev(3.5, CONSUMING, "worker3"),
                                          ev(4.2, DISCONNECTED, "worker1"),
                                          ev(4.3, DISCONNECTED, "worker2"),
                                          ev(5.1, QOS, "worker2"), ev(5.2, CONSUMING, "worker2"),
                                          ev(5.3, CONSUMING, "worker1"), ev(6.0, BROKER_UP)])
    assert timeline.broker_downtime() == [(pytest.approx(4.3), pytest.approx(5.1))]
    # Still no BROKER_UP: up once a worker is back.
    timeline = Timeline(publish(["a"]) + [ev(3.0, BROKER_DOWN), ev(4.2, DISCONNECTED, "worker1"),
                                          ev(5.2, CONSUMING, "worker1")])
    assert timeline.broker_downtime() == [(pytest.approx(4.2), pytest.approx(5.2))]
    # A BROKER_UP that comes first wins (the worker only reconnects later).
    timeline = Timeline(publish(["a"]) + [ev(3.0, BROKER_DOWN), ev(4.2, DISCONNECTED, "worker1"),
                                          ev(4.9, BROKER_UP), ev(5.2, CONSUMING, "worker1")])
    assert timeline.broker_downtime() == [(pytest.approx(4.2), pytest.approx(4.9))]


# --- tables ------------------------------------------------------------------

def test_assignment_table_of_a_clean_run():
    assert assignment_table(round_robin()) == (
        "task  message               worker   redelivered  outcome\n"
        "----  --------------------  -------  -----------  -------\n"
        "1     'First message.'      worker1  no           done\n"
        "2     'Second message..'    worker2  no           done\n"
        "3     'Third message...'    worker1  no           done\n"
        "4     'Fourth message....'  worker2  no           done\n"
        "5     'Fifth message.....'  worker1  no           done")


def test_assignment_table_with_a_kill_and_redelivery():
    assert assignment_table(killed_with_redelivery()) == (
        "task  message               worker   redelivered  outcome\n"
        "----  --------------------  -------  -----------  -------\n"
        "1     'First message.'      worker1  no           done\n"
        "2     'Second message..'    worker2  no           done\n"
        "3     'Third message...'    worker1  no           killed\n"
        "3     'Third message...'    worker2  yes          done\n"
        "4     'Fourth message....'  worker2  no           done\n"
        "5     'Fifth message.....'  worker2  yes          done")


def test_assignment_table_shows_a_task_nobody_received():
    assert assignment_table(killed_with_auto_ack()) == (
        "task  message               worker   redelivered  outcome\n"
        "----  --------------------  -------  -----------  --------------\n"
        "1     'First message.'      worker1  no           done\n"
        "2     'Second message..'    worker2  no           done\n"
        "3     'Third message...'    worker1  no           killed\n"
        "4     'Fourth message....'  worker2  no           done\n"
        "5     'Fifth message.....'  -        -            never received")


def test_task_table_adds_start_and_end():
    lines = task_table(killed_with_redelivery()).splitlines()
    assert lines[0].split() == ["task", "message", "worker", "redelivered", "outcome",
                                "start", "end"]
    assert lines[4].split() == ["3", "'Third", "message...'", "worker1", "no", "killed",
                                "1.1", "2.5"]
    unfinished = Timeline(publish(["a"]) + [ev(0.3, RECEIVED, "worker1", "a")])
    assert task_table(unfinished).splitlines()[2].split() == [
        "1", "'a'", "worker1", "no", "unfinished", "0.3", "-"]


def test_messages_are_quoted_as_the_worker_prints_them():
    bodies = [b"It's done.", b"\xff\xfe", "caf\u00e9".encode()]
    labels = [task_label(body) for body in bodies]
    timeline = Timeline(publish(labels))
    header, _, *rows = assignment_table(timeline).splitlines()
    column = slice(header.index("message"), header.index("worker"))
    messages = [row[column].strip() for row in rows]
    # The worker prints repr() of the text it decoded, or of the bytes it could not.
    assert messages == ['"It\'s done."', "b'\\xff\\xfe'", "'caf\u00e9'"]


def test_format_table():
    assert format_table(["a", "long header"], [["wide cell", "x"], ["1", ""]]) == (
        "a          long header\n"
        "---------  -----------\n"
        "wide cell  x\n"
        "1")


# --- size ----------------------------------------------------------------------

def big_run(workers: int = 8, tasks: int = 10_000) -> Timeline:
    """``tasks`` tasks of 10 ms each, round-robin over ``workers`` workers."""
    names = [f"worker{n + 1}" for n in range(workers)]
    events = [ev(-1.0, CONSUMING, name) for name in names]
    events += [ev(i * 0.0001, PUBLISHED, task=f"task {i}") for i in range(tasks)]
    for i in range(tasks):
        worker, start = names[i % workers], 0.01 * (i // workers) + 0.001 * (i % workers)
        events += [ev(start, RECEIVED, worker, f"task {i}"),
                   ev(start + 0.01, DONE, worker, f"task {i}"),
                   ev(start + 0.01, ACKED, worker, f"task {i}")]
    return Timeline(events)


def test_attempts_of_10000_tasks_and_8_workers():
    timeline = big_run()
    started = time.perf_counter()
    attempts = timeline.attempts()
    seconds = time.perf_counter() - started
    print(f"\nattempts() of 10,000 tasks and 8 workers: {seconds:.3f} s")
    assert len(attempts) == 10_000
    assert all(attempt.outcome == "done" for attempt in attempts)
    assert timeline.tasks_by_worker()["worker3"][:3] == [3, 11, 19]
    assert timeline.lost() == []
    assert seconds < 5.0  # very loose: only a quadratic scan would take this long


def test_throughput_between_counts_done_events_in_the_interval():
    timeline = Timeline(publish(TASKS) + work("worker1", 0.0, TASKS))
    # worker1 finishes tasks at 1, 3, 6, 10 and 15 seconds
    assert timeline.throughput_between(0.0, 5.0) == pytest.approx(2 / 5.0)
    assert timeline.throughput_between(5.0, 16.0) == pytest.approx(3 / 11.0)
    assert timeline.throughput_between(3.0, 3.0) == 0.0


def test_later_attempts_say_where_a_task_went_next():
    timeline = killed_with_redelivery()
    killed = next(a for a in timeline.attempts() if a.outcome == "killed")
    later = timeline.later_attempts(killed)
    assert later and all(a.number == killed.number and a.start > killed.start for a in later)
    assert later[0].redelivered and timeline.later_attempts(later[-1]) == []


def test_the_running_tally_agrees_with_the_attempts():
    # Run waits on the tally, kept as events arrive; the tables count from attempts().
    ack_in_callback = publish(["a", "b"]) + [
        ev(0.1, RECEIVED, "worker1", "a"), ev(1.1, ACKED, "worker1", "a"), ev(1.1, DONE, "worker1", "a"),
        ev(1.2, RECEIVED, "worker1", "b"), ev(2.2, ACKED, "worker1", "b"), ev(2.3, KILLED, "worker1")]
    ack_after_done = publish(["a"]) + [ev(0.1, RECEIVED, "worker1", "a"), ev(1.1, DONE, "worker1", "a"),
                                       ev(1.2, ACKED, "worker1", "a")]
    for timeline in (round_robin(), killed(True), killed(False), killed_with_auto_ack(),
                     Timeline(ack_in_callback), Timeline(ack_after_done)):
        assert timeline.done_count() == len(timeline.completed())
        assert timeline.published_count() == len(timeline.published())
        assert timeline.all_done() == (timeline.completed() == list(range(1, len(timeline.published()) + 1)))
    assert Timeline(ack_in_callback).done_count() == 1  # b's ack never left the killed callback


def fair_run(worker2_gets: tuple[str, str]) -> Timeline:
    """Lesson 4's fair run, a tenth of a second per dot: worker2 ends task 3 at 1.006 s and
    records receiving its next task late (1.169 s, a busy machine), after worker1 ended task
    4 (1.103 s) and received its next one (1.105 s)."""
    tasks = [f"T{n}" for n in range(1, 7)]
    first, second = worker2_gets
    events = consuming("worker1", "worker2") + publish(tasks) + [
        ev(0.0002, RECEIVED, "worker1", "T1"), ev(0.900, DONE, "worker1", "T1"),
        ev(0.903, RECEIVED, "worker1", "T4"), ev(1.103, DONE, "worker1", "T4"),
        ev(1.105, RECEIVED, "worker1", second),
        ev(0.003, RECEIVED, "worker2", "T2"), ev(0.103, DONE, "worker2", "T2"),
        ev(0.105, RECEIVED, "worker2", "T3"), ev(1.006, DONE, "worker2", "T3"),
        ev(1.169, RECEIVED, "worker2", first)]
    return Timeline(events)


def test_a_task_is_handed_out_when_its_worker_was_free_not_when_it_recorded_receiving_it():
    in_order = fair_run(worker2_gets=("T5", "T6")).handed_out()   # T5 to worker2, free first
    assert [round(in_order[n], 3) for n in (5, 6)] == [1.006, 1.103]
    out_of_order = fair_run(worker2_gets=("T6", "T5")).handed_out()  # T6 to the worker free first
    assert out_of_order[5] > out_of_order[6] + 0.05
