"""Lesson 5's claims: step 4's programs lose nothing under kills and a broker restart;
auto-ack, under the same trouble, loses many."""

from __future__ import annotations

from typing import Sequence

from matplotlib.axes import Axes

from workqueue_helpers.claims import claim
from workqueue_helpers.demo.queue_depth import QueueDepth
from workqueue_helpers.demo.run import Run
from workqueue_helpers.record.events import CONSUMING, DISCONNECTED, DONE, RECEIVED

KILLS, RESTARTS, WORKERS = 5, 1, 4  # the lesson's make_trouble, on four workers
AUTO_ACK_LOSES_AT_LEAST = 0.1       # of the tasks: "many", not "a few"


def check_yourself(safe: Run, confirmed: int, depth: QueueDepth, ax: Axes, unsafe: Run,
                   tasks: Sequence[str]) -> None:
    """Check lesson 5's claims on its two runs (manual ack, then auto-ack) and print them."""
    n = len(tasks)
    timeline = safe.timeline
    t0 = timeline.t0
    claim("all {n} tasks were published and confirmed by the broker",
          len(timeline.published()) == confirmed == n, (len(timeline.published()), confirmed), n=n)
    claim("all {n} were completed, none lost",
          len(timeline.completed()) == n and timeline.lost() == [], timeline.lost(), n=n)
    claim("{kills} workers were killed and the broker restarted {restarts} time",
          len(timeline.kills()) == KILLS and len(timeline.broker_downtime()) == RESTARTS,
          (timeline.kills(), timeline.broker_downtime()), kills=KILLS, restarts=RESTARTS)
    marks = [line for line in ax.lines if line.get_gid() == "kills"]
    claim("each kill has its red x on the timeline",
          len(marks) == 1 and len(marks[0].get_xdata()) == len(timeline.kills()), marks)
    attempts = timeline.attempts()
    killed = [a for a in attempts if a.outcome == "killed"]
    redone = {a.task for a in attempts if a.redelivered and a.outcome == "done"}
    claim("each kill cut a task short, and that task was delivered again and done",
          len(killed) == KILLS and all(a.task in redone for a in killed), killed)
    twice = timeline.done_more_than_once()
    # A kill comes in the middle of a task, before its ack: only the restart can cut off
    # a worker whose ack never arrived, one held task each (prefetch_count=1).
    claim("at most one task per worker was completed twice, cut off by the restart",
          len(twice) <= RESTARTS * WORKERS, twice)

    (down, up), = timeline.broker_downtime()
    # The band starts when the broker stopped answering new connections; it closes the
    # workers' own connections a moment later, one after another.
    cut_off = max([e.t - t0 for e in timeline.events
                   if e.kind == DISCONNECTED and down <= e.t - t0 < up], default=down)
    # (No claim on the readings: the band ends when the broker's watch last found it
    # silent, and a reading begun in the band may come back a moment before that.)
    inside = [e for e in timeline.events if e.kind in (RECEIVED, DONE) and cut_off < e.t - t0 < up]
    claim("once the broker had cut the workers off, until it answered again, no task was "
          "received or finished", inside == [], inside)
    back = min(a.start for a in attempts if a.start > up)
    claim("the workers were back at work a moment (under 5 s) after the band",
          0 < back - up < 5.0, back - up)
    before = [s.counts.ready for s in depth.samples if s.t - t0 <= down][-1]
    after = [s.counts.ready for s in depth.samples if s.t - t0 >= up][0]
    claim("at most one held task per worker went back to the queue at the restart",
          after <= before + WORKERS, (before, after))
    cut = [a.task for a in attempts if a.outcome == "interrupted"]
    claim("the tasks the restart cut short were delivered again and done",
          all(task in redone for task in cut), cut)

    lost = len(unsafe.timeline.lost())
    claim("with auto-ack, the same trouble lost many tasks (more than a tenth)",
          lost >= AUTO_ACK_LOSES_AT_LEAST * n, lost)
    (_, unsafe_up), = unsafe.timeline.broker_downtime()
    unsafe_t0 = unsafe.timeline.t0
    # When each worker consumed again after the restart. A worker may still be busy with
    # tasks it was sent before the restart (auto-ack sends them all out at once; seen on
    # 4.3, whose restart is short): those are not new deliveries.
    back_again: dict = {}
    for event in unsafe.timeline.events:
        if event.kind == CONSUMING and event.t - unsafe_t0 > unsafe_up:
            back_again.setdefault(event.worker, event.t - unsafe_t0)
    later = [a for a in unsafe.timeline.attempts()
             if a.worker in back_again and a.start > back_again[a.worker]]
    claim("after the restart the auto-ack workers consumed again, and the queue had "
          "nothing left to send them", bool(back_again) and later == [], (back_again, later))
