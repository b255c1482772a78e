"""Check yourself: each lesson's claims, tested against its own run and printed for the learner.

One module per lesson (``round_robin.py``, ``acknowledgements.py``, ...), each
with one function, ``check_yourself(...)``, that a lesson's *Check yourself*
cell calls. Each claim is a sentence the lesson states; ``claim`` prints it
with a tick when the run bears it out and raises ``ClaimFailed`` (an
AssertionError, so that nbval and ``make test`` fail) when it does not.
"""

from __future__ import annotations

from typing import Any

from workqueue_helpers.language import translated


class ClaimFailed(AssertionError):
    """A sentence of the lesson that this run does not bear out."""


def claim(statement: str, holds: bool, evidence: Any = "", **values: Any) -> None:
    """Print ``statement`` ticked if ``holds``; otherwise raise ClaimFailed with ``evidence``.

    ``statement`` is an English template, the key of its translation: the run's data
    come as ``values`` (``{name}`` placeholders). It is printed in the lesson's language;
    ClaimFailed's message stays English.
    """
    if not holds:
        english = statement.format(**values) if values else statement
        raise ClaimFailed(f"{english}: not so in this run ({evidence})")
    text = translated(statement)
    print(f"✓ {text.format(**values) if values else text}")
