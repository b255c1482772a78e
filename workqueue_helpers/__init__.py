"""Helpers for the RabbitMQ work-queue lessons.

Where to look:

- what learners read: the tutorial's programs, one folder per step, in
  ``notebooks/programs/`` (``programs.py`` finds them); ``harness.py`` runs
  every one of them under the notebook's instruments; ``worker.py`` and
  ``new_task.py`` are their command line;
- ``connection.py``: the one way to connect and declare the task queue, and
  the one place a broker's refusal becomes a one-line message;
- ``processes.py``: child processes that cannot outlive the notebook;
- ``broker/``: where a broker comes from (find one, start one, restart it, count its queues);
- ``demo/``: running a demo: a lesson's runs of worker processes, kills, restarts, cleanup;
- ``record/``: what happened: events, the timeline, scheduling math;
- ``show/``: showing it: charts, terminals side by side, tables, source listings.

A worker starts in ``demo/worker_process.py``; an event is recorded in
``record/events.py`` (``record``) and lands in ``record/timeline.py``
(``Timeline.record``); a bar is drawn in ``show/chart.py`` (``plot_timeline``).

Import from the module that does the job, e.g.
``from workqueue_helpers.demo.lesson import Lesson``. This file imports
nothing, so that a program under ``python -m workqueue_helpers.harness`` starts fast
(no matplotlib).
"""
