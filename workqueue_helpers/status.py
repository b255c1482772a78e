"""What is happening now, in a few words: the one channel from the broker and demo layers to whoever shows it.

``broker/`` and ``demo/`` call ``say("broker restarting")`` and, when it is over,
``say("")``. They know nothing of who listens. The live view (``show/live.py``)
listens and shows the words in a running cell's status line; with no listener
(tests, scripts) the words go nowhere.
"""

from __future__ import annotations

from typing import Callable, List

Listener = Callable[[str], None]

_listeners: List[Listener] = []


def say(text: str) -> None:
    """Tell every listener what is happening now ("" when it is over)."""
    for listener in list(_listeners):
        listener(text)


def listen(listener: Listener) -> None:
    """Call ``listener(text)`` on every ``say`` from now on (once, however often it is asked)."""
    if listener not in _listeners:
        _listeners.append(listener)
