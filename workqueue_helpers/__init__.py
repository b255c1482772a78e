"""Helpers for the RabbitMQ work-queue lessons.

Where to look:

- ``new_task.py`` and ``worker.py``: the tutorial's two programs, the code that runs;
- ``broker.py``: finds a RabbitMQ, or starts one (Docker or a private node);
- ``workers.py``: starts worker processes, kills them, records their events;
- ``timeline.py``: what happened, as tables and numbers;
- ``chart.py``: where each bar is drawn;
- ``terminals.py``: each worker's terminal, side by side;
- ``lesson.py``: what a notebook's setup cell creates, and its cleanup;
- ``schedule.py``: the best possible makespan, and what each dispatch policy would take;
- ``chaos.py``: kills and broker restarts at seeded moments (lesson 5).

Import from the module that does the job, e.g.
``from workqueue_helpers.lesson import Lesson``. This file imports nothing,
so that ``python -m workqueue_helpers.worker`` starts fast (no matplotlib).
"""
