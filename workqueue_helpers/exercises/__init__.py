"""The lessons' exercises: the learner writes pika, and a check runs it for real.

``exercise.py`` says where the learner's file goes and runs it; ``predict.py``
compares a prediction with what happened; ``checks.py``
holds one check per exercise, each with hints for the typical mistakes.
An exercise starts from a step of the tutorial, and its solution is the next
step's file, both in ``notebooks/programs/``.
"""

from workqueue_helpers.exercises.checks import (check_acking_worker, check_cluster_worker,
                                                check_fair_worker, check_final_worker,
                                                check_first_worker, check_persistent_producer,
                                                check_producer)
from workqueue_helpers.exercises.exercise import Exercise, Verdict
from workqueue_helpers.exercises.predict import reveal

__all__ = ["Exercise", "Verdict", "reveal", "check_producer", "check_first_worker", "check_acking_worker",
           "check_persistent_producer",
           "check_fair_worker", "check_final_worker", "check_cluster_worker"]
