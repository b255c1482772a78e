"""The record of a run, and what it says: who did which task, and when.

The notebook reads the workers' events (see ``events.py``) in a background
thread and hands each one to ``Timeline.record``. Afterwards it asks the
timeline questions: which worker got which task, which tasks were lost, how
long the run took, how long each worker waited.

Tasks are identified by their label (the message text). Each gets a number:
1 for the first task published, 2 for the second, and so on.

Times in answers are seconds since ``t0``, the moment the first task was
published.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

from .events import (BROKER_DOWN, BROKER_UP, CONSUMING, DISCONNECTED, DONE, EXITED, KILLED,
                     PUBLISHED, RECEIVED, REJECTED, Event, quoted)

# How an attempt at a task ended.
OUTCOME_DONE = "done"              # the worker finished the work
OUTCOME_KILLED = "killed"          # the worker was killed (or exited) first
OUTCOME_REJECTED = "rejected"      # the worker rejected the task
OUTCOME_UNFINISHED = "unfinished"  # nothing yet: still working on it
OUTCOME_INTERRUPTED = "interrupted"  # the worker lost its connection first
OUTCOMES = (OUTCOME_DONE, OUTCOME_KILLED, OUTCOME_REJECTED, OUTCOME_INTERRUPTED,
            OUTCOME_UNFINISHED)


@dataclass(frozen=True)
class Attempt:
    """One worker working on one task, from RECEIVED until it ended.

    ``start`` and ``end`` are seconds since the timeline's ``t0``;
    ``end`` is None while the attempt is unfinished.
    """

    task: str
    number: int
    worker: str
    start: float
    end: Optional[float]
    redelivered: bool
    outcome: str


class Timeline:
    """Events of one run, recorded as they arrive, and questions about them."""

    def __init__(self, events: Iterable[Event] = ()) -> None:
        self._lock = threading.Lock()
        self._events: list[Event] = list(events)

    def record(self, event: Event) -> None:
        """Add one event (safe to call from the thread reading the workers)."""
        with self._lock:
            self._events.append(event)

    @property
    def events(self) -> list[Event]:
        """A copy of all events so far, sorted by time (ties keep their order)."""
        with self._lock:
            events = list(self._events)
        events.sort(key=lambda event: event.t)
        return events

    @property
    def t0(self) -> float:
        """Time of the first PUBLISHED event, else of the first event (else 0)."""
        return _start_time(self.events)

    def last_time(self) -> float:
        """Seconds from ``t0`` to the last event (0 if there are none)."""
        events = self.events
        if not events:
            return 0.0
        return events[-1].t - _start_time(events)

    # --- tasks and workers -------------------------------------------------

    def task_numbers(self) -> dict[str, int]:
        """Task label -> task number.

        Published tasks are numbered in the order they were first published;
        tasks never published through the notebook come after them, in the
        order they first appear.
        """
        return _number_tasks(self.events)

    def published(self) -> list[str]:
        """Labels of the published tasks, in order: ``published()[n - 1]`` is task n."""
        labels: list[str] = []
        seen: set[str] = set()
        for event in self.events:
            if event.kind == PUBLISHED and event.task is not None and event.task not in seen:
                seen.add(event.task)
                labels.append(event.task)
        return labels

    def workers(self) -> list[str]:
        """Worker names, in the order they started consuming.

        A worker with no CONSUMING event counts from its first event instead.
        """
        first_seen: dict[str, float] = {}
        first_consuming: dict[str, float] = {}
        for event in self.events:
            if event.worker is None:
                continue
            first_seen.setdefault(event.worker, event.t)
            if event.kind == CONSUMING:
                first_consuming.setdefault(event.worker, event.t)
        return sorted(first_seen,
                      key=lambda worker: first_consuming.get(worker, first_seen[worker]))

    # --- attempts ----------------------------------------------------------

    def attempts(self) -> list[Attempt]:
        """One attempt per RECEIVED event, in the order they started.

        An attempt ends at the same worker's next DONE or REJECTED of the same
        task, or when that worker is KILLED, EXITED or DISCONNECTED, whichever
        comes first.
        """
        events = self.events
        t0 = _start_time(events)
        numbers = _number_tasks(events)

        # One slot per RECEIVED event, filled in when the attempt ends.
        slots: list[Optional[Attempt]] = []
        # For each worker, the RECEIVED events it has not finished yet, with
        # their slot. A worker handles one task at a time, so a list normally
        # holds one entry: the loop below stays linear in the number of events.
        running: dict[str, list[tuple[int, Event]]] = {}

        def ended(received: Event, end: Optional[float], outcome: str) -> Attempt:
            return Attempt(task=received.task, number=numbers[received.task],
                           worker=received.worker, start=received.t - t0,
                           end=None if end is None else end - t0,
                           redelivered=received.redelivered, outcome=outcome)

        for event in events:
            if event.kind == RECEIVED and event.task is not None and event.worker is not None:
                running.setdefault(event.worker, []).append((len(slots), event))
                slots.append(None)
            elif event.kind in (DONE, REJECTED):
                outcome = OUTCOME_DONE if event.kind == DONE else OUTCOME_REJECTED
                started = running.get(event.worker, [])
                for i, (slot, received) in enumerate(started):
                    if received.task == event.task:
                        slots[slot] = ended(received, event.t, outcome)
                        del started[i]
                        break
            elif event.kind in (KILLED, EXITED, DISCONNECTED):
                outcome = OUTCOME_INTERRUPTED if event.kind == DISCONNECTED else OUTCOME_KILLED
                for slot, received in running.pop(event.worker, []):
                    slots[slot] = ended(received, event.t, outcome)

        for started in running.values():
            for slot, received in started:
                slots[slot] = ended(received, None, OUTCOME_UNFINISHED)
        return slots  # type: ignore[return-value]  # every slot is filled now

    def tasks_by_worker(self) -> dict[str, list[int]]:
        """Worker -> numbers of the tasks it received, in order (see ``workers``)."""
        result: dict[str, list[int]] = {worker: [] for worker in self.workers()}
        for attempt in self.attempts():
            result[attempt.worker].append(attempt.number)
        return result

    # --- what got done -----------------------------------------------------

    def completed(self) -> list[int]:
        """Numbers of the tasks some worker finished (DONE), sorted."""
        numbers = self.task_numbers()
        return sorted({numbers[e.task] for e in self.events
                       if e.kind == DONE and e.task is not None})

    def lost(self) -> list[int]:
        """Numbers of the published tasks no worker has finished (yet)."""
        done = set(self.completed())
        numbers = self.task_numbers()
        return [numbers[label] for label in self.published() if numbers[label] not in done]

    def done_more_than_once(self) -> list[int]:
        """Numbers of the tasks finished (DONE) two or more times, sorted."""
        numbers = self.task_numbers()
        count: dict[int, int] = {}
        for event in self.events:
            if event.kind == DONE and event.task is not None:
                number = numbers[event.task]
                count[number] = count.get(number, 0) + 1
        return sorted(number for number, n in count.items() if n > 1)

    # --- how long ----------------------------------------------------------

    def makespan(self) -> float:
        """Seconds from ``t0`` to the last DONE (0 if nothing was done)."""
        events = self.events
        done_times = [event.t for event in events if event.kind == DONE]
        if not done_times:
            return 0.0
        return max(done_times) - _start_time(events)

    def busy_time(self) -> dict[str, float]:
        """Worker -> seconds spent on tasks.

        A killed attempt counts until the kill; an unfinished one until the
        last event.
        """
        last = self.last_time()
        busy: dict[str, float] = {worker: 0.0 for worker in self.workers()}
        for attempt in self.attempts():
            end = last if attempt.end is None else attempt.end
            busy[attempt.worker] += end - attempt.start
        return busy

    def idle_time(self) -> dict[str, float]:
        """Worker -> seconds of the makespan it was not busy (never below 0)."""
        makespan = self.makespan()
        return {worker: max(0.0, makespan - busy)
                for worker, busy in self.busy_time().items()}

    def throughput(self) -> float:
        """Tasks done per second, from the first RECEIVED to the last DONE.

        Counts DONE events in that span (a task done twice counts twice).
        0.0 with fewer than two of them.
        """
        events = self.events
        received = [event.t for event in events if event.kind == RECEIVED]
        if not received:
            return 0.0
        first = received[0]
        done = [event.t for event in events if event.kind == DONE and event.t >= first]
        if len(done) < 2 or done[-1] <= first:
            return 0.0
        return len(done) / (done[-1] - first)

    def throughput_between(self, start: float, end: float) -> float:
        """DONE events per second between ``start`` and ``end`` (seconds since t0)."""
        if end <= start:
            return 0.0
        t0 = self.t0
        done = sum(1 for event in self.events
                   if event.kind == DONE and start <= event.t - t0 < end)
        return done / (end - start)

    def done_per_second(self, window: float = 0.5) -> list[tuple[float, float]]:
        """(window end, DONE events in the window / ``window``) for each window.

        The windows are ``window`` seconds long, one after the other, from the
        first RECEIVED until the one holding the last DONE; a DONE at a
        window's end counts in that window. Ends are in seconds since ``t0``.
        Empty without a RECEIVED, or without a DONE after it.
        """
        if window <= 0:
            raise ValueError(f"window must be positive, not {window}")
        events = self.events
        t0 = _start_time(events)
        received = [event.t for event in events if event.kind == RECEIVED]
        if not received:
            return []
        first = received[0]
        done = [event.t for event in events if event.kind == DONE and event.t >= first]
        if not done:
            return []
        # Window k holds the DONEs in (first + k * window, first + (k + 1) * window].
        # Times are time.time(), good to about 0.2 us: a DONE less than a
        # microsecond past a window's end counts as on the end.
        windows = max(1, math.ceil((done[-1] - first - 1e-6) / window))
        counts = [0] * windows
        for t in done:
            k = math.ceil((t - first - 1e-6) / window) - 1
            counts[min(max(k, 0), windows - 1)] += 1
        start = first - t0
        return [(start + (k + 1) * window, count / window) for k, count in enumerate(counts)]

    def consuming_times(self) -> dict[str, float]:
        """Worker -> seconds since ``t0`` of its first CONSUMING, in that order.

        A worker that reconnects consumes again; only its first start counts.
        """
        events = self.events
        t0 = _start_time(events)
        times: dict[str, float] = {}
        for event in events:
            if event.kind == CONSUMING and event.worker is not None:
                times.setdefault(event.worker, event.t - t0)
        return times

    def broker_downtime(self) -> list[tuple[float, Optional[float]]]:
        """(down, up) in seconds since ``t0``; up is None if still down."""
        events = self.events
        t0 = _start_time(events)
        periods: list[tuple[float, Optional[float]]] = []
        down: Optional[float] = None
        for event in events:
            if event.kind == BROKER_DOWN and down is None:
                down = event.t - t0
            elif event.kind == BROKER_UP and down is not None:
                periods.append((down, event.t - t0))
                down = None
        if down is not None:
            periods.append((down, None))
        return periods

    def kills(self) -> list[tuple[str, float]]:
        """(worker, seconds since ``t0``) for each KILLED event."""
        events = self.events
        t0 = _start_time(events)
        return [(event.worker, event.t - t0) for event in events
                if event.kind == KILLED and event.worker is not None]

    # --- tables ------------------------------------------------------------

    def assignment_table(self) -> str:
        """Who got which task and how it ended, as plain text without times.

        One row per attempt, by task number then start; the message quoted
        as the worker prints it. A published task no worker ever received
        gets a row with worker "-".
        """
        headers = ["task", "message", "worker", "redelivered", "outcome"]
        rows = [row[:5] for row in self._table_rows()]
        return format_table(headers, rows)

    def task_table(self) -> str:
        """Like ``assignment_table``, plus start and end in seconds since ``t0``."""
        headers = ["task", "message", "worker", "redelivered", "outcome", "start", "end"]
        return format_table(headers, self._table_rows())

    def _table_rows(self) -> list[list[str]]:
        """Rows of ``task_table``: the first five columns make ``assignment_table``."""
        attempts = self.attempts()  # in start order
        received = {attempt.task for attempt in attempts}
        numbers = self.task_numbers()
        rows: list[tuple[int, list[str]]] = []
        for attempt in attempts:
            end = "-" if attempt.end is None else f"{attempt.end:.1f}"
            rows.append((attempt.number, [
                str(attempt.number), quoted(attempt.task), attempt.worker,
                "yes" if attempt.redelivered else "no", attempt.outcome,
                f"{attempt.start:.1f}", end]))
        for label in self.published():
            if label not in received:
                rows.append((numbers[label], [
                    str(numbers[label]), quoted(label), "-", "-", "never received", "-", "-"]))
        rows.sort(key=lambda numbered: numbered[0])  # stable: a task's attempts stay in start order
        return [row for _, row in rows]


def format_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Fixed-width plain-text table: left-aligned columns, header underlined."""
    rows = [[str(cell) for cell in row] for row in rows]
    widths = [len(header) for header in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def line(cells: Sequence[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip()

    lines = [line(headers), line(["-" * width for width in widths])]
    lines.extend(line(row) for row in rows)
    return "\n".join(lines)


def _start_time(events: list[Event]) -> float:
    """t0 of events sorted by time: the first PUBLISHED, else the first event."""
    for event in events:
        if event.kind == PUBLISHED:
            return event.t
    return events[0].t if events else 0.0


def _number_tasks(events: list[Event]) -> dict[str, int]:
    """Task label -> number: published tasks first, then the others by appearance."""
    numbers: dict[str, int] = {}
    for event in events:
        if event.kind == PUBLISHED and event.task is not None and event.task not in numbers:
            numbers[event.task] = len(numbers) + 1
    for event in events:
        if event.task is not None and event.task not in numbers:
            numbers[event.task] = len(numbers) + 1
    return numbers
