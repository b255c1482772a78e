"""pytest for the whole repository: one broker for every test, and the lessons under nbval.

A lesson notebook is collected as ``LessonNotebook``: nbval's own collector,
which runs its cells in one kernel and compares them with the stored outputs.
A last item, ``leftovers``, closes the kernel as a learner would and checks
that no queue, process or folder (a node's, the exercises') of the lesson is left: what a rerun would find
is what the first run found. One lesson on the shared broker is also run
twice in its kernel, as a learner reruns a lesson, both passes compared: what
the first pass leaves in the kernel must not change the second.

A cell tagged ``depends-on-transient-queues`` shows what the broker answers
to a non-durable queue. The stored output is that of a broker that permits
them (RabbitMQ 3.x, Debian's 4.3.6); on a broker that denies them (RabbitMQ
4.3's announced default) such a cell is run but not compared, and the
lesson's *Check yourself* asserts the refusal instead.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from queue import Empty
from typing import List

import nbval.kernel
import pytest
from nbval.plugin import IPyNbCell, IPyNbFile

from workqueue_helpers.broker.find import get_broker, private_node_possible
from workqueue_helpers.broker.scratch import pid_alive
from workqueue_helpers.broker.queues import queue_exists, transient_queues_denied
from workshop.lessons import NOTEBOOKS, is_lesson
from workshop.kernels import IpcKernelManager

# Lessons that start a cluster of private nodes: marked ``cluster``.
CLUSTER_LESSONS = {"06_cluster.ipynb", "06a_classic_queues_and_real_clusters.ipynb"}
# Run twice in one kernel: one lesson on the shared broker, with exercises. The others run
# once: what a rerun would find, each leaves behind (its leftovers item checks that no queue,
# process or folder is left). A lesson on a private node was run twice as well until the
# node boots made make test too slow (03a's second pass cost about 30 s); its kernel keeps
# the node it started, which tests/test_broker.py checks.
RERUN_LESSONS = {"04_fair_dispatch.ipynb"}
TRANSIENT_QUEUE_CELL = "depends-on-transient-queues"
RUN_TAG_VARIABLE = "WORKQUEUE_TEST_RUN"  # set in a lesson's kernel; its workers and nodes inherit it
ASK_THE_LESSON = """
import json, os
from workqueue_helpers.demo.lesson import exercise_folder_path
nodes = getattr(lesson.broker, "nodes", [lesson.broker])   # a cluster's nodes, or the one broker
print(json.dumps({"queues": lesson.queues, "url": lesson.broker.url, "owned": lesson.broker.owned,
                  "folders": [node.folder for node in nodes if hasattr(node, "folder")]
                             + [exercise_folder_path(lesson.name, os.getpid())]}))
"""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--no-broker", action="store_true",
                     help="the fast tier (make check): find or start no broker, and leave out "
                          "the tests marked broker, cluster or browser")


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")


def pytest_sessionstart(session: pytest.Session) -> None:
    """Find or start the broker before any test or notebook kernel starts.

    A private node started here lives as long as pytest; its URL goes into
    RABBITMQ_URL so that the notebook kernels use it too.
    """
    if session.config.getoption("no_broker"):
        return
    found = get_broker()
    if found.kind != "local":
        os.environ["RABBITMQ_URL"] = found.url


# The files that take longest (seconds of make test each, measured here with four at a time),
# handed out first so that four at a time end together: the longest task first, as lesson 4a
# says. pytest-xdist would instead order files by their number of tests (pyproject.toml turns
# that off). Lesson 6 comes fifth, not second: two clusters booting at once (its own and
# test_cluster.py's) took 47 s each, against 16 s alone. Any file not named here comes
# after them, in the order pytest found it.
LONGEST_FIRST = ["test_cluster.py", "05_nothing_lost.ipynb", "test_exercises_workers.py",
                 "test_live_view.py", "06_cluster.ipynb", "test_exercises_producers.py",
                 "03_durability.ipynb", "test_exercises_fair.py", "test_broker.py",
                 "02_acknowledgements.ipynb", "03a_crash_confirms_and_quorum_queues.ipynb",
                 "test_class.py", "04a_prefetch_and_scaling.ipynb",
                 "06a_classic_queues_and_real_clusters.ipynb", "test_management.py", "test_run.py",
                 "test_learner_copies.py", "test_site.py", "04_fair_dispatch.ipynb",
                 "01_round_robin.ipynb", "test_cli_properties.py"]


def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    """The longest files first. With --no-broker, only the fast tests that need no broker:
    none marked broker, cluster or browser, and no lesson (a lesson runs on a broker)."""
    rank = {name: n for n, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: a file's order stays
    if not config.getoption("no_broker"):
        return
    needs_broker = [item for item in items
                    if item.get_closest_marker("broker") or item.get_closest_marker("cluster")
                    or item.get_closest_marker("browser") or item.path.suffix == ".ipynb"]
    if needs_broker:
        config.hook.pytest_deselected(items=needs_broker)
        items[:] = [item for item in items if item not in needs_broker]


def pytest_collectstart(collector) -> None:
    # nbval compares stderr as its own stream; warnings printed by libraries
    # (not by the lessons) would make cells fail for reasons unrelated to teaching.
    if hasattr(collector, "skip_compare"):
        collector.skip_compare = (*collector.skip_compare, "stderr")


nbval.kernel.KernelManager = IpcKernelManager  # see workshop/kernels.py


def pytest_collect_file(file_path, parent):
    """The lessons in notebooks/, unless plain ``--nbval`` was asked for (then nbval collects them)."""
    if parent.config.option.nbval or parent.config.option.nbval_lax:
        return None
    if file_path.parent == NOTEBOOKS and is_lesson(file_path):
        return LessonNotebook.from_parent(parent, path=file_path)
    return None


class LessonNotebook(IPyNbFile):
    """A lesson under nbval: every cell (twice for RERUN_LESSONS) in one kernel, then a
    check for leftovers."""

    def setup(self) -> None:
        self.run_tag = uuid.uuid4().hex
        os.environ[RUN_TAG_VARIABLE] = self.run_tag  # the kernel starts with it in its environment
        try:
            super().setup()
        finally:
            del os.environ[RUN_TAG_VARIABLE]

    def collect(self):
        if self.path.name in CLUSTER_LESSONS:
            self.add_marker(pytest.mark.cluster)
            if not private_node_possible():
                pytest.skip("lesson 6 starts private RabbitMQ nodes: RabbitMQ is not installed here")
        first = list(super().collect())
        if transient_queues_denied(get_broker().url):
            for cell in first:
                if TRANSIENT_QUEUE_CELL in cell.cell.metadata.get("tags", []):
                    cell.options["check"] = False
        yield from first
        if self.path.name in RERUN_LESSONS:
            for cell in first:
                yield IPyNbCell.from_parent(self, name=f"rerun {cell.name}", cell_num=cell.cell_num,
                                            cell=cell.cell, options=cell.options)
        yield Leftovers.from_parent(self, name="leftovers")


class Leftovers(pytest.Item):
    """After the last pass: close the kernel; no worker, node or queue of the lesson may be left."""

    def runtest(self) -> None:
        notebook: LessonNotebook = self.parent
        kernel = notebook.kernel
        used = json.loads(run_in_kernel(kernel, ASK_THE_LESSON))
        kernel.kc.stop_channels()
        kernel.km.shutdown_kernel(now=False)  # as a learner closes the notebook: atexit runs
        del kernel.km
        left = wait_for_no_processes(notebook.run_tag, seconds=10)
        assert left == [], f"processes outlived the kernel: {left}"
        folders = {folder: sorted(os.path.relpath(os.path.join(where, name), folder)
                                  for where, dirs, files in os.walk(folder) for name in dirs + files)[:20]
                   for folder in used["folders"] if os.path.exists(folder)}
        assert folders == {}, f"folders outlived the kernel, with what they held: {folders}"
        if not used["owned"]:  # an owned broker died with the kernel, queues and all
            kept = [queue for queue in used["queues"] if queue_exists(used["url"], queue)]
            assert kept == [], f"queues left behind on the broker: {kept}"

    def reportinfo(self):
        return self.path, 0, f"{self.parent.name}::leftovers"


def run_in_kernel(kernel, code: str, timeout: float = 30) -> str:
    """Run ``code`` in nbval's kernel; return what it printed to stdout."""
    msg_id = kernel.execute_cell_input(code, allow_stdin=False)
    printed: List[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            message = kernel.get_message(stream="iopub", timeout=1)
        except Empty:
            continue
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        if message["msg_type"] == "stream" and message["content"]["name"] == "stdout":
            printed.append(message["content"]["text"])
        elif message["msg_type"] == "error":
            raise AssertionError(f"{message['content']['ename']}: {message['content']['evalue']}")
        elif message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
            return "".join(printed)
    raise AssertionError(f"the kernel did not answer within {timeout:.0f} s")


def processes_with_tag(tag: str) -> List[str]:
    """Live processes whose environment holds ``WORKQUEUE_TEST_RUN=tag``: "pid command"."""
    wanted = f"{RUN_TAG_VARIABLE}={tag}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as file:
                if wanted not in file.read().split(b"\0"):
                    continue
            if not pid_alive(int(entry)):
                continue  # it has ended, or is a zombie its parent has not collected yet
            with open(f"/proc/{entry}/cmdline", "rb") as file:
                command = file.read().replace(b"\0", b" ").decode(errors="replace")[:120]
        except OSError:
            continue
        found.append(f"{entry} {command}")
    return found


def wait_for_no_processes(tag: str, seconds: float) -> List[str]:
    deadline = time.monotonic() + seconds
    while processes_with_tag(tag) and time.monotonic() < deadline:
        time.sleep(0.1)
    return processes_with_tag(tag)
