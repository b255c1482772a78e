"""Where a running cell is redrawn in place: its workers, its timeline and what is happening now.

When a lesson cell starts waiting on workers or on the broker, one display
appears at the top of the cell's output and is redrawn four times a second
until the cell ends:

    12.4 s · lesson02.manual-ack: 3 of 5 tasks done, 1 of 2 workers running · worker1 killed
    ┌─ worker1 ─────┐ ┌─ worker2 ─────┐     the last lines of each terminal
    [the timeline so far, bars growing; redrawn every second]

When the cell ends, the display is emptied, and what the cell printed stays
below it: that is what the notebook stores and nbval compares. The display
is empty when it appears and empty when the cell ends, so nbval, which
compares the first frame of a display, sees the same output on every run.

Helpers call ``watch(run)`` when they start waiting on a run and ``watch_counts``
for a queue's sampled counts; what is happening now ("broker restarting") comes
through ``workqueue_helpers.status``, which this module listens to. Outside a
Jupyter kernel (tests, scripts), or with the environment variable
WORKQUEUE_LIVE=0, they do nothing.
"""

from __future__ import annotations

import base64
import html
import io
import os
import threading
import time
from typing import Any, Dict, List, Optional, Protocol

from workqueue_helpers import status
from workqueue_helpers.broker.counts import QueueCounts
from workqueue_helpers.record.timeline import Timeline

FRAME_SECONDS = 0.25      # the status line and terminals: four frames a second
CHART_SECONDS = 1.0       # the timeline is drawn again at most once a second, on its own thread
CHART_MAX_TASKS = 300     # beyond this many tasks, progress only: a chart takes too long to draw
TERMINAL_LINES = 5        # the last lines of each worker's terminal
TERMINAL_WIDTH = 34
EMPTY = {"text/plain": ""}
OFF_VARIABLE = "WORKQUEUE_LIVE"   # "0": no live display (the benchmark compares)

_view: Optional["LiveView"] = None
_view_lock = threading.Lock()


class WatchedRun(Protocol):
    """What the live view reads of a run (``demo.run.Run``)."""

    queue: str
    timeline: Timeline

    @property
    def done_count(self) -> int: ...

    @property
    def published_count(self) -> int: ...

    def worker_names(self) -> List[str]: ...

    def live_workers(self) -> List[str]: ...

    def busy(self) -> bool: ...

    def prefetch_counts(self) -> Dict[str, int]: ...

    def screens(self) -> Dict[str, str]: ...


class WatchedCounts(Protocol):
    """What the live view reads of a queue's sampled counts (``demo.queue_depth.QueueDepth``)."""

    def latest(self) -> Optional[QueueCounts]: ...


def watch(run: WatchedRun) -> None:
    """Show ``run`` in this cell's live display."""
    view = _cell_view()
    if view is not None:
        view.run = run


def watch_counts(depth: WatchedCounts) -> None:
    """Show the latest counts that ``depth`` read."""
    view = _cell_view()
    if view is not None:
        view.depth = depth


def _show_activity(text: str) -> None:
    """Show ``text`` as what is happening now ("" when it is over): what ``status.say`` sends."""
    view = _cell_view()
    if view is not None:
        view.activity = text
        view.activity_since = time.monotonic()


status.listen(_show_activity)


def _kernel_shell() -> Any:
    """The IPython shell of a Jupyter kernel, or None (plain Python, pytest, a terminal
    IPython, or the live display turned off)."""
    if os.environ.get(OFF_VARIABLE) == "0":
        return None
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return shell if shell is not None and hasattr(shell, "kernel") else None


def _cell_view() -> Optional["LiveView"]:
    """This cell's live display, made on first use; None outside a kernel."""
    global _view
    shell = _kernel_shell()
    if shell is None:
        return None
    with _view_lock:
        if _view is None:
            _view = LiveView()
            shell.events.register("post_run_cell", _end_of_cell)
        return _view


def _end_of_cell(*_: Any) -> None:
    """IPython's post_run_cell event, also after an error or Interrupt Kernel: empty the display."""
    global _view
    shell = _kernel_shell()
    if shell is not None:
        shell.events.unregister("post_run_cell", _end_of_cell)
    with _view_lock:
        view, _view = _view, None
    if view is not None:
        view.close()


class LiveView:
    """One cell's display, redrawn on a background thread until ``close``."""

    def __init__(self) -> None:
        from IPython.display import display

        self.started = time.monotonic()
        self.run: Optional[WatchedRun] = None
        self.depth: Optional[WatchedCounts] = None
        self.activity = ""
        self.activity_since = self.started
        self._chart = ""            # the last timeline drawn, as a base64 PNG
        self._chart_events = -1
        self._closed = False
        self._update_lock = threading.Lock()
        self._handle = display(EMPTY, raw=True, display_id=True)
        self._stop = threading.Event()
        # Two threads: a chart can take a second to draw on a busy machine, and the status
        # line and terminals go on meanwhile.
        self._threads = [threading.Thread(target=loop, name=name, daemon=True) for loop, name in
                         ((self._redraw_until_closed, "live-view"),
                          (self._draw_charts_until_closed, "live-view-chart"))]
        for thread in self._threads:
            thread.start()

    def close(self) -> None:
        """Stop redrawing and empty the display."""
        self._stop.set()
        for thread in self._threads:
            thread.join(5)
        with self._update_lock:
            self._closed = True
            self._handle.update(EMPTY, raw=True)

    def _redraw_until_closed(self) -> None:
        while not self._stop.wait(FRAME_SECONDS):
            try:
                frame = self.frame()
            except Exception as error:  # a frame must never break the lesson
                frame = {"text/plain": f"(live view: {error})"}
            with self._update_lock:
                if not self._closed:
                    self._handle.update(frame, raw=True)

    def frame(self) -> dict:
        """The display's content now: text for any frontend, HTML with the chart for the rest."""
        text = self.status_line()
        if self.run is not None and self.run.screens():
            text += "\n" + self.terminals()
        page = (f'<pre style="font-family: var(--jp-code-font-family, monospace); line-height: 1.3">'
                f'{html.escape(text)}</pre>')
        if self._chart:
            page += f'<img alt="timeline so far" src="data:image/png;base64,{self._chart}">'
        return {"text/plain": text, "text/html": page}

    def status_line(self) -> str:
        """Elapsed time, the run's progress, the queue's counts and what is happening now."""
        parts = [f"{time.monotonic() - self.started:5.1f} s"]
        run = self.run
        if run is not None:
            alive, started = len(run.live_workers()), len(run.worker_names())
            prefetches = set(run.prefetch_counts().values())
            prefetch = f", prefetch {prefetches.pop() or 'unlimited'}" if len(prefetches) == 1 else ""
            parts.append(f"{run.queue}: {run.done_count} of {run.published_count} tasks done, "
                         f"{alive} of {started} workers running{prefetch}")
        counts = self.depth.latest() if self.depth is not None else None
        if counts is not None:
            unacked = "" if counts.unacked is None else f", {counts.unacked} unacked"
            parts.append(f"queue: {counts.ready} ready{unacked}")
        if self.activity:
            parts.append(f"{self.activity} ({time.monotonic() - self.activity_since:.0f} s)")
        return " · ".join(parts)

    def terminals(self) -> str:
        """The last lines of each worker's terminal, side by side."""
        from workqueue_helpers.show.terminals import side_by_side

        screens = {name: "\n".join(text.splitlines()[-TERMINAL_LINES:])
                   for name, text in self.run.screens().items()}
        return side_by_side(screens, width=TERMINAL_WIDTH)

    def _draw_charts_until_closed(self) -> None:
        while not self._stop.wait(CHART_SECONDS):
            try:
                self._chart = self.chart()
            except Exception:  # a chart must never break the lesson; the last one stays
                pass

    def chart(self) -> str:
        """The run's timeline so far as a base64 PNG, drawn again only when it changed."""
        run = self.run
        if run is None or run.published_count > CHART_MAX_TASKS:
            return ""
        events = run.timeline.events
        if not events or (len(events) == self._chart_events and not run.busy()):
            return self._chart
        from matplotlib.figure import Figure

        from workqueue_helpers.show.chart import plot_timeline

        workers = max(len(run.screens()), 1)
        figure = Figure(figsize=(8, 1.3 + 0.4 * workers), dpi=60, layout="constrained")
        plot_timeline(run.timeline, ax=figure.subplots(), now=time.time() - run.timeline.t0)
        png = io.BytesIO()
        figure.savefig(png, format="png")
        self._chart_events = len(events)
        return base64.b64encode(png.getvalue()).decode("ascii")
