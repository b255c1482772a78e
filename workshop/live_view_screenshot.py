"""Watch lesson 1's live view in a real browser: JupyterLab, driven headless by Chromium.

    .venv/bin/python -m workshop.live_view_screenshot [build/live_view.png]

Writes a notebook with lesson 1's first steps (two workers, the tutorial's five
tasks) to a scratch folder, starts JupyterLab there, opens it in headless
Chromium (Debian's ``chromium``, through Playwright) and runs it. While the
cell that sends the five tasks is still running, it takes a screenshot of
that cell: the status line, the workers' terminals and the timeline so far.
Then it shuts the kernel down, stops JupyterLab and removes the folder.

Prints what the live view showed at that moment, as ``live: ...`` lines;
exits non-zero if the live view never showed a partly drawn timeline.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Dict

import nbformat

from workqueue_helpers import processes

ROOT = Path(__file__).resolve().parent.parent
# Debian's chromium, or the browser that CHROMIUM names (GitHub's runners: /usr/bin/google-chrome).
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
NOTEBOOK = "live_view.ipynb"
SEND_CELL = "run.publish(tasks)"         # the cell whose live view we catch
CELLS = [
    'from workqueue_helpers.demo.lesson import Lesson\nlesson = Lesson("live-view")',
    "run = lesson.new_run()\nrun.start(\"step1/worker.py\", 2)",
    'tasks = ["First message.", "Second message..", "Third message...",\n'
    '         "Fourth message....", "Fifth message....."]\n'
    "run.publish(tasks)\nrun.wait_until_done(timeout=60)\nrun.show_terminals()",
    "lesson.finish(quiet=False)",
]
LIVE_IMAGE = 'img[alt="timeline so far"]'


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_lab(folder: Path, port: int, token: str) -> subprocess.Popen:
    """JupyterLab on ``folder``, with the course's settings, every cell drawn (no windowing:
    a cell scrolled out of view is still there to watch) and the app reachable from the page."""
    settings = folder / ".lab-settings"
    settings.mkdir()
    overrides = json.loads((ROOT / "jupyter" / "overrides.json").read_text())
    overrides["@jupyterlab/notebook-extension:tracker"] = {"windowingMode": "none"}
    (settings / "overrides.json").write_text(json.dumps(overrides))
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
               "--ip=127.0.0.1", f"--IdentityProvider.token={token}", "--ServerApp.open_browser=False",
               f"--ServerApp.root_dir={folder}", "--LabApp.expose_app_in_browser=True",
               f"--LabApp.app_settings_dir={settings}"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = folder / "jupyterlab.log"
    with open(log, "wb") as output:  # in a session of its own, and it dies with us
        lab = processes.spawn(command, stdout=output, new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and lab.poll() is None:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=1)
            return lab
        except OSError:
            time.sleep(0.3)
    lab.kill()
    lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    raise SystemExit(f"live_view_screenshot: JupyterLab did not start within 60 s "
                     f"(exit code {lab.poll()}; its log ends: {lines[-1] if lines else 'empty'})")


def catch_live_view(url: str, screenshot: Path) -> Dict[str, str]:
    """Run the lesson in Chromium; screenshot the sending cell mid-run; return what it showed."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url)
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
            page.wait_for_selector("#jp-main-statusbar >> text=Idle", timeout=60_000)
            page.locator(".jp-Notebook .jp-Cell").first.click()   # the notebook gets the focus
            page.keyboard.press("Escape")
            # Not awaited: the command's promise resolves only once every cell has run.
            page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
            cell = page.locator(".jp-CodeCell", has_text=SEND_CELL).first
            image = cell.locator(LIVE_IMAGE)
            image.wait_for(state="visible", timeout=90_000)
            cell.scroll_into_view_if_needed()
            time.sleep(1.5)   # let a few bars grow
            prompt = cell.locator(".jp-InputPrompt").inner_text()
            status = cell.locator(".jp-OutputArea-output pre").first.inner_text().splitlines()[0]
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            cell.screenshot(path=str(screenshot))
            still_running = "*" in prompt     # the prompt reads [*] while the cell runs
            image.wait_for(state="detached", timeout=60_000)   # the cell ends: the display empties
            page.evaluate("window.jupyterapp.commands.execute('kernelmenu:shutdown')")
            return {"prompt": prompt.strip(), "status": status, "still running": str(still_running)}
        finally:
            browser.close()


def main() -> int:
    screenshot = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "live_view.png"
    if not os.path.exists(CHROMIUM):
        print(f"live_view_screenshot: no Chromium at {CHROMIUM} (apt-get install chromium)", file=sys.stderr)
        return 2
    try:
        import playwright  # noqa: F401
    except ImportError:
        print("live_view_screenshot: Playwright is not installed (pip install playwright)", file=sys.stderr)
        return 2
    # Stopped as pytest stops a test run (SIGTERM): clean up as below, not die at once.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    folder = Path(tempfile.mkdtemp(prefix="workqueue-lab-"))
    lab = None
    try:
        notebook = nbformat.v4.new_notebook()
        notebook.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                           "language": "python"}
        nbformat.write(notebook, folder / NOTEBOOK)
        port, token = free_port(), secrets.token_hex(16)
        lab = start_lab(folder, port, token)
        seen = catch_live_view(f"http://127.0.0.1:{port}/lab/tree/{NOTEBOOK}?token={token}&reset",
                               screenshot)
    finally:
        if lab is not None:
            os.killpg(lab.pid, signal.SIGTERM)
            try:
                lab.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(lab.pid, signal.SIGKILL)
        shutil.rmtree(folder, ignore_errors=True)
    for key, value in seen.items():
        print(f"live: {key}: {value}")
    print(f"screenshot: {screenshot}")
    ok = seen["still running"] == "True" and "tasks done" in seen["status"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
