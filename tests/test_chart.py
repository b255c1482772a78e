"""The data behind the chart: which bars, marks and notes are drawn where.

A chart is never compared as a picture, so these tests look at the artists.
"""

from __future__ import annotations

import time
from dataclasses import replace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
import pytest  # noqa: E402

from workqueue_helpers.show.chart import (X_LABEL, plot_prefetch_sweep, plot_queue_depth,  # noqa: E402
                                    plot_throughput, plot_timeline, plot_timelines)
from workqueue_helpers.broker.counts import QueueCounts  # noqa: E402
from workqueue_helpers.demo.queue_depth import Sample  # noqa: E402
from workqueue_helpers.record.events import (ACKED, AUTO_ACK, BROKER_DOWN, BROKER_UP,  # noqa: E402
                                             CONSUMING, DONE, EXITED, KILLED, PUBLISHED,
                                             RECEIVED, STOPPED, Event)
from synthetic import T, TASKS, consuming, ev, killed, publish, round_robin, work  # noqa: E402,F401
from workqueue_helpers.record.timeline import Timeline  # noqa: E402


def start_run() -> list[Event]:
    return consuming("worker1", "worker2") + publish(TASKS)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def bar_counts(ax) -> dict[str, int]:
    """Bar group name ("bars:worker:outcome[:redelivered]") -> number of bars in it."""
    return {collection.get_gid(): len(collection.get_paths())
            for collection in ax.collections
            if (collection.get_gid() or "").startswith("bars:")}


def texts(ax, gid: str) -> list[str]:
    return [text.get_text() for text in ax.texts if text.get_gid() == gid]


def line(ax, gid: str):
    (found,) = [line for line in ax.lines if line.get_gid() == gid]
    return found


def test_one_lane_per_worker_first_worker_on_top():
    ax = plot_timeline(round_robin())
    assert [label.get_text() for label in ax.get_yticklabels()] == ["worker1", "worker2"]
    assert list(ax.get_yticks()) == [0, 1]
    bottom, top = ax.get_ylim()
    assert bottom > top  # lane 0 is drawn at the top
    assert ax.get_xlabel() == X_LABEL


def test_one_bar_per_attempt_grouped_per_lane_and_style():
    ax = plot_timeline(round_robin())
    assert bar_counts(ax) == {"bars:worker1:done": 3, "bars:worker2:done": 2}
    assert sorted(texts(ax, "task-number")) == ["1", "2", "3", "4", "5"]


def test_bars_span_the_attempts():
    ax = plot_timeline(round_robin())
    (worker2,) = [c for c in ax.collections if c.get_gid() == "bars:worker2:done"]
    spans = [(path.vertices[:, 0].min(), path.vertices[:, 0].max())
             for path in worker2.get_paths()]
    assert spans == [(pytest.approx(0.1), pytest.approx(2.1)),
                     (pytest.approx(2.1), pytest.approx(6.1))]


def test_kill_and_redelivery_are_marked():
    ax = plot_timeline(killed(redelivery=True))
    assert bar_counts(ax) == {"bars:worker1:done": 1, "bars:worker1:killed": 1,
                              "bars:worker2:done": 2, "bars:worker2:done:redelivered": 2}
    (hatched,) = [c for c in ax.collections if c.get_gid() == "bars:worker2:done:redelivered"]
    assert hatched.get_hatch()
    kills = line(ax, "kills")  # the legend's red x, where the killed attempt ends
    assert kills.get_marker() == "x" and kills.get_color() == "red"
    assert list(kills.get_xdata()) == [pytest.approx(2.5)] and list(kills.get_ydata()) == [0]
    assert texts(ax, "kill-note") == ["killed"]
    assert ax.get_title(loc="right") == ""  # nothing lost
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend == ["done (acknowledged)", "killed while working", "redelivered", "worker killed"]


def test_a_kill_between_two_tasks_is_marked_on_its_lane():
    # Lesson 5: a worker killed while it waits for its next task has no attempt
    # cut short; its kill still gets the legend's mark, one per kill.
    timeline = Timeline(consuming("worker1", "worker2") + publish(TASKS)
                        + work("worker1", 0.1, [TASKS[0]])
                        + [ev(1.5, KILLED, "worker1"), ev(1.51, EXITED, "worker1")]
                        + work("worker2", 0.1, [TASKS[1], TASKS[2]])
                        + [ev(6.0, RECEIVED, "worker2", TASKS[3]),
                           ev(7.0, KILLED, "worker2"), ev(7.01, EXITED, "worker2")])
    ax = plot_timeline(timeline)
    kills = line(ax, "kills")
    assert kills.get_marker() == "x"
    assert list(kills.get_xdata()) == [pytest.approx(1.5), pytest.approx(7.0)]
    assert list(kills.get_ydata()) == [0, 1]
    assert texts(ax, "kill-note") == ["killed", "killed"]
    assert [a.outcome for a in timeline.attempts() if a.worker == "worker1"] == ["done"]
    assert [line.get_gid() for line in ax.lines] == ["kills"]  # no other mark to confuse it
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend[-1] == "worker killed"


def test_the_legend_names_no_bar_too_thin_to_see():
    # Lesson 5: a kill halfway through a short task leaves a sliver under its red x.
    timeline = Timeline(consuming("worker1", "worker2") + publish(TASKS)
                        + [ev(0.1, RECEIVED, "worker1", TASKS[0]), ev(0.15, KILLED, "worker1"),
                           ev(0.16, EXITED, "worker1")]
                        + work("worker2", 0.1, TASKS[1:]))
    ax = plot_timeline(timeline)
    assert "bars:worker1:killed" in bar_counts(ax)  # drawn, 0.05 s of a 14 s axis
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend == ["done (acknowledged)", "worker killed"]


def test_a_worker_stopped_while_working_gets_no_kill_mark():
    timeline = Timeline(consuming("worker1") + publish(TASKS[:1])
                        + [ev(0.1, RECEIVED, "worker1", TASKS[0]), ev(0.5, STOPPED, "worker1"),
                           ev(0.6, EXITED, "worker1")])
    ax = plot_timeline(timeline)
    assert [line.get_gid() for line in ax.lines] == []
    assert "worker killed" not in [text.get_text() for text in ax.get_legend().get_texts()]
    assert bar_counts(ax) == {"bars:worker1:stopped": 1}


def test_lost_tasks_are_listed():
    ax = plot_timeline(killed(redelivery=False))
    assert ax.get_title(loc="right") == "lost: tasks 3, 5"


def test_a_long_list_of_lost_tasks_is_shortened():
    timeline = Timeline([ev(0.01 * i, PUBLISHED, task=f"task {i}") for i in range(25)])
    ax = plot_timeline(timeline)
    assert ax.get_title(loc="right") == (
        "lost: tasks 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20"
        " and 5 more")


def test_broker_downtime_is_a_grey_band():
    timeline = round_robin()
    timeline.record(ev(3.0, BROKER_DOWN))
    timeline.record(ev(5.0, BROKER_UP))
    ax = plot_timeline(timeline, title="broker restart")
    (band,) = [patch for patch in ax.patches if patch.get_gid() == "broker-down"]
    assert (band.get_x(), band.get_x() + band.get_width()) == (pytest.approx(3.0),
                                                               pytest.approx(5.0))
    assert texts(ax, "broker-down-note") == ["broker restarting"]
    assert ax.get_title(loc="left") == "broker restart"
    assert "broker restarting" in [text.get_text() for text in ax.get_legend().get_texts()]


def test_unfinished_attempt_runs_to_the_last_event():
    timeline = Timeline(start_run() + [ev(0.1, RECEIVED, "worker1", TASKS[0]),
                                       ev(0.2, RECEIVED, "worker2", TASKS[1]),
                                       ev(0.7, CONSUMING, "worker3")])
    ax = plot_timeline(timeline)
    (bars,) = [c for c in ax.collections if c.get_gid() == "bars:worker1:unfinished"]
    assert bars.get_paths()[0].vertices[:, 0].max() == pytest.approx(0.7)
    assert [label.get_text() for label in ax.get_yticklabels()] == [
        "worker1", "worker2", "worker3"]


def test_no_numbers_in_bars_when_there_are_many():
    events = [ev(0.0, PUBLISHED, task=f"task {i}") for i in range(61)]
    for i in range(61):
        events += work("worker1", 0.1 + i, [f"task {i}."])
    ax = plot_timeline(Timeline(events))
    assert bar_counts(ax) == {"bars:worker1:done": 61}
    assert texts(ax, "task-number") == []


def test_draws_on_a_given_axes_with_a_given_xmax():
    fig, (top, bottom) = plt.subplots(2, 1)
    assert plot_timeline(round_robin(), ax=bottom, xmax=20.0) is bottom
    assert bottom.get_xlim()[1] == 20.0
    assert len(top.collections) == 0


def test_an_empty_timeline_draws_an_empty_chart():
    ax = plot_timeline(Timeline())
    assert bar_counts(ax) == {}
    fig = ax.figure
    fig.canvas.draw()


def test_several_runs_share_one_time_scale():
    runs = [round_robin(), killed(redelivery=True), killed(redelivery=False)]
    fig = plot_timelines(runs, ["round-robin", "kill, manual ack", "kill, auto-ack"])
    axes = fig.axes
    assert len(axes) == 3
    assert [ax.get_title(loc="left") for ax in axes] == [
        "round-robin — makespan 9.1 s", "kill, manual ack — makespan 14.1 s",
        "kill, auto-ack — makespan 6.1 s"]
    assert axes[0].get_xlim() == axes[1].get_xlim() == axes[2].get_xlim()
    assert axes[0].get_xlim()[1] >= 14.1
    assert axes[2].get_title(loc="right") == "lost: tasks 3, 5"
    assert [ax.get_xlabel() for ax in axes] == ["", "", X_LABEL]
    with pytest.raises(ValueError):
        plot_timelines(runs, ["only one title"])


def test_draws_8_workers_and_10000_tasks():
    workers = [f"worker{n + 1}" for n in range(8)]
    events = [ev(-1.0, CONSUMING, worker) for worker in workers]
    events += [ev(i * 0.0001, PUBLISHED, task=f"task {i}") for i in range(10_000)]
    for i in range(10_000):
        worker, start = workers[i % 8], 0.01 * (i // 8) + 0.001 * (i % 8)
        events += [ev(start, RECEIVED, worker, f"task {i}", redelivered=(i % 101 == 0)),
                   ev(start + 0.01, DONE, worker, f"task {i}")]
    timeline = Timeline(events)

    started = time.perf_counter()
    ax = plot_timeline(timeline, title="8 workers, 10,000 tasks")
    ax.figure.canvas.draw()
    seconds = time.perf_counter() - started
    print(f"\nplot and draw 8 workers x 10,000 tasks: {seconds:.2f} s")

    counts = bar_counts(ax)
    assert len(counts) == 16  # per worker: plain and redelivered
    assert sum(counts.values()) == 10_000
    assert texts(ax, "task-number") == []


def test_broker_still_down_reaches_the_right_edge():
    timeline = round_robin()
    timeline.record(ev(8.0, BROKER_DOWN))
    ax = plot_timeline(timeline, xmax=12.0)
    (band,) = [patch for patch in ax.patches if patch.get_gid() == "broker-down"]
    assert (band.get_x(), band.get_x() + band.get_width()) == (pytest.approx(8.0),
                                                               pytest.approx(12.0))


def test_queue_depth_draws_both_counts_and_the_marks():
    samples = [Sample(T + t, QueueCounts(ready, unacked, 1)) for t, ready, unacked in
               [(0, 3, 0), (1, 0, 3), (2, 0, 3), (3, 3, 0)]]
    timeline = Timeline(publish(["a", "b", "c"]) + [ev(2.4, STOPPED, "worker1"),
                                                    ev(2.5, EXITED, "worker1")])
    ax = plot_queue_depth(samples, timeline)
    ready = next(line for line in ax.get_lines() if line.get_gid() == "ready")
    unacked = next(line for line in ax.get_lines() if line.get_gid() == "unacked")
    assert list(ready.get_xdata())[:4] == [0, 1, 2, 3]
    assert list(ready.get_ydata()) == [3, 0, 0, 3, 3]  # the last level held a little
    assert list(unacked.get_ydata()) == [0, 3, 3, 0, 0]
    assert [t.get_text() for t in ax.texts if t.get_gid() == "mark"] == [" worker1 stopped"]
    assert [line.get_xdata()[0] for line in ax.get_lines() if line.get_linestyle() == "--"] == [2.5]


def test_queue_depth_names_each_end_and_leaves_out_uncounted_unacked():
    samples = [Sample(T + t, QueueCounts(ready, None, 1)) for t, ready in [(0, 3), (1, 2)]]
    timeline = Timeline(publish(["a", "b", "c"])
                        + [ev(0.5, KILLED, "worker1"), ev(0.51, EXITED, "worker1"),
                           ev(0.8, EXITED, "worker2")])
    ax = plot_queue_depth(samples, timeline)
    assert [line.get_gid() for line in ax.get_lines() if line.get_gid() in ("ready", "unacked")] == ["ready"]
    assert [t.get_text() for t in ax.texts if t.get_gid() == "mark"] == [
        " worker1 killed", " worker2 crashed"]


# --- prefetch sweep ------------------------------------------------------------

PREFETCHES = [1, 2, 5, 10, 50, 100, 0]
SWEEP_THROUGHPUT = [412.3, 780.9, 1510.2, 2204.5, 2950.0, 3012.7, 3020.1]
SWEEP_MAKESPAN = [21.04, 24.5, 29.96, 36.0, 36.0, 36.02, 36.1]


def annotations(ax, gid: str) -> list[str]:
    return [text.get_text() for text in ax.texts if text.get_gid() == gid]


def test_prefetch_sweep_has_two_panels_on_one_categorical_axis():
    fig = plot_prefetch_sweep(PREFETCHES, SWEEP_THROUGHPUT, SWEEP_MAKESPAN)
    left, right = fig.axes
    assert left.get_title(loc="left") == "many tiny tasks: throughput (tasks/s)"
    assert right.get_title(loc="left") == "uneven tasks: makespan (s)"
    for ax in (left, right):
        assert [label.get_text() for label in ax.get_xticklabels()] == [
            "1", "2", "5", "10", "50", "100", "no limit"]
        assert list(ax.get_xticks()) == list(range(7))
    assert left.get_position().x0 < right.get_position().x0  # side by side


def test_prefetch_sweep_draws_and_labels_the_values():
    fig = plot_prefetch_sweep(PREFETCHES, SWEEP_THROUGHPUT, SWEEP_MAKESPAN)
    left, right = fig.axes
    throughput = line(left, "throughput")
    makespan = line(right, "makespan")
    assert list(throughput.get_xdata()) == list(range(7))
    assert list(throughput.get_ydata()) == SWEEP_THROUGHPUT
    assert list(makespan.get_ydata()) == SWEEP_MAKESPAN
    assert throughput.get_marker() and makespan.get_marker()
    assert annotations(left, "throughput-value") == [
        "412", "781", "1510", "2204", "2950", "3013", "3020"]
    assert annotations(right, "makespan-value") == [
        "21.0", "24.5", "30.0", "36.0", "36.0", "36.0", "36.1"]
    # Every value fits under the top of its panel, with its label.
    assert left.get_ylim()[1] > max(SWEEP_THROUGHPUT) and left.get_ylim()[0] == 0
    assert right.get_ylim()[1] > max(SWEEP_MAKESPAN) and right.get_ylim()[0] == 0


def test_prefetch_sweep_keeps_the_given_order():
    fig = plot_prefetch_sweep([0, 1], [3000.0, 400.0], [36.0, 21.0])
    assert [label.get_text() for label in fig.axes[0].get_xticklabels()] == ["no limit", "1"]
    with pytest.raises(ValueError):
        plot_prefetch_sweep([1, 2], [1.0], [1.0, 2.0])


# --- throughput over time --------------------------------------------------------

def worker3_joins() -> Timeline:
    """Tasks of 0.5 s on two workers from the start; worker3 joins at 3.05 s."""
    tasks = [f"task {i}" for i in range(24)]
    events = ([ev(-2.0, CONSUMING, "worker1"), ev(-1.9, CONSUMING, "worker2")]
              + [ev(0.001 * i, PUBLISHED, task=task) for i, task in enumerate(tasks)])
    free = {"worker1": 0.1, "worker2": 0.1}
    for task in tasks:
        if task == "task 12":
            events.append(ev(3.05, CONSUMING, "worker3"))
            free["worker3"] = 3.1
        worker = min(free, key=free.get)
        start = free[worker]
        events += [ev(start, RECEIVED, worker, task), ev(start + 0.5, DONE, worker, task)]
        free[worker] = start + 0.5
    return Timeline(events)


def test_throughput_is_a_step_line_of_done_per_second():
    timeline = worker3_joins()
    ax = plot_throughput(timeline, window=0.5, title="worker3 joins")
    rates = timeline.done_per_second(0.5)
    step = line(ax, "throughput")
    assert step.get_drawstyle() == "steps-pre"
    assert list(step.get_ydata())[1:] == [rate for _, rate in rates]
    assert list(step.get_xdata())[1:] == [end for end, _ in rates]
    assert step.get_xdata()[0] == pytest.approx(0.1)  # the first window's start
    assert ax.get_ylabel() == "tasks done per second"
    assert ax.get_xlabel() == X_LABEL
    assert ax.get_title(loc="left") == "worker3 joins"
    # Two workers do 4 tasks a second; three do 6.
    assert rates[2][1] == pytest.approx(4.0) and rates[-2][1] == pytest.approx(6.0)


def test_throughput_marks_only_workers_that_join_late():
    ax = plot_throughput(worker3_joins())
    assert texts(ax, "joins") == [" worker3 joins"]
    (note,) = [text for text in ax.texts if text.get_gid() == "joins"]
    assert note.get_position()[0] == pytest.approx(3.05)
    dashed = [mark for mark in ax.get_lines() if mark.get_linestyle() == "--"]
    assert [mark.get_xdata()[0] for mark in dashed] == [pytest.approx(3.05)]


def test_throughput_of_nothing_done_is_an_empty_chart():
    ax = plot_throughput(Timeline(publish(["a"]) + [ev(0.1, RECEIVED, "worker1", "a")]))
    assert list(line(ax, "throughput").get_ydata()) == []
    assert texts(ax, "joins") == []
    ax.figure.canvas.draw()


def test_throughput_draws_on_a_given_axes():
    fig, (top, bottom) = plt.subplots(2, 1)
    assert plot_throughput(worker3_joins(), ax=bottom) is bottom
    assert top.get_lines() == []


def test_the_legend_says_auto_ack_where_no_worker_acknowledged():
    # Lesson 1's workers consume with auto_ack=True: their DONE says so, and no ACKED follows.
    events = [event for event in round_robin().events if event.kind != ACKED]
    auto = Timeline([replace(event, detail=AUTO_ACK) if event.kind == DONE else event
                     for event in events])
    legend = [text.get_text() for text in plot_timeline(auto).get_legend().get_texts()]
    assert legend == ["done (auto-ack, nothing acknowledged)"]
    legend = [text.get_text() for text in plot_timeline(round_robin()).get_legend().get_texts()]
    assert legend == ["done (acknowledged)"]


def test_a_killed_node_is_a_red_band_named_in_the_legend():
    # Lesson 6: a node of the cluster killed at 1.0 s; the queue confirms and delivers again later.
    from workqueue_helpers.record.events import DISCONNECTED, NODE_DOWN
    events = consuming("worker1", "worker2") + publish(TASKS[:3]) \
        + [Event(T + 1.0, NODE_DOWN, detail="rabbit1"), ev(1.1, DISCONNECTED, "worker1")] \
        + publish(TASKS[3:], at=1.3) + work("worker2", 1.4, [TASKS[4]])
    ax = plot_timeline(Timeline(events))
    (band,) = [patch for patch in ax.patches if patch.get_gid() == "node-down"]
    assert band.get_x() == pytest.approx(1.0)
    assert "node killed: queue unavailable" in [text.get_text() for text in ax.get_legend().get_texts()]
    assert "node killed: queue unavailable" not in [
        text.get_text() for text in plot_timeline(round_robin()).get_legend().get_texts()]
