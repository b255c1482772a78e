"""The status channel (workqueue_helpers.status): the broker layer says what is happening,
and knows nothing of the notebook that shows it."""

from __future__ import annotations

import ast
from pathlib import Path

from workqueue_helpers import status

PACKAGE = Path(status.__file__).parent


def test_every_listener_hears_once_and_no_listener_is_no_error() -> None:
    heard: list[str] = []
    status.say("nobody listens yet: nothing happens")
    status.listen(heard.append)
    status.listen(heard.append)  # asked twice, called once
    try:
        status.say("broker restarting")
        status.say("")
    finally:
        status._listeners.remove(heard.append)
    assert heard == ["broker restarting", ""]


def test_the_live_view_listens() -> None:
    from workqueue_helpers.show import live
    assert live._show_activity in status._listeners


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_broker_layer_imports_neither_the_demos_nor_the_views() -> None:
    reaching_up = {path.name: sorted(name for name in imported_modules(path)
                                     if name.startswith(("workqueue_helpers.show", "workqueue_helpers.demo")))
                   for path in sorted((PACKAGE / "broker").glob("*.py"))}
    assert {name: found for name, found in reaching_up.items() if found} == {}
