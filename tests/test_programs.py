"""The tutorial's programs in notebooks/programs/: one version per step, the tutorial's own.

- The final pair (step4) is rabbitmq-tutorials' python/new_task.py and worker.py,
  but for the three things that come from the environment: the broker's URL,
  the queue's name and the seconds per dot. Undoing exactly those lines gives
  the official files byte for byte (checked by their SHA-256, or against a
  checkout named in OFFICIAL_TUTORIALS).
- Each step changes what the tutorial changes at that step, and nothing else.
- Each lesson's exercise starts from a step's file, as it is, and links to the
  next step's file as its solution.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pika
import pytest

from workqueue_helpers.programs import FOLDER

NOTEBOOKS = FOLDER.parent
# rabbitmq-tutorials, python/, at commit 8aec600 (August 2026): quorum queues since March 2026.
OFFICIAL_SHA256 = {
    "new_task.py": "681a84770ff5ba814a926b3a4b39f978e5223e2f1dc408f267c70ddb5bb752cf",
    "worker.py": "9d835862f1d3e548ed314c19276d55d7bab251760b8e97b5ba096f2adcc38d72",
}
ENVIRONMENT_LINE = re.compile(r'^(URLS?|QUEUE|SECONDS_PER_DOT) = .*os\.environ\.get\(')


def text(step: str, name: str) -> str:
    return (FOLDER / step / name).read_text(encoding="utf-8")


def as_official(ours: str) -> str:
    """Our file with the environment's three things put back as the tutorial has them."""
    lines = ours.splitlines(keepends=True)
    kept, skip_blank = [], False
    for line in lines:
        if line == "import os\n" or ENVIRONMENT_LINE.match(line):
            skip_blank = True
            continue
        if skip_blank and line == "\n" and kept and kept[-1] == "\n":
            skip_blank = False
            continue
        kept.append(line)
    result = "".join(kept)
    result = result.replace("pika.URLParameters(URL)", 'pika.ConnectionParameters(host="localhost")')
    result = re.sub(r"\bQUEUE\b", '"task_queue"', result)
    return result.replace(" * SECONDS_PER_DOT", "")


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0,
                                                  lineterm="")
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


@pytest.mark.parametrize("name", ["new_task.py", "worker.py"])
def test_the_final_pair_is_the_official_one_but_for_the_environment(name):
    official = as_official(text("step4", name))
    checkout = os.environ.get("OFFICIAL_TUTORIALS")
    if checkout:  # a readable diff, where a checkout of rabbitmq-tutorials is at hand
        expected = (Path(checkout) / "python" / name).read_text(encoding="utf-8")
        assert official == expected, "\n".join(changed_lines(expected, official))
    assert hashlib.sha256(official.encode("utf-8")).hexdigest() == OFFICIAL_SHA256[name], official
    # The lines that differ: import os, the environment's lines, and where they are used.
    added = [line[1:] for line in changed_lines(official, text("step4", name)) if line[0] == "+"]
    assert all(re.search(r"\b(os|URL|QUEUE|SECONDS_PER_DOT)\b", line) or not line.strip()
               for line in added), added


def test_the_undoing_is_not_blind():
    """as_official changes only what it must: a real difference survives it."""
    changed = text("step4", "worker.py").replace("prefetch_count=1", "prefetch_count=2")
    assert hashlib.sha256(as_official(changed).encode()).hexdigest() != OFFICIAL_SHA256["worker.py"]


@pytest.mark.parametrize("step, name, before", [
    ("step2", "new_task.py", "step1"), ("step3", "worker.py", "step2"),
    ("step4", "new_task.py", "step3")])
def test_a_step_keeps_the_program_it_does_not_change(step, name, before):
    assert text(step, name) == text(before, name)


@pytest.mark.parametrize("before, after, name, expected", [
    ("step1", "step2", "worker.py", [
        "+    ch.basic_ack(delivery_tag=method.delivery_tag)",
        "-channel.basic_consume(queue=QUEUE, on_message_callback=callback, auto_ack=True)",
        "+channel.basic_consume(queue=QUEUE, on_message_callback=callback)"]),
    ("step2", "step3", "new_task.py", [
        '-channel.basic_publish(exchange="", routing_key=QUEUE, body=message)',
        "+channel.basic_publish(", '+    exchange="",', "+    routing_key=QUEUE,",
        "+    body=message,", "+    properties=pika.BasicProperties(",
        "+        delivery_mode=pika.DeliveryMode.Persistent,", "+    ),", "+)"]),
    ("step3", "step4", "worker.py", ["+channel.basic_qos(prefetch_count=1)"]),
])
def test_each_step_changes_what_the_tutorial_changes(before, after, name, expected):
    assert sorted(changed_lines(text(before, name), text(after, name))) == sorted(expected)


def all_programs() -> list[Path]:
    return sorted(FOLDER.glob("*/*.py"))


@pytest.mark.parametrize("path", all_programs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_program_is_short_and_reads_only_three_things_from_its_environment(path):
    source = path.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= 40, "a program a learner reads in a minute"
    names = set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', source))
    assert names <= {"RABBITMQ_URL", "RABBITMQ_URLS", "TASK_QUEUE", "SECONDS_PER_DOT"}, names
    assert source.count("os.environ") == len(names) <= 3
    assert "workqueue_helpers" not in source  # the notebook's instruments stay outside


def test_the_defaults_are_the_tutorials():
    for path in all_programs():
        source = path.read_text(encoding="utf-8")
        assert re.findall(r'"(?:RABBITMQ_URLS?)", "([^"]*)"', source) == ["amqp://localhost"]
        queue = re.findall(r'"TASK_QUEUE", "([^"]*)"', source)
        assert queue == (["hello"] if path.parent.name == "hello" else ["task_queue"]), path
        assert re.findall(r'"SECONDS_PER_DOT", "([^"]*)"', source) in ([], ["1"]), path


def lesson_cells():
    for path in sorted(NOTEBOOKS.glob("0*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            yield path.name, cell


def test_each_exercise_starts_from_a_step_as_it_is():
    starters = [(name, cell) for name, cell in lesson_cells() if "starter" in cell["metadata"]]
    assert {name for name, _ in starters} >= {"01_round_robin.ipynb", "02_acknowledgements.ipynb",
                                              "03_durability.ipynb", "04_fair_dispatch.ipynb",
                                              "06_cluster.ipynb"}
    for name, cell in starters:
        source = "".join(cell["source"])
        first, _, body = source.partition("\n")
        assert first.startswith("%%writefile "), (name, first)
        assert body + "\n" == text(*cell["metadata"]["starter"].split("/")), name


def test_every_link_to_a_program_names_one():
    links = [(name, link) for name, cell in lesson_cells() if cell["cell_type"] == "markdown"
             for link in re.findall(r"\]\((programs/[^)]*)\)", "".join(cell["source"]))]
    assert len(links) >= 10
    for name, link in links:
        assert (NOTEBOOKS / link).exists(), (name, link)


@pytest.mark.broker
def test_with_no_environment_the_final_pair_is_the_tutorials(broker):
    """Run as the tutorial runs them: localhost, task_queue, one second a dot. Only where the
    machine's broker is the local guest one and has no task_queue of its own (left as found)."""
    if broker.kind != "local":
        pytest.skip("the programs' default broker is localhost:5672, not this session's")
    connection = pika.BlockingConnection(pika.ConnectionParameters(host="localhost"))
    try:
        connection.channel().queue_declare("task_queue", passive=True)
        pytest.skip("this broker has a task_queue of its own; it is left alone")
    except pika.exceptions.ChannelClosedByBroker:
        pass
    finally:
        if connection.is_open:
            connection.close()
    env = {key: value for key, value in os.environ.items()
           if key not in ("RABBITMQ_URL", "RABBITMQ_URLS", "TASK_QUEUE", "SECONDS_PER_DOT")}
    try:
        sent = subprocess.run([sys.executable, str(FOLDER / "step4" / "new_task.py"), "A", "task."],
                              env=env, capture_output=True, text=True, timeout=30)
        assert sent.returncode == 0 and sent.stdout == " [x] Sent A task.\n", sent
        worker = subprocess.Popen([sys.executable, "-u", str(FOLDER / "step4" / "worker.py")],
                                  env=env, stdout=subprocess.PIPE, text=True)
        try:
            lines = [worker.stdout.readline() for _ in range(3)]
        finally:
            worker.kill()
            worker.communicate(timeout=10)
        assert lines == [" [*] Waiting for messages. To exit press CTRL+C\n",
                         " [x] Received A task.\n", " [x] Done\n"], lines
    finally:
        connection = pika.BlockingConnection(pika.ConnectionParameters(host="localhost"))
        connection.channel().queue_delete("task_queue")  # it was not there before this test
        connection.close()


def test_no_hint_hands_over_a_line_of_a_step_program():
    """A hint names the mistake and what to change; it never prints the finished line."""
    from workqueue_helpers.exercises.checks import HINTS
    lines = {re.sub(r"\s+", "", line) for path in all_programs()
             for line in path.read_text(encoding="utf-8").splitlines()
             if "(" in line and not line.lstrip().startswith(("#", "print", "import", "def "))}
    lines.discard("")
    given = [(key, line) for key, hint in HINTS.items() for line in lines
             if len(line) > 12 and line in re.sub(r"\s+", "", hint)]
    assert given == []
