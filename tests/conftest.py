"""Shared fixtures: a real broker, and queue names that are cleaned up."""

from __future__ import annotations

import os
import uuid

import pytest

from workqueue_helpers.broker import get_broker
from workqueue_helpers.broker.queues import delete_queues


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")


def pytest_collectstart(collector) -> None:
    # nbval compares stderr as its own stream; warnings printed by libraries
    # (not by the lessons) would make cells fail for reasons unrelated to teaching.
    if hasattr(collector, "skip_compare"):
        collector.skip_compare = (*collector.skip_compare, "stderr")


def pytest_sessionstart(session: pytest.Session) -> None:
    """Find or start the broker before any test or notebook kernel starts.

    A private node started here lives as long as pytest; its URL goes into
    RABBITMQ_URL so that the notebook kernels nbval starts use it too.
    """
    found = get_broker()
    if found.kind != "local":
        os.environ["RABBITMQ_URL"] = found.url


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
