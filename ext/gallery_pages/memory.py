"""How much memory an example took, for sphinx-gallery's pages and execution-times table.

sphinx-gallery measures memory with memory_profiler, and not at all when it
runs examples in parallel, which leaves a column of zeros.  Its
``show_memory`` also takes a callable, which :class:`PeakMemory` is: it runs
the example while a thread reads the process's resident memory every 50 ms
(``/proc/self/statm``), and reports the peak above what the process held when
the example started.  Where there is no ``/proc`` (macOS), it reports how much
the process's lifetime peak grew (``getrusage``).
"""

from __future__ import annotations

import os
import resource
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

STATM = Path("/proc/self/statm")
MB = 2**20


def resident_mb() -> float:
    """This process's resident memory now (Linux), or its peak so far (elsewhere), in MB."""
    if STATM.exists():
        return int(STATM.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MB
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / MB if sys.platform == "darwin" else peak / 1024  # bytes on macOS, kB elsewhere


class PeakMemory:
    """sphinx-gallery's ``show_memory``: ``(peak MB above the start, result)`` of running ``func``.

    A callable object rather than a function, so Sphinx can cache the
    configuration that holds it; every instance is the same measurement.
    """

    def __init__(self, every_s: float = 0.05) -> None:
        self.every_s = every_s

    def __call__(self, func: Callable[[], Any]) -> tuple[float, Any]:
        start = resident_mb()
        peak = [start]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(self.every_s):
                peak[0] = max(peak[0], resident_mb())

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            result = func()
        finally:
            done.set()
            sampler.join()
        return max(peak[0], resident_mb()) - start, result

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PeakMemory) and other.every_s == self.every_s

    def __hash__(self) -> int:
        return hash((PeakMemory, self.every_s))

    def __repr__(self) -> str:
        return f"PeakMemory(every_s={self.every_s})"
