"""Running a demo: a lesson's runs of real worker processes.

- ``lesson.py``: what a notebook's setup cell creates (``Lesson``), and its cleanup;
- ``run.py``: ``Run``, worker processes on one queue, commanded from the notebook;
- ``worker_process.py``: where a worker process starts, and the thread that reads it;
- ``publisher.py``: the notebook's producer, which knows when the broker has each task;
- ``chaos.py``: broker restarts and kills under a run;
- ``queue_depth.py``: a queue's counts over time;
- ``durability.py``: lesson 3's what-survives-a-restart experiment;
- ``janitor.py``: deletes a lesson's queues when its kernel dies.
"""
