"""Shared fixtures: a real broker, and queue names that are cleaned up.

(The session's broker is found in the repository's conftest.py.)
"""

from __future__ import annotations

import uuid

import pytest

from workqueue_helpers.broker.find import get_broker
from workqueue_helpers.broker.queues import delete_queues


@pytest.fixture(scope="session")
def broker():
    """The broker every integration test uses."""
    return get_broker()


@pytest.fixture
def queue(broker):
    """A fresh queue name for one test, deleted afterwards."""
    name = f"test.{uuid.uuid4().hex[:8]}"
    yield name
    delete_queues(broker.url, [name])



@pytest.fixture
def lesson(request):
    """A quiet lesson on the shared broker, for the exercises' checks; finished afterwards."""
    from workqueue_helpers.demo.lesson import Lesson
    made = Lesson(f"test-{uuid.uuid4().hex[:6]}", quiet=True)
    yield made
    made.finish()


@pytest.fixture
def owned_lesson():
    """A quiet lesson on a broker the tests may restart (a private node, no management UI)."""
    from workqueue_helpers.demo.lesson import Lesson
    made = Lesson(f"test-{uuid.uuid4().hex[:6]}", owned_broker=True, quiet=True)
    yield made
    made.finish()


@pytest.fixture
def lesson_with_ui():
    """A quiet lesson on a private node that runs the management UI."""
    from workqueue_helpers.demo.lesson import Lesson
    made = Lesson(f"test-{uuid.uuid4().hex[:6]}", owned_broker=True, management_ui=True, quiet=True)
    yield made
    made.finish()

