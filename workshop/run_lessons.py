"""Execute every lesson headless, as `make run` does: four at a time, each in its own kernel.

The lessons mostly wait on their workers, and each has queues (or a node, or a
cluster) of its own, so they run side by side. Executed notebooks go to build/,
their charts to build/charts/. The last lines printed say, for each lesson, what
it showed: the line its "Check yourself" cell printed after its asserts passed.
"""

from __future__ import annotations

import base64
import os
import sys
import time
from pathlib import Path

import nbformat

from workshop.notebook_runner import AT_A_TIME, LESSONS, ROOT, Execution, execute_all
from workqueue_helpers.broker.find import get_broker

BUILD = ROOT / "build"
CLAIM_PREFIX = "✓ "  # a claim that Check yourself checked (workqueue_helpers/claims)


def save(path: Path, execution: Execution) -> tuple:
    """Save one executed notebook and its charts; return (ok, summary line, seconds)."""
    ok = execution.error is None
    BUILD.mkdir(exist_ok=True)
    nbformat.write(execution.notebook, BUILD / path.name)
    save_charts(execution.notebook, path.stem)
    summary = claims_summary(execution.notebook) if ok else f"FAILED: {execution.error}"
    return ok, summary, execution.seconds


def save_charts(notebook, stem: str) -> None:
    charts = BUILD / "charts"
    charts.mkdir(parents=True, exist_ok=True)
    number = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png:
                number += 1
                (charts / f"{stem}-{number}.png").write_bytes(base64.b64decode(png))


def claims_summary(notebook) -> str:
    """"N claims checked: the first of them", from the lines Check yourself printed."""
    claims = [line[len(CLAIM_PREFIX):].strip() for cell in notebook.cells
              for output in cell.get("outputs", []) if output.get("name") == "stdout"
              for line in output.get("text", "").splitlines() if line.startswith(CLAIM_PREFIX)]
    if not claims:
        return "ran (no claim checked)"
    return f"{len(claims)} claims checked: {claims[0]}"


def main() -> int:
    broker = get_broker()
    print(f"Broker: {broker.describe()}")
    if broker.kind != "local":
        os.environ["RABBITMQ_URL"] = broker.url  # the kernels use this broker too
    started = time.monotonic()
    executions = execute_all(LESSONS, started=lambda path: print(f"running {path.name} ...", flush=True))
    results = [(path.stem, *save(path, execution)) for path, execution in zip(LESSONS, executions)]
    print(f"\n{len(results)} lessons in {time.monotonic() - started:.0f} s, {AT_A_TIME} at a time.")
    print(f"Executed notebooks: {BUILD.relative_to(ROOT)}/   charts: {BUILD.relative_to(ROOT)}/charts/")
    for stem, ok, summary, seconds in results:
        print(f"{'ok  ' if ok else 'FAIL'} {stem} ({seconds:.0f} s): {summary}")
    return 0 if all(ok for _, ok, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
