"""The record of a run, and what it says: who did which task, and when.

The notebook reads the workers' events (see ``events.py``) in a background
thread and hands each one to ``Timeline.record``. Afterwards it asks the
timeline questions: which worker got which task, how each attempt ended,
which tasks were lost, how long the run took, how long each worker waited.

A task is identified by its ``task`` id (the AMQP message_id the notebook's
publisher sets) and shown by its label (the message text). Each gets a
number: 1 for the first task published, 2 for the second, and so on.

Times in answers are seconds since ``t0``, the moment the first task was
published (or first received, if a worker got it before the confirm came).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Iterable, Optional

from workqueue_helpers.record.events import (ACKED, AUTO_ACK, BROKER_AWAY, BROKER_DOWN, BROKER_UP, CONSUMING,
                                             DISCONNECTED, DONE, EXITED, KILLED, PUBLISHED, QOS,
                                             NODE_DOWN, NODE_UP, PRODUCER, RECEIVED, REJECTED,
                                             STOPPED, CONNECTED, Event, quoted)

@dataclass(frozen=True)
class NodeOutage:
    """One node of a cluster killed, and when the queue worked again (seconds since t0)."""

    node: str
    down: float
    published_again: Optional[float]
    received_again: Optional[float]
    up: Optional[float]

    @property
    def unavailable_until(self) -> Optional[float]:
        """When the queue both took and delivered tasks again."""
        if self.published_again is None or self.received_again is None:
            return None
        return max(self.published_again, self.received_again)


# How an attempt at a task ended.
OUTCOME_DONE = "done"              # the work finished and was acknowledged (or auto-ack)
OUTCOME_UNACKED = "not acked"      # the work finished, but the worker never acknowledged it
OUTCOME_REJECTED = "rejected"      # the worker rejected the task
OUTCOME_KILLED = "killed"          # the notebook killed the worker (SIGKILL) first
OUTCOME_STOPPED = "stopped"        # the notebook stopped the worker (CTRL+C) first
OUTCOME_CRASHED = "crashed"        # the worker exited on its own first
OUTCOME_INTERRUPTED = "interrupted"  # the worker lost its connection first
OUTCOME_UNFINISHED = "unfinished"  # nothing yet: still working on it
OUTCOMES = (OUTCOME_DONE, OUTCOME_UNACKED, OUTCOME_REJECTED, OUTCOME_KILLED, OUTCOME_STOPPED,
            OUTCOME_CRASHED, OUTCOME_INTERRUPTED, OUTCOME_UNFINISHED)
WORK_FINISHED = (OUTCOME_DONE, OUTCOME_UNACKED)  # the task's work was done in full


@dataclass(frozen=True)
class Attempt:
    """One worker working on one task, from RECEIVED until it ended.

    ``start`` and ``end`` are seconds since the timeline's ``t0``;
    ``end`` is None while the attempt is unfinished.
    """

    task: str
    label: str
    number: int
    worker: str
    start: float
    end: Optional[float]
    redelivered: bool
    outcome: str
    # The worker finished the work and sent its ack, but lost its connection before the
    # ack reached the broker (outcome "interrupted"): the work was done, the task comes back.
    ack_lost: bool = False


class Timeline:
    """Events of one run, recorded as they arrive, and questions about them."""

    def __init__(self, events: Iterable[Event] = ()) -> None:
        self._lock = threading.Lock()
        self._events: list[Event] = []
        # The tally, kept as events arrive, so that a wait can ask after every event:
        self._published: dict[str, None] = {}  # task ids, in the order they arrived
        self._done: set[str] = set()            # acknowledged (or auto-ack and finished)
        self._working: dict[str, Optional[str]] = {}  # worker -> the task it is on
        self._acked_in_callback: set[tuple[str, str]] = set()  # done once the callback returns
        for event in events:
            self.record(event)

    def record(self, event: Event) -> None:
        """Add one event (safe to call from the thread reading the workers)."""
        with self._lock:
            self._events.append(event)
            self._tally(event)

    def _tally(self, event: Event) -> None:
        """Count ``event`` in the published and done tasks (the same rules as ``attempts``)."""
        worker, task, kind = event.worker, event.task, event.kind
        if kind == PUBLISHED and task is not None:
            self._published.setdefault(task, None)
        elif worker is None or task is None and kind not in (EXITED, DISCONNECTED, KILLED):
            return
        elif kind == RECEIVED:
            self._working[worker] = task
        elif kind == ACKED and self._working.get(worker) == task:
            self._acked_in_callback.add((worker, task))
        elif kind == ACKED:
            self._done.add(task)
        elif kind == DONE:
            self._working.pop(worker, None)
            if event.detail == AUTO_ACK or (worker, task) in self._acked_in_callback:
                self._done.add(task)
            self._acked_in_callback.discard((worker, task))
        elif kind in (REJECTED, EXITED, DISCONNECTED, KILLED):
            # An ack sent in a callback that did not return never reached the broker.
            current = self._working.pop(worker, None)
            self._acked_in_callback.discard((worker, current))

    def published_count(self) -> int:
        """How many different tasks were published."""
        with self._lock:
            return len(self._published)

    def done_count(self) -> int:
        """How many different tasks are done: acknowledged, or finished with auto-ack."""
        with self._lock:
            return len(self._done)

    def all_done(self) -> bool:
        """Is every published task done?"""
        with self._lock:
            return len(self._done) >= len(self._published) and \
                all(task in self._done for task in self._published)

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
        """Task id -> task number.

        Published tasks are numbered in the order they were first published;
        tasks never published through the notebook come after them, in the
        order they first appear.
        """
        return _number_tasks(self.events)

    def labels(self) -> dict[str, str]:
        """Task id -> its label (the message text), from the first event that gives one."""
        labels: dict[str, str] = {}
        for event in self.events:
            if event.task is not None and event.label is not None:
                labels.setdefault(event.task, event.label)
        return labels

    def published(self) -> list[str]:
        """Ids of the published tasks, in order: ``published()[n - 1]`` is task n."""
        ids: list[str] = []
        seen: set[str] = set()
        for event in self.events:
            if event.kind == PUBLISHED and event.task is not None and event.task not in seen:
                seen.add(event.task)
                ids.append(event.task)
        return ids

    def workers(self) -> list[str]:
        """Worker names, in the order they started consuming.

        A worker with no CONSUMING event counts from its first event instead.
        """
        first_seen: dict[str, float] = {}
        first_consuming: dict[str, float] = {}
        for event in self.events:
            if event.worker is None or event.worker == PRODUCER:
                continue
            first_seen.setdefault(event.worker, event.t)
            if event.kind == CONSUMING:
                first_consuming.setdefault(event.worker, event.t)
        return sorted(first_seen,
                      key=lambda worker: first_consuming.get(worker, first_seen[worker]))

    # --- attempts ----------------------------------------------------------

    def attempts(self) -> list[Attempt]:
        """One attempt per RECEIVED event, in the order they started.

        An attempt's work ends at the same worker's DONE (or REJECTED) of the
        same task: DONE is recorded when the worker's callback returns. The
        attempt is "done" if the worker acknowledged the task (ACKED, inside
        the callback or after it), or at once with auto-ack; a DONE never
        acknowledged stays "not acked". An attempt whose work had not ended ends when its worker
        is KILLED, loses its connection (DISCONNECTED), or exits (EXITED:
        "stopped" if the notebook stopped it, else "crashed").
        """
        events = self.events
        t0 = _start_time(events)
        numbers = _number_tasks(events)
        labels = self.labels()

        # One slot per RECEIVED event, filled in when the attempt ends.
        slots: list[Optional[Attempt]] = []
        # For each worker, the RECEIVED events it is working on, with their slot.
        # A worker handles one task at a time, so a list normally holds one entry.
        working: dict[str, list[tuple[int, Event]]] = {}
        # For each worker, attempts whose work is done and whose ack is awaited.
        awaiting_ack: dict[str, list[tuple[int, Attempt]]] = {}
        stopping: set[str] = set()  # workers the notebook asked to stop
        # (worker, task) acknowledged before the callback returned: the usual
        # order (the ack is the callback's last line), or an ack before the work.
        acked_while_working: set[tuple[str, Optional[str]]] = set()

        def ended(received: Event, end: Optional[float], outcome: str,
                  ack_lost: bool = False) -> Attempt:
            return Attempt(task=received.task, label=labels.get(received.task, received.task),
                           number=numbers[received.task], worker=received.worker,
                           start=received.t - t0, end=None if end is None else end - t0,
                           redelivered=received.redelivered, outcome=outcome, ack_lost=ack_lost)

        def take(worker: str, task: Optional[str]) -> Optional[tuple[int, Event]]:
            started = working.get(worker, [])
            for i, (_, received) in enumerate(started):
                if received.task == task:
                    return started.pop(i)
            return None

        def end_all(worker: str, t: float, outcome: str) -> None:
            for slot, received in working.pop(worker, []):
                # An ack sent inside a callback that never returned did not reach the broker;
                # where the connection was lost, the ack was what found out (the work was done).
                sent = (worker, received.task) in acked_while_working
                slots[slot] = ended(received, t, outcome,
                                    ack_lost=sent and outcome == OUTCOME_INTERRUPTED)
                acked_while_working.discard((worker, received.task))

        for event in events:
            worker = event.worker
            if worker is None:
                continue
            if event.kind == RECEIVED and event.task is not None:
                working.setdefault(worker, []).append((len(slots), event))
                slots.append(None)
            elif event.kind == REJECTED and (found := take(worker, event.task)):
                slots[found[0]] = ended(found[1], event.t, OUTCOME_REJECTED)
            elif event.kind == DONE and (found := take(worker, event.task)):
                slot, received = found
                if event.detail == AUTO_ACK or (worker, event.task) in acked_while_working:
                    acked_while_working.discard((worker, event.task))
                    slots[slot] = ended(received, event.t, OUTCOME_DONE)
                else:
                    slots[slot] = ended(received, event.t, OUTCOME_UNACKED)
                    awaiting_ack.setdefault(worker, []).append((slot, slots[slot]))
            elif event.kind == ACKED and any(r.task == event.task for _, r in working.get(worker, [])):
                acked_while_working.add((worker, event.task))  # the ack came inside the callback
            elif event.kind == ACKED:
                waiting = awaiting_ack.get(worker, [])
                for i, (slot, attempt) in enumerate(waiting):
                    if attempt.task == event.task:
                        slots[slot] = _replace_outcome(attempt, OUTCOME_DONE)
                        del waiting[i]
                        break
            elif event.kind == KILLED:
                end_all(worker, event.t, OUTCOME_KILLED)
            elif event.kind == STOPPED:
                stopping.add(worker)
            elif event.kind == DISCONNECTED:
                end_all(worker, event.t, OUTCOME_INTERRUPTED)
            elif event.kind == EXITED:
                end_all(worker, event.t, OUTCOME_STOPPED if worker in stopping else OUTCOME_CRASHED)

        for started in working.values():
            for slot, received in started:
                slots[slot] = ended(received, None, OUTCOME_UNFINISHED)
        return slots  # type: ignore[return-value]  # every slot is filled now

    def handed_out(self) -> dict[int, float]:
        """Task number -> when the broker could first hand it to the worker that got it (seconds
        since ``t0``): once the task was published and that worker was free, having ended its
        previous task (its ack) or started consuming. For a worker with prefetch_count=1, the
        moment the task left the queue; its RECEIVED comes a moment after, and on a busy
        machine many milliseconds after (the worker's process has to run to record it)."""
        events = self.events
        t0 = _start_time(events)
        numbers = _number_tasks(events)
        published = {numbers[e.task]: e.t - t0 for e in events if e.kind == PUBLISHED and e.task}
        free_since = self.consuming_times()
        handed: dict[int, float] = {}
        for attempt in sorted(self.attempts(), key=lambda attempt: attempt.start):
            since = max(free_since.get(attempt.worker, attempt.start), published.get(attempt.number, 0.0))
            handed.setdefault(attempt.number, min(since, attempt.start))
            if attempt.end is not None:
                free_since[attempt.worker] = attempt.end
        return handed

    def tasks_by_worker(self) -> dict[str, list[int]]:
        """Worker -> numbers of the tasks it received, in order (see ``workers``)."""
        result: dict[str, list[int]] = {worker: [] for worker in self.workers()}
        for attempt in self.attempts():
            result[attempt.worker].append(attempt.number)
        return result

    # --- what got done -----------------------------------------------------

    def completed(self) -> list[int]:
        """Numbers of the tasks done: work finished and acknowledged (or auto-ack), sorted."""
        return sorted({a.number for a in self.attempts() if a.outcome == OUTCOME_DONE})

    def unacknowledged(self) -> list[int]:
        """Numbers of the tasks whose work finished but that no worker acknowledged, sorted."""
        attempts = self.attempts()
        done = {a.number for a in attempts if a.outcome == OUTCOME_DONE}
        return sorted({a.number for a in attempts if a.outcome == OUTCOME_UNACKED} - done)

    def later_attempts(self, attempt: Attempt) -> list[Attempt]:
        """The attempts at ``attempt``'s task that began after it, in order: where it went next."""
        return [later for later in self.attempts()
                if later.task == attempt.task and later.start > attempt.start]

    def lost(self) -> list[int]:
        """Numbers of the published tasks that are neither done nor done-but-unacknowledged."""
        attempts = self.attempts()
        finished = {a.number for a in attempts if a.outcome in WORK_FINISHED}
        numbers = self.task_numbers()
        return [numbers[task] for task in self.published() if numbers[task] not in finished]

    def done_more_than_once(self) -> list[int]:
        """Numbers of the tasks whose work was finished in full two or more times, sorted
        (an attempt whose ack was lost with its connection counts: its work was done)."""
        count: dict[int, int] = {}
        for attempt in self.attempts():
            if attempt.outcome in WORK_FINISHED or attempt.ack_lost:
                count[attempt.number] = count.get(attempt.number, 0) + 1
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

    def idle_at_end(self) -> dict[str, float]:
        """Worker -> seconds from the end of its last finished task to the end of the run's
        last one: how long it sat idle at the end while others still worked."""
        ends: dict[str, float] = {}
        for attempt in self.attempts():
            if attempt.end is not None and attempt.outcome in WORK_FINISHED:
                ends[attempt.worker] = max(ends.get(attempt.worker, 0.0), attempt.end)
        last = max(ends.values(), default=0.0)
        return {worker: last - ends.get(worker, last) for worker in self.workers()}

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

    def prefetch_counts(self) -> dict[str, int]:
        """Worker -> the prefetch_count its last basic_qos set (0, no limit, if none)."""
        counts: dict[str, int] = {}
        for event in self.events:
            if event.kind == CONSUMING and event.worker not in counts:
                counts[event.worker] = 0
            elif event.kind == QOS and event.worker is not None:
                counts[event.worker] = int(event.detail.split()[0].split("=")[1])
        return counts

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
        """(down, up) in seconds since ``t0``; up is None if still down.

        The broker is down from the moment it stopped answering new connections
        (BROKER_AWAY, which ``restart_broker`` records as its watch saw it). Where
        that was not recorded: from the last DISCONNECTED after a BROKER_DOWN or, if
        no worker noticed, from the BROKER_DOWN itself. (A stop takes a moment to
        begin, and a busy worker notices only when it next sends something: the
        worker's DISCONNECTED can come seconds after the broker went.) It is up again
        at the BROKER_UP, or earlier if a worker had it back first: a QOS or
        CONSUMING after a DISCONNECTED needs a broker that answers. (``restart_broker``
        records BROKER_UP when the broker first answered again.)
        """
        events = self.events
        t0 = _start_time(events)
        periods: list[tuple[float, Optional[float]]] = []
        asked: Optional[float] = None  # when the restart was asked for
        away: Optional[float] = None   # when the broker stopped answering
        cut: list[float] = []          # when each worker lost its connection
        back: Optional[float] = None   # when a worker first had a broker again

        def down() -> float:
            if away is not None:
                return away
            return max(cut) if cut else asked  # type: ignore[return-value]

        for event in events:
            t = event.t - t0
            if event.kind == BROKER_DOWN and asked is None:
                asked = t
            elif event.kind == BROKER_AWAY and asked is not None and away is None:
                away = t
            elif event.kind == DISCONNECTED and asked is not None and back is None:
                cut.append(t)
            elif event.kind in (QOS, CONSUMING) and cut and back is None:
                back = t
            elif event.kind == BROKER_UP and asked is not None:
                periods.append((down(), t if back is None else min(back, t)))
                asked, away, cut, back = None, None, [], None
        if asked is not None:
            periods.append((down(), back))
        return periods

    def node_outages(self) -> list["NodeOutage"]:
        """For each node killed (NODE_DOWN, lesson 6): when, and when the queue worked
        again, in seconds since ``t0``.

        The notebook records NODE_DOWN just before it sends SIGKILL. A confirm or
        a delivery in the next few milliseconds may still come from the dying
        node, so the queue counts as working again at the first task confirmed
        (``published_again``) and the first task received (``received_again``)
        after the first client lost its connection (DISCONNECTED): by then the
        node is dead. None if none came.
        """
        events = self.events
        t0 = _start_time(events)
        outages = []
        for i, event in enumerate(events):
            if event.kind != NODE_DOWN:
                continue
            later = events[i + 1:]
            cut = next((j for j, e in enumerate(later) if e.kind == DISCONNECTED), 0)
            published = next((e.t - t0 for e in later[cut:] if e.kind == PUBLISHED), None)
            received = next((e.t - t0 for e in later[cut:] if e.kind == RECEIVED), None)
            up = next((e.t - t0 for e in later if e.kind == NODE_UP and e.detail == event.detail), None)
            outages.append(NodeOutage(event.detail, event.t - t0, published, received, up))
        return outages

    def backlog_at(self, t: float) -> int:
        """Tasks published (confirmed) by ``t`` seconds since ``t0`` and not yet done then."""
        events = self.events
        t0 = _start_time(events)
        published = {e.task for e in events if e.kind == PUBLISHED and e.t - t0 <= t}
        done = {a.task for a in self.attempts()
                if a.outcome == OUTCOME_DONE and a.end is not None and a.end <= t}
        return len(published - done)

    def connections(self) -> list[tuple[str, float, str]]:
        """(worker or producer, seconds since ``t0``, "host:port") for each connection
        a worker or the producer opened (CONNECTED)."""
        events = self.events
        t0 = _start_time(events)
        return [(event.worker, event.t - t0, event.detail) for event in events
                if event.kind == CONNECTED and event.worker is not None]

    def kills(self) -> list[tuple[str, float]]:
        """(worker, seconds since ``t0``) for each KILLED event."""
        events = self.events
        t0 = _start_time(events)
        return [(event.worker, event.t - t0) for event in events
                if event.kind == KILLED and event.worker is not None]

    def worker_ends(self) -> list[tuple[str, float, str]]:
        """(worker, seconds since ``t0``, how) for each worker that ended, in time order.

        ``how`` is "killed" (at the KILLED event), "stopped" (the notebook
        stopped it) or "crashed" (it exited on its own), at its EXITED event.
        """
        events = self.events
        t0 = _start_time(events)
        ends: dict[str, tuple[float, str]] = {}
        stopping: set[str] = set()
        for event in events:
            worker = event.worker
            if worker is None or worker in ends:
                continue
            if event.kind == KILLED:
                ends[worker] = (event.t - t0, "killed")
            elif event.kind == STOPPED:
                stopping.add(worker)
            elif event.kind == EXITED:
                ends[worker] = (event.t - t0, "stopped" if worker in stopping else "crashed")
        return sorted(((worker, t, how) for worker, (t, how) in ends.items()),
                      key=lambda end: end[1])

    def intrinsic_makespan(self, seconds_per_dot: dict[str, float]) -> float:
        """The makespan the sleeps alone would take: for each worker, the work
        its tasks asked for (dots x its ``seconds_per_dot``; for a task cut
        short, the part it did), and the most any worker had."""
        work: dict[str, float] = {}
        for attempt in self.attempts():
            asked = attempt.label.count(".") * seconds_per_dot.get(attempt.worker, 1.0)
            done = asked if attempt.outcome in WORK_FINISHED or attempt.end is None \
                else min(asked, attempt.end - attempt.start)
            work[attempt.worker] = work.get(attempt.worker, 0.0) + done
        return max(work.values(), default=0.0)

    # --- rows for tables ------------------------------------------------------

    def task_rows(self) -> list[list[str]]:
        """One row per attempt, by task number then start: task, message,
        worker, redelivered, outcome, start, end. A published task no worker
        ever received gets a row with worker "-" ("never received").
        The message is quoted as the worker prints it; times are seconds since ``t0``.
        """
        attempts = self.attempts()  # in start order
        received = {attempt.task for attempt in attempts}
        numbers = self.task_numbers()
        labels = self.labels()
        rows: list[tuple[int, list[str]]] = []
        for attempt in attempts:
            end = "-" if attempt.end is None else f"{attempt.end:.1f}"
            rows.append((attempt.number, [
                str(attempt.number), quoted(attempt.label), attempt.worker,
                "yes" if attempt.redelivered else "no", attempt.outcome,
                f"{attempt.start:.1f}", end]))
        for task in self.published():
            if task not in received:
                rows.append((numbers[task], [
                    str(numbers[task]), quoted(labels.get(task, task)), "-", "-",
                    "never received", "-", "-"]))
        rows.sort(key=lambda numbered: numbered[0])  # stable: a task's attempts stay in start order
        return [row for _, row in rows]


def _replace_outcome(attempt: Attempt, outcome: str) -> Attempt:
    return Attempt(attempt.task, attempt.label, attempt.number, attempt.worker, attempt.start,
                   attempt.end, attempt.redelivered, outcome, attempt.ack_lost)


def _start_time(events: list[Event]) -> float:
    """t0 of events sorted by time: the first PUBLISHED, or the first RECEIVED of a
    published task if that came earlier (a worker can get a task a moment before
    its publisher hears the broker's confirm); with nothing published, the first event."""
    published = {event.task for event in events if event.kind == PUBLISHED}
    for event in events:
        if event.kind == PUBLISHED or (event.kind == RECEIVED and event.task in published):
            return event.t
    return events[0].t if events else 0.0


def _number_tasks(events: list[Event]) -> dict[str, int]:
    """Task id -> number: published tasks first, then the others by appearance."""
    numbers: dict[str, int] = {}
    for event in events:
        if event.kind == PUBLISHED and event.task is not None and event.task not in numbers:
            numbers[event.task] = len(numbers) + 1
    for event in events:
        if event.task is not None and event.task not in numbers:
            numbers[event.task] = len(numbers) + 1
    return numbers
