"""The tutorial's worker from a terminal: a step's ``worker.py``, run under the harness.

    python -m workqueue_helpers.worker [--auto-ack] [--prefetch N] [--url URL] [--queue NAME]

``--auto-ack`` runs lesson 1's worker (step1); without it, lesson 2's, which
acknowledges (step2); ``--prefetch N`` runs the final worker (step4) with
``prefetch_count=N``. Each dot in a message is one second of work
(``--seconds-per-dot``). A worker that loses the broker after it has started
reconnects by itself.
"""

from __future__ import annotations

import os
from typing import Optional, Sequence

from workqueue_helpers import harness, programs
from workqueue_helpers.options import worker_options


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = worker_options(argv)
    if args.auto_ack:
        step, prefetch = "step1", (args.prefetch or None)
    elif args.prefetch:
        step, prefetch = "step4", args.prefetch
    else:
        step, prefetch = "step2", None
    os.environ.update(programs.environment(args.url, args.queue, args.seconds_per_dot))
    instruments = harness.Instruments(
        name=args.name, max_seconds=args.max_seconds, reconnect_seconds=args.reconnect_seconds,
        prefetch=prefetch, queue_type="classic" if args.queue_type == "classic" else None)
    harness.run(programs.program(step, "worker.py"), [], instruments)


if __name__ == "__main__":
    main()
