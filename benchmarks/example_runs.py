"""Gallery examples run as a reader runs them: one process each, then what they measured.

``python plot_x.py`` in the example's folder, with the profile and a folder for
its record (``DLIS_METRICS_DIR``) in the environment; the record is read back
with the wall time, the peak memory and whether it ended in time.  Shared by
the CPU budget benchmark (``gallery_budget.py``) and the GPU run
(``gpu_gallery.py``).  Needs nothing but the standard library.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GALLERY = ROOT / "gallery"
#: The gallery groups that reuse the workflow's results: run in order, never at once.
CHAINED = ("workflow", "your_images")


def examples() -> list[Path]:
    """Every example of the gallery, in the gallery's order."""
    return sorted(GALLERY.glob("*/plot_*.py"))


def example_key(path: Path) -> str:
    """``group/plot_x.py``: how records name an example."""
    return path.relative_to(GALLERY).as_posix()


def source_digest(path: Path) -> str:
    """SHA-256 of an example's source: a record says which version it measured."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class ExampleRun:
    """One example's process: how long, how much memory, how it ended, what it measured."""

    path: Path
    wall_s: float
    peak_mb: float
    returncode: int
    timed_out: bool
    record: dict | None
    output_tail: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out and self.record is not None


def run_example(
    path: Path, profile: str, env: dict, timeout: float | None = None, seed: int | None = None
) -> ExampleRun:
    """Run ``path`` alone in ``profile`` (under ``seed``: ``DLIS_SEED``); stop it (and its
    children) after ``timeout`` seconds."""
    with tempfile.TemporaryDirectory() as metrics, tempfile.TemporaryFile("w+") as output:
        run_env = {**env, "DLIS_PROFILE": profile, "DLIS_METRICS_DIR": metrics, "MPLBACKEND": "Agg"}
        if seed is not None:
            run_env["DLIS_SEED"] = str(seed)
        run_env["DLIS_NETWORKS_DIR"] = env.get("DLIS_NETWORKS_DIR", metrics)  # else not kept
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, path.name],
            cwd=path.parent,
            env=run_env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        expired = threading.Event()

        def stop() -> None:
            expired.set()
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:  # it ended just now
                expired.clear()

        timer = threading.Timer(timeout, stop) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        wall = time.perf_counter() - start
        if timer:
            timer.cancel()
        saved = sorted(Path(metrics).glob("*.json"))
        record = json.loads(saved[0].read_text()) if saved else None
        output.seek(0)
        tail = output.read()[-4000:]
    return ExampleRun(path, wall, usage.ru_maxrss / 1024, process.returncode, expired.is_set(), record, tail)


def verdicts_summary(comparison: dict) -> str:
    """A comparison's verdicts in a line: the network against the best other method, the
    margin and its 95 % interval."""
    return "; ".join(
        f"{v['metric']}: network {v['network_value']:.3f}, {v['best']} {v['best_value']:.3f}, "
        f"margin {v['margin']:+.3f} [{v['low']:+.3f}, {v['high']:+.3f}] ({v['outcome']})"
        for v in comparison["verdicts"]
    )


def summary(record: dict | None) -> str:
    """Each verdict an example printed, its comparison's case first, or else its first
    table's last row."""
    if not record:
        return "no record"
    if record.get("comparisons"):
        return " / ".join(
            f"{comparison['case']}: {verdicts_summary(comparison)}" for comparison in record["comparisons"]
        ) + (f"; GRID EDGES: {len(record['grid_edges'])}" if record.get("grid_edges") else "")
    if not record.get("tables"):
        return "no table"
    last = list(record["tables"].values())[0][-1]
    return ", ".join(
        f"{key} {value:.3g}" if isinstance(value, float) else f"{value}" for key, value in last.items()
    )
