"""The tutorial's producer from a terminal: the final ``new_task.py``, run under the harness.

    python -m workqueue_helpers.new_task First message. [--url URL] [--queue NAME]

It declares the queue (a durable quorum queue, as the official tutorial does)
and sends the words as one persistent message; each dot is a second of work
for the worker.
"""

from __future__ import annotations

import os
from typing import Optional, Sequence

from workqueue_helpers import harness, programs
from workqueue_helpers.options import new_task_options


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = new_task_options(argv)
    os.environ.update(programs.environment(args.url, args.queue, 1.0))
    instruments = harness.Instruments(
        name=args.name, once=True, queue_type="classic" if args.queue_type == "classic" else None)
    harness.run(programs.program(programs.FINAL, "new_task.py"), list(args.message), instruments)


if __name__ == "__main__":
    main()
