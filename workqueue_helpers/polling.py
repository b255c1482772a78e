"""Waiting for something outside us to become true: the one polling loop of the package."""

from __future__ import annotations

import time
from typing import Callable, Optional, Tuple, Type, TypeVar

T = TypeVar("T")


def poll(check: Callable[[], Optional[T]], timeout: float, interval: float,
         ignore: Tuple[Type[BaseException], ...] = ()) -> Optional[T]:
    """Call ``check`` every ``interval`` seconds until it returns something truthy, and
    return that; None once ``timeout`` seconds have passed. An exception of a type in
    ``ignore`` counts as "not yet". ``check`` is called at least once."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
        except ignore:
            result = None
        if result:
            return result
        if time.monotonic() >= deadline:
            return None
        time.sleep(min(interval, max(0.0, deadline - time.monotonic())))
