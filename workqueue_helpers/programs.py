"""Where the tutorial's programs are, one file per step, and what they read from the environment.

The programs live beside the lessons, in ``notebooks/programs/``, where a
learner opens them; each step's folder holds the pair that runs at that step:

| folder | lesson | what changes |
|---|---|---|
| ``hello/`` | (tutorial 1) | ``send.py`` and ``receive.py``, where lesson 1's exercises start |
| ``step1/`` | 1 | ``new_task.py`` sends the command line's words; ``worker.py`` sleeps per dot, auto-ack |
| ``step2/`` | 2 | ``worker.py`` acknowledges each task |
| ``step3/`` | 3 | ``new_task.py`` sends persistent messages |
| ``step4/`` | 4, 5 | ``worker.py`` calls ``basic_qos(prefetch_count=1)``: the final pair |
| ``cluster/`` | 6 | both know every node, and carry on on another when theirs goes |

Each reads three things from its environment, with the tutorial's values as
defaults: ``RABBITMQ_URL`` (``RABBITMQ_URLS`` on a cluster), ``TASK_QUEUE``
and ``SECONDS_PER_DOT``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, Sequence

from workqueue_helpers.connection import WorkQueueError

FOLDER = Path(__file__).resolve().parent.parent / "notebooks" / "programs"
STEPS = ("step1", "step2", "step3", "step4")
FINAL = "step4"


def program(step: str, name: str) -> str:
    """The path of program ``name`` (``"worker.py"``) of ``step`` (``"step2"``, ``"cluster"``...)."""
    path = FOLDER / step / name
    if not path.is_file():
        raise WorkQueueError(f"no program {step}/{name} in {FOLDER} (the course's repository)")
    return str(path)


def resolve(name_or_path: str) -> str:
    """A program's path: a step's file named as ``"step2/worker.py"``, or any other path as it is."""
    if os.path.isabs(name_or_path) or os.path.exists(name_or_path):
        return os.path.abspath(name_or_path)
    step, _, name = name_or_path.partition("/")
    return program(step, name)


def is_producer(path: str) -> bool:
    """A producer sends and ends (``new_task.py``, ``send.py``); any other program is a worker."""
    return os.path.basename(path) in ("new_task.py", "send.py")


def environment(url: str, queue: str, seconds_per_dot: float,
                urls: Sequence[str] = ()) -> Dict[str, str]:
    """What a program reads from its environment: its broker (on a cluster, every node,
    in ``RABBITMQ_URLS``), its queue and the seconds a dot of work lasts."""
    variables = {"RABBITMQ_URL": url, "TASK_QUEUE": queue, "SECONDS_PER_DOT": repr(seconds_per_dot)}
    if urls:
        variables["RABBITMQ_URLS"] = " ".join(urls)
    return variables
