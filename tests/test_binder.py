"""Binder, as far as this machine can play it: a learner who is not root, no Docker, no broker
running, only Debian's rabbitmq-server installed. Lesson 1's setup must start a private node,
and the node must stop with the kernel."""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parent.parent
USER = "wq-binder"   # a learner without privileges, as Binder's jovyan

pytestmark = pytest.mark.broker


def test_the_binder_badge_opens_the_folder_postbuild_fills():
    from workshop.learner_copies import DEFAULT_DESTINATION
    badge = re.search(r"urlpath=lab/tree/([\w/]+)/", (ROOT / "README.md").read_text())
    assert badge and ROOT / badge.group(1) == DEFAULT_DESTINATION
    post_build = ROOT / "binder" / "postBuild"
    assert os.access(post_build, os.X_OK)
    assert subprocess.run(["bash", "-n", str(post_build)]).returncode == 0


def lesson1_setup() -> str:
    """The source of lesson 1's setup cell, as the learner runs it."""
    notebook = json.loads((ROOT / "notebooks" / "01_round_robin.ipynb").read_text())
    return next("".join(cell["source"]) for cell in notebook["cells"]
                if cell["cell_type"] == "code" and "Lesson(" in "".join(cell["source"]))


def make_learner() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                        USER], check=True)
        return pwd.getpwnam(USER)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root: it makes a user and a network of its own")
@pytest.mark.skipif(not shutil.which("unshare") or not shutil.which("ip"), reason="needs unshare and ip")
def test_lesson1_setup_as_a_non_root_learner_starts_a_private_node_that_dies_with_the_kernel():
    learner = make_learner()
    home = tempfile.mkdtemp(prefix="workqueue-binder-home-")
    os.chown(home, learner.pw_uid, learner.pw_gid)
    kernel_code = (lesson1_setup() + "\nimport os\n"
                   "print('NODE', os.getpid(), lesson.broker.kind, lesson.broker.pid, lesson.broker.folder,"
                   " flush=True)\nimport time\ntime.sleep(600)\n")
    environment = {name: value for name, value in os.environ.items()
                   if not name.startswith(("RABBITMQ", "WORKQUEUE", "DOCKER"))}
    environment.update(HOME=home, MPLCONFIGDIR=home, WORKQUEUE_LIVE="0")
    # This machine's Python lives in root's home, which the learner may not enter: the system's
    # Python of the same version runs the kernel, with the course's packages on its path.
    python = shutil.which("python3", path="/usr/bin") or sys.executable
    version = subprocess.run([python, "-c", "import sys; print(sys.version_info[:2])"],
                             capture_output=True, text=True).stdout.strip()
    if version != str(sys.version_info[:2]):
        pytest.skip(f"{python} is Python {version}, not this one's {sys.version_info[:2]}")
    site_packages = next(Path(sys.prefix).glob("lib/python3*/site-packages"))
    environment["PYTHONPATH"] = f"{ROOT}{os.pathsep}{site_packages}"
    # A network of its own: nothing answers on localhost:5672 there, as on Binder.
    command = ["unshare", "--net", "--", "sh", "-c",
               f'ip link set lo up && exec runuser -u {USER} -- "$@"', "sh",
               python, "-c", kernel_code]
    kernel = subprocess.Popen(command, cwd=ROOT / "notebooks", env=environment, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        lines = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            line = kernel.stdout.readline()
            if not line:
                break
            lines.append(line.strip())
            if line.startswith("NODE"):
                break
        assert lines and lines[-1].startswith("NODE"), (lines, kernel.stderr.read()[-2000:])
        assert lines[0].startswith("Broker: RabbitMQ ") and "a private node started for this notebook" in lines[0]
        _, kernel_pid, kind, node_pid, folder = lines[-1].split()
        assert kind == "private"
        node = psutil.Process(int(node_pid))
        assert node.uids().real == learner.pw_uid          # the learner's own node, not root's
        assert os.path.isdir(folder)

        os.kill(int(kernel_pid), signal.SIGKILL)           # the kernel dies, as when it is killed
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (psutil.pid_exists(node.pid) or os.path.exists(folder)):
            time.sleep(0.2)
        assert not psutil.pid_exists(node.pid) or node.status() == psutil.STATUS_ZOMBIE, \
            "the private node outlived its kernel"
        assert not os.path.exists(folder), "the node's scratch folder was left"
    finally:
        if kernel.poll() is None:
            os.killpg(kernel.pid, signal.SIGKILL)
        kernel.wait(10)
        shutil.rmtree(home, ignore_errors=True)
