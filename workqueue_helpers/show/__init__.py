"""Showing it: charts, terminals side by side, tables and source listings.

- ``chart.py``: where each bar is drawn (timelines, queue depth, prefetch sweep, throughput);
- ``terminals.py``: each worker's terminal, side by side;
- ``tables.py``: plain-text tables;
- ``source.py``: the code that runs, printed from the package.
"""
