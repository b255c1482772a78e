"""Where a bar is drawn: a timeline as a chart, one lane per worker.

Each bar is one attempt at a task, from the moment the worker received it to
the moment it finished, rejected it or was killed. The bar's colour says how
it ended; a hatched bar is a redelivered task. A red x marks each kill, on
the lane of the worker killed, whether it was working or waiting for a task;
grey bands show the broker being down.

In a notebook the chart shows below the cell. End the line with ``;`` (or
assign the result) so it is not shown twice.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Optional, Sequence

import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from workqueue_helpers import language
from workqueue_helpers.record.events import ACKED, AUTO_ACK, DONE
from workqueue_helpers.record.timeline import (OUTCOME_CRASHED, OUTCOME_DONE, OUTCOME_INTERRUPTED,
                                               OUTCOME_KILLED, OUTCOME_REJECTED, OUTCOME_STOPPED,
                                               OUTCOME_UNACKED, OUTCOME_UNFINISHED, OUTCOMES,
                                               Attempt, Timeline)

X_LABEL = "seconds since the first task was published"

COLOURS = {
    OUTCOME_DONE: "#4C72B0",         # blue
    OUTCOME_UNACKED: "#64B5CD",      # light blue: the work is done, the ack never came
    OUTCOME_REJECTED: "#8172B3",     # purple
    OUTCOME_KILLED: "#DD8452",       # orange
    OUTCOME_STOPPED: "#937860",      # brown
    OUTCOME_CRASHED: "#C44E52",      # red
    OUTCOME_INTERRUPTED: "#CCB974",  # sand
    OUTCOME_UNFINISHED: "#BBBBBB",   # grey
}
LEGEND_LABELS = {OUTCOME_DONE: "done (acknowledged)", OUTCOME_UNACKED: "done, never acknowledged",
                 OUTCOME_REJECTED: "rejected", OUTCOME_KILLED: "killed while working",
                 OUTCOME_STOPPED: "stopped while working", OUTCOME_CRASHED: "crashed while working",
                 OUTCOME_INTERRUPTED: "connection lost", OUTCOME_UNFINISHED: "unfinished"}
AUTO_ACK_LABELS = {True: "done (acknowledged or auto-ack)", False: "done (auto-ack, nothing acknowledged)"}
LABEL_COLOURS = {OUTCOME_DONE: "white", OUTCOME_UNACKED: "black", OUTCOME_REJECTED: "white",
                 OUTCOME_KILLED: "black", OUTCOME_STOPPED: "white", OUTCOME_CRASHED: "white",
                 OUTCOME_INTERRUPTED: "black", OUTCOME_UNFINISHED: "black"}
KILL_COLOUR = "red"
BROKER_DOWN_COLOUR = "0.5"
REDELIVERED_HATCH = "///"
BAR_HEIGHT = 0.6     # in lane units: each lane is 1 high
MAX_LABELS = 60      # more attempts than this: no task numbers in the bars
MAX_LISTED = 20      # list at most this many lost tasks by number
MAX_KILL_NOTES = 20  # more kills than this: markers only, no "killed" notes
# Fonts that draw a language's labels, where DejaVu Sans (matplotlib's own) cannot;
# Debian's fonts-wqy-microhei gives the first.
FONTS = {"zh": ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "SimHei")}
FONT_FILES = ("wqy-microhei", "NotoSansCJK", "SourceHanSans", "simhei")  # how their files are named
MIN_LEGEND_BAR = 0.006  # of the time axis (~5 px; twice that for a killed bar, its end under
                        # the red x): a narrower bar gets no legend entry


def plot_timeline(timeline: Timeline, ax: Optional[Axes] = None,
                  title: Optional[str] = None, xmax: Optional[float] = None,
                  now: Optional[float] = None) -> Axes:
    """Draw ``timeline`` as a Gantt chart, one lane per worker, first worker on top.

    Draws on ``ax`` if given, else on a new figure. ``xmax`` fixes the right
    end of the time axis (to compare runs on one scale). ``now`` (seconds
    since the first task was published) draws a run still going: a task in
    progress grows to ``now``, and no task is called lost yet. Returns the axes.
    """
    workers = timeline.workers()
    attempts = timeline.attempts()
    last = timeline.last_time() if now is None else max(now, timeline.last_time())
    downtime = timeline.broker_downtime()
    kills = timeline.kills()
    lane = {worker: i for i, worker in enumerate(workers)}

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 1.6 + 0.5 * max(len(workers), 1)),
                             layout="constrained")
    right = xmax if xmax is not None else max(last, 1e-3) * 1.02
    left = min([0.0] + [attempt.start for attempt in attempts])

    # Bars: one broken_barh call per lane and style, so few artists to draw.
    groups: dict[tuple[str, str, bool], list[tuple[float, float]]] = {}
    for attempt in attempts:
        end = last if attempt.end is None else attempt.end
        key = (attempt.worker, attempt.outcome, attempt.redelivered)
        groups.setdefault(key, []).append((attempt.start, end - attempt.start))
    edge_width = 1.0 if len(attempts) <= MAX_LABELS else 0.0
    for (worker, outcome, redelivered), xranges in groups.items():
        bars = ax.broken_barh(xranges, (lane[worker] - BAR_HEIGHT / 2, BAR_HEIGHT),
                              facecolors=COLOURS[outcome], edgecolor="white",
                              linewidth=edge_width,
                              hatch=REDELIVERED_HATCH if redelivered else None)
        bars.set_gid(f"bars:{worker}:{outcome}" + (":redelivered" if redelivered else ""))

    # Task numbers inside the bars, while there are few enough to read.
    if len(attempts) <= MAX_LABELS:
        for attempt in attempts:
            end = last if attempt.end is None else attempt.end
            # On a hatched bar, a patch of plain colour keeps the number readable.
            background = None
            if attempt.redelivered:
                background = dict(boxstyle="square,pad=0.15", linewidth=0,
                                  facecolor=COLOURS[attempt.outcome])
            ax.text((attempt.start + end) / 2, lane[attempt.worker], str(attempt.number),
                    ha="center", va="center", fontsize=8, fontweight="bold",
                    color=LABEL_COLOURS[attempt.outcome], bbox=background,
                    gid="task-number")

    # Each KILLED event: a red x on the lane of the worker killed, and a note above it.
    # The kill itself is marked, not the attempt it cut short: a worker killed
    # between two tasks has no attempt to end, and still gets its mark.
    if kills:
        ax.plot([t for _, t in kills], [lane[worker] for worker, _ in kills],
                linestyle="none", marker="x", markersize=9, markeredgewidth=2.5,
                color=KILL_COLOUR, gid="kills")
        if len(kills) <= MAX_KILL_NOTES:
            for worker, t in kills:
                ax.text(t, lane[worker] - BAR_HEIGHT / 2 - 0.08, chart_text("killed"),
                        ha="center", va="bottom", fontsize=8, color=KILL_COLOUR,
                        gid="kill-note")

    # The broker being down: a grey band across all lanes.
    for down, up in downtime:
        up = right if up is None else up
        ax.axvspan(down, up, color=BROKER_DOWN_COLOUR, alpha=0.25, linewidth=0,
                   zorder=0.6, gid="broker-down")  # above the grid, behind the bars
        ax.text((down + up) / 2, -0.62, chart_text("broker restarting"), ha="center", va="center",
                fontsize=8, color="0.25", gid="broker-down-note")

    # A node of a cluster killed (lesson 6): a band until the queue worked again.
    for outage in timeline.node_outages():
        until = outage.unavailable_until if outage.unavailable_until is not None else right
        ax.axvspan(outage.down, max(until, outage.down + 0.02), color=KILL_COLOUR, alpha=0.2,
                   linewidth=0, zorder=0.6, gid="node-down")
        ax.text(outage.down, -0.62, " " + chart_text("{node} killed: queue unavailable {seconds:.2f} s").format(
                    node=outage.node, seconds=until - outage.down),
                ha="left", va="center", fontsize=8, color=KILL_COLOUR, gid="node-down-note")

    # Lost tasks (and tasks done twice, or never acknowledged) in the title area, on the right.
    note = _problems_note(timeline.lost(), timeline.done_more_than_once(),
                          timeline.unacknowledged()) if now is None else ""
    if note:
        ax.set_title(note, loc="right", fontsize=9, color=KILL_COLOUR)
    if title:
        ax.set_title(chart_text(title), loc="left")

    ax.set_yticks(range(len(workers)), workers)
    ax.set_ylim(len(workers) - 0.5, -0.95)  # first worker on top, room above it
    ax.set_xlim(left, right)
    ax.set_xlabel(chart_text(X_LABEL))
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="0.9")
    ax.set_axisbelow(True)
    # The legend names only bars wide enough to see (lesson 5's halfway kills are slivers).
    seen = [attempt for attempt in attempts
            if (last if attempt.end is None else attempt.end) - attempt.start >= MIN_LEGEND_BAR
            * (2 if attempt.outcome == OUTCOME_KILLED else 1) * (right - left)]
    _add_legend(ax, seen, bool(kills), bool(downtime), _done_label(timeline),
                node_down=bool(timeline.node_outages()))
    return ax


def plot_timelines(timelines: Sequence[Timeline], titles: Sequence[str]) -> Figure:
    """Several runs stacked, on the same time scale, each titled with its makespan."""
    if len(timelines) != len(titles):
        raise ValueError("give one title per timeline")
    lanes = [max(len(timeline.workers()), 1) for timeline in timelines]
    fig = plt.figure(figsize=(10, sum(1.3 + 0.5 * n for n in lanes)), layout="constrained")
    axes = fig.subplots(len(timelines), 1, sharex=True, squeeze=False,
                        gridspec_kw={"height_ratios": [n + 1.5 for n in lanes]})[:, 0]
    xmax = max([timeline.last_time() for timeline in timelines] + [1e-3]) * 1.02
    for ax, timeline, title in zip(axes, timelines, titles):
        plot_timeline(timeline, ax=ax, xmax=xmax,
                      title=chart_text("{title} — makespan {seconds:.1f} s").format(
                          title=chart_text(title), seconds=timeline.makespan()))
    for ax in axes[:-1]:
        ax.set_xlabel("")
    return fig


def plot_queue_depth(samples: Sequence, timeline: Timeline, ax: Optional[Axes] = None,
                     title: Optional[str] = None) -> Axes:
    """Draw a queue's ready and unacknowledged counts over time.

    ``samples`` are ``queue_depth.Sample``s. The time axis is the one of
    ``timeline``'s chart, and the moment each worker ended (killed, stopped
    or crashed) is drawn as a dashed vertical line. Unacked counts are drawn
    only if they were counted (not with ``QueueDepth(source="amqp")``).
    """
    t0 = timeline.t0
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 2.8), layout="constrained")
    samples = list(samples)
    times = [sample.t - t0 for sample in samples]
    ready = [sample.counts.ready for sample in samples]
    counted = all(sample.counts.unacked is not None for sample in samples)
    unacked = [sample.counts.unacked or 0 for sample in samples] if counted else []
    if samples:  # hold the last counts a little, so that the final level shows
        times.append(times[-1] + 0.05 * max(times[-1] - times[0], 1.0))
        ready.append(ready[-1])
        if unacked:
            unacked.append(unacked[-1])
    ax.step(times, ready, where="post",
            label="messages_ready", color=COLOURS[OUTCOME_DONE], gid="ready")
    if unacked:
        ax.step(times, unacked, where="post",
                label="messages_unacknowledged", color=COLOURS[OUTCOME_KILLED], gid="unacked")
    for i, (worker, t, how) in enumerate(timeline.worker_ends()):
        ax.axvline(t, color="0.3", linestyle="--", linewidth=1)
        # Staggered, so that marks close together stay readable.
        ax.text(t, 1.0 - 0.09 * (i % 3), f" {worker} {chart_text(how)}", transform=ax.get_xaxis_transform(),
                va="top", fontsize=8, color="0.3", gid="mark")
    for down, up in timeline.broker_downtime():
        ax.axvspan(down, up if up is not None else max(times[-1:] + [down]),
                   color=BROKER_DOWN_COLOUR, alpha=0.25, linewidth=0, zorder=0,
                   gid="broker-down")
    ax.set_xlabel(chart_text(X_LABEL))
    ax.set_ylabel(chart_text("messages"))
    ax.set_ylim(-0.4, max(ready + unacked + [0]) + 1)  # a count of 0 stays above the axis
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.grid(color="0.9")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
    if title:
        ax.set_title(chart_text(title), loc="left")
    return ax


def plot_prefetch_sweep(prefetches: Sequence[int], throughput: Sequence[float],
                        makespan: Sequence[float]) -> Figure:
    """Two panels side by side: what each ``prefetch_count`` gave in two experiments.

    Left, the throughput (tasks/s) of many tiny tasks; right, the makespan (s)
    of uneven tasks. ``prefetches`` are ints, 0 meaning no limit, shown in the
    given order, one step apart. Each point has its value written above it.
    """
    if not len(prefetches) == len(throughput) == len(makespan):
        raise ValueError("give one throughput and one makespan per prefetch value")
    labels = [_prefetch_label(prefetch) for prefetch in prefetches]
    positions = list(range(len(prefetches)))
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.2), layout="constrained")
    panels = [(left, throughput, "throughput", chart_text("many tiny tasks: throughput (tasks/s)"),
               chart_text("tasks done per second"), COLOURS[OUTCOME_DONE], "{:.0f}"),
              (right, makespan, "makespan", chart_text("uneven tasks: makespan (s)"),
               chart_text("seconds"), COLOURS[OUTCOME_KILLED], "{:.1f}")]
    for ax, values, gid, title, y_label, colour, value_format in panels:
        ax.plot(positions, list(values), marker="o", color=colour, gid=gid)
        for x, value in zip(positions, values):
            ax.annotate(value_format.format(value), (x, value), xytext=(0, 5),
                        textcoords="offset points", ha="center", va="bottom", fontsize=8,
                        gid=f"{gid}-value")
        ax.set_xticks(positions, labels)
        ax.set_xlim(-0.5, len(positions) - 0.5)
        ax.set_ylim(0, max(list(values) + [1e-3]) * 1.18)  # room for the values on top
        ax.set_xlabel("prefetch_count")
        ax.set_ylabel(y_label)
        ax.set_title(title, loc="left")
        ax.grid(axis="y", color="0.9")
        ax.set_axisbelow(True)
    return fig


def _prefetch_label(prefetch: int) -> str:
    """How a prefetch value is shown on an axis: the number, or "no limit" for 0."""
    return chart_text("no limit") if prefetch == 0 else str(prefetch)


def plot_throughput(timeline: Timeline, window: float = 0.5, title: Optional[str] = None,
                    ax: Optional[Axes] = None) -> Axes:
    """Draw the tasks done per second over time, from ``Timeline.done_per_second``.

    Each step is one ``window``. A worker that started consuming after the
    first task was received gets a dashed line and a note ("worker3 joins");
    workers that were waiting before the work started get none.
    """
    rates = timeline.done_per_second(window)
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 2.8), layout="constrained")
    times: list[float] = []
    values: list[float] = []
    joins: list[tuple[str, float]] = []
    if rates:
        work_starts = rates[0][0] - window  # the first RECEIVED
        # Each rate is held across its window, from its start to its end.
        times = [work_starts] + [end for end, _ in rates]
        values = [rates[0][1]] + [rate for _, rate in rates]
        joins = [(worker, t) for worker, t in timeline.consuming_times().items()
                 if work_starts < t <= times[-1]]  # workers that joined while work went on
    ax.step(times, values, where="pre", color=COLOURS[OUTCOME_DONE], gid="throughput")
    for i, (worker, t) in enumerate(joins):
        ax.axvline(t, color="0.3", linestyle="--", linewidth=1)
        # Staggered, so that workers joining close together stay readable.
        ax.text(t, 1.0 - 0.09 * (i % 3), " " + chart_text("{worker} joins").format(worker=worker),
                transform=ax.get_xaxis_transform(), va="top", fontsize=8, color="0.3",
                gid="joins")
    ax.set_xlabel(chart_text(X_LABEL))
    ax.set_ylabel(chart_text("tasks done per second"))
    ax.set_ylim(0, max(values + [1.0]) * 1.25)  # room for the notes at the top
    if times:
        ax.set_xlim(min(0.0, times[0]), times[-1])
    ax.grid(color="0.9")
    ax.set_axisbelow(True)
    if title:
        ax.set_title(chart_text(title), loc="left")
    return ax


def _problems_note(lost: list[int], done_twice: list[int], unacked: Sequence[int] = ()) -> str:
    """Text such as "lost: tasks 1, 3" (and tasks done more than once, or never acknowledged)."""
    parts = []
    if lost:
        parts.append(chart_text("lost: ") + _task_list(lost))
    if done_twice:
        parts.append(chart_text("done more than once: ") + _task_list(done_twice))
    if unacked:
        parts.append(chart_text("never acknowledged: ") + _task_list(list(unacked)))
    return "; ".join(parts)


def _task_list(numbers: list[int]) -> str:
    """ "task 4", "tasks 1, 3", or the first few and how many more."""
    if len(numbers) == 1:
        return chart_text("task {number}").format(number=numbers[0])
    shown = ", ".join(str(number) for number in numbers[:MAX_LISTED])
    if len(numbers) > MAX_LISTED:
        shown += chart_text(" and {count} more").format(count=len(numbers) - MAX_LISTED)
    return chart_text("tasks {numbers}").format(numbers=shown)


def _done_label(timeline: Timeline) -> str:
    """The legend's words for a done bar: acknowledged, auto-ack (nothing acknowledged), or both."""
    acked = any(event.kind == ACKED for event in timeline.events)
    auto = any(event.kind == DONE and event.detail == AUTO_ACK for event in timeline.events)
    if auto:
        return AUTO_ACK_LABELS[acked]
    return LEGEND_LABELS[OUTCOME_DONE]


def chart_text(english: str) -> str:
    """``english`` in the lesson's language, where this machine has a font that draws it
    (else English: a chart of empty boxes helps nobody)."""
    text = language.translated(english)
    return text if text == english or _font_ready(language.current()) else english


@lru_cache(maxsize=None)
def _font_ready(code: str) -> bool:
    """Make matplotlib draw ``code``'s script, if it needs a font of its own; say if it can."""
    wanted = FONTS.get(code)
    if not wanted:
        return True
    installed = {font.name for font in font_manager.fontManager.ttflist}
    if not any(name in installed for name in wanted):
        # matplotlib's font list is cached: a font installed since is not in it yet.
        for path in font_manager.findSystemFonts():
            if any(word in path for word in FONT_FILES):
                font_manager.fontManager.addfont(path)
        installed = {font.name for font in font_manager.fontManager.ttflist}
    found = [name for name in wanted if name in installed]
    if found:
        plt.rcParams["font.sans-serif"] = [found[0], *plt.rcParams["font.sans-serif"]]
        # Such a font may have no bold face: matplotlib then uses its regular one, and says
        # so on stderr for every bold title.
        logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    return bool(found)


def _add_legend(ax: Axes, attempts: list[Attempt], any_kills: bool, any_downtime: bool,
                done_label: str = LEGEND_LABELS[OUTCOME_DONE], node_down: bool = False) -> None:
    """A small legend, outside the plot on the right, for what is on the chart."""
    outcomes = {attempt.outcome for attempt in attempts}
    labels = {**LEGEND_LABELS, OUTCOME_DONE: done_label}
    handles = [Patch(facecolor=COLOURS[outcome], label=chart_text(labels[outcome]))
               for outcome in OUTCOMES if outcome in outcomes]
    if any(attempt.redelivered for attempt in attempts):
        handles.append(Patch(facecolor=COLOURS[OUTCOME_DONE], edgecolor="white",
                             hatch=REDELIVERED_HATCH, label=chart_text("redelivered")))
    if any_kills:
        handles.append(Line2D([], [], linestyle="none", marker="x", markersize=8,
                              markeredgewidth=2.5, color=KILL_COLOUR, label=chart_text("worker killed")))
    if any_downtime:
        handles.append(Patch(facecolor=BROKER_DOWN_COLOUR, alpha=0.25,
                             label=chart_text("broker restarting")))
    if node_down:  # lesson 6's red band: a node killed, until the queue worked again
        handles.append(Patch(facecolor=KILL_COLOUR, alpha=0.2,
                             label=chart_text("node killed: queue unavailable")))
    if handles:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                  fontsize=8, frameon=False, borderaxespad=0.0)
