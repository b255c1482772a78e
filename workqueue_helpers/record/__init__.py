"""What happened: events, timelines, scheduling math.

- ``events.py``: one event, and how a worker reports it;
- ``timeline.py``: attempts, outcomes, makespan and throughput of a run;
- ``schedule.py``: the best possible makespan, and what each dispatch policy would take.
"""
