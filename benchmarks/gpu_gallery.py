"""The whole gallery in one profile (full, on a GPU), several examples at once, recorded as it goes.

``python benchmarks/gpu_gallery.py OUTDIR [--profile full] [--jobs 4] [--timeout 240]``
(``gpu-gallery.sh`` beside it sets up a GPU machine first).  Each example runs
in its own process with a hard time limit; the workflow's steps, which reuse
each other's results, run one after the other in one lane while the other
examples run beside them.  After every example, ``OUTDIR/results.json`` (every
record so far, with the run's device, versions, commit and date) and
``OUTDIR/summary.md`` are written again, so a run cut short still returns
what it measured.  ``results.json`` is what ``gallery/reference/full.json``
keeps.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import os
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from example_runs import CHAINED, ROOT, ExampleRun, example_key, examples, run_example, source_digest, summary


def lanes(paths: list[Path]) -> list[list[Path]]:
    """Work for the pool: the chained groups' examples in one lane, in order; every
    other example a lane of its own."""
    chained = [path for path in paths if path.parent.name in CHAINED]
    return [[path] for path in paths if path.parent.name not in CHAINED] + ([chained] if chained else [])


def versions() -> dict:
    """The versions of what the examples ran on."""
    found = {}
    for package in ("keras", "torch", "tensorflow", "jax", "numpy", "scikit-image", "bm3d"):
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            continue
    return found


def device() -> str:
    """The GPU's name, or the processor's when there is none."""
    try:
        import torch

        if torch.cuda.is_available():
            return torch.cuda.get_device_name(0)
    except ImportError:
        pass
    return f"CPU ({os.cpu_count()} cores)"


def commit() -> str:
    """The commit measured: ``DLIS_COMMIT`` if set (a copy without .git), else git's."""
    if os.environ.get("DLIS_COMMIT"):
        return os.environ["DLIS_COMMIT"]
    done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


class Recorder:
    """Collects each example's result and rewrites the output files after each one."""

    def __init__(self, out: Path, run: dict):
        self.out, self.run, self.examples = out, run, {}
        self.lock = threading.Lock()
        self.started = time.perf_counter()
        out.mkdir(parents=True, exist_ok=True)

    def add(self, result: ExampleRun) -> None:
        with self.lock:
            self.examples[example_key(result.path)] = {
                "source_sha256": source_digest(result.path),
                "wall_s": round(result.wall_s, 1),
                "peak_mb": round(result.peak_mb),
                "state": _state(result),
                "record": result.record,
                **({} if result.ok else {"output_tail": result.output_tail}),
            }
            self.run["total_wall_s"] = round(time.perf_counter() - self.started, 1)
            self._write("results.json", json.dumps({"run": self.run, "examples": self.examples}, indent=1))
            self._write("summary.md", self.table())
            print(f"{example_key(result.path)}: {result.wall_s:.1f} s, {_state(result)}", flush=True)

    def table(self) -> str:
        run = self.run
        lines = [
            f"## Gallery, {run['profile']} profile, {run['device']}, backend {run['backend']}",
            "",
            f"{run['date']}, commit {run['commit'][:12]}, {run['jobs']} at once, "
            f"{len(self.examples)} examples in {run['total_wall_s']:.0f} s",
            "",
            "| example | wall s | peak MB | result |",
            "|---|---|---|---|",
        ]
        for key in sorted(self.examples):
            entry = self.examples[key]
            result = summary(entry["record"]) if entry["state"] == "ok" else entry["state"]
            lines.append(f"| {key} | {entry['wall_s']:.1f} | {entry['peak_mb']} | {result} |")
        return "\n".join(lines) + "\n"

    def _write(self, name: str, text: str) -> None:
        partial = self.out / f".{name}.partial"
        partial.write_text(text)
        partial.replace(self.out / name)


def _state(result: ExampleRun) -> str:
    if result.ok:
        return "ok"
    return "timed out" if result.timed_out else f"failed (exit {result.returncode})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for results.json and summary.md")
    parser.add_argument("--profile", default="full")
    parser.add_argument("--jobs", type=int, default=4, help="examples running at once")
    parser.add_argument("--timeout", type=float, default=240, help="seconds an example may take")
    parser.add_argument("--only", action="append", default=[], help="run examples whose path holds this")
    args = parser.parse_args()
    chosen = [
        path for path in examples() if not args.only or any(part in example_key(path) for part in args.only)
    ]
    keras_backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    recorder = Recorder(
        args.out,
        {
            "profile": args.profile,
            "backend": keras_backend,
            "device": device(),
            "versions": versions(),
            "commit": commit(),
            "date": datetime.date.today().isoformat(),
            "jobs": args.jobs,
            "timeout_s": args.timeout,
        },
    )
    with tempfile.TemporaryDirectory() as store:
        env = {**os.environ, "DLIS_WORKFLOW_STORE": store, "TF_CPP_MIN_LOG_LEVEL": "3"}

        def run_lane(lane: list[Path]) -> None:
            for path in lane:
                recorder.add(run_example(path, args.profile, env, args.timeout))

        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            list(pool.map(run_lane, lanes(chosen)))
    print(recorder.table())


if __name__ == "__main__":
    main()
