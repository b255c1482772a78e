"""What happened: the events workers report, the timeline built from them, and scheduling math.

- ``events.py``: one event, and how a worker reports it;
- ``timeline.py``: attempts, outcomes, makespan and throughput of a run;
- ``schedule.py``: the best possible makespan, and what each dispatch policy would take.
"""
