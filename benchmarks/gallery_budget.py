"""The gallery's budgets, measured: per-example wall time, peak memory and metrics,
and the whole docs build (both editions) from clean and with nothing changed.

Run through ``nox -s bench``.  Each example runs alone as ``python plot_x.py``
(its own process, so its peak resident memory is its own); ``--repeat N`` runs
each N times and reports the median.  The table is printed and written to
``bench/gallery.md``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from editions.__main__ import doctrees_of
from example_runs import CHAINED, examples, run_example, summary

ROOT = Path(__file__).resolve().parents[1]
#: Quick-profile budgets per example, by gallery group (the workflow's is for its nine steps together).
QUICK_BUDGET_S = {"applications": 90, "concepts": 45}
QUICK_WORKFLOW_BUDGET_S = 180
FULL_BUDGET_S = 180
BUDGET_DOCS_S, BUDGET_DOCS_MB, BUDGET_NOOP_S = 15 * 60, 3 * 1024, 30


def measured(command: list[str], cwd: Path, env: dict) -> tuple[float, float, int]:
    """Wall seconds, peak resident MB and exit code of ``command``."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def example_rows(profile: str, repeat: int, env: dict) -> list[str]:
    rows, workflow_total = [], 0.0
    store = tempfile.TemporaryDirectory()  # the workflow's saved results, shared by its steps in order
    env = {**env, "DLIS_WORKFLOW_STORE": store.name}
    for example in examples():
        runs = [run_example(example, profile, env) for _ in range(repeat)]
        failed = next((run for run in runs if not run.ok), None)
        if failed:
            raise SystemExit(f"{example.name} failed ({failed.returncode}):\n{failed.output_tail}")
        wall = statistics.median(run.wall_s for run in runs)
        record = runs[-1].record
        group = example.parent.name
        workflow_total += wall if group == CHAINED else 0
        budget = (
            FULL_BUDGET_S if profile == "full" else QUICK_BUDGET_S.get(group) if profile == "quick" else None
        )
        within = "" if budget is None else ("yes" if wall <= budget else "NO")
        rows.append(
            f"| {group}/{example.stem} | {wall:.1f} | {budget or '-'} | {within} | "
            f"{statistics.median(run.peak_mb for run in runs):.0f} | "
            f"{record['timings'].get('training', 0):.1f} | {summary(record)} |"
        )
        print(rows[-1], flush=True)
    if profile == "quick":
        within = "yes" if workflow_total <= QUICK_WORKFLOW_BUDGET_S else "NO"
        rows.append(
            f"| workflow, all nine steps | {workflow_total:.1f} | {QUICK_WORKFLOW_BUDGET_S} | {within} "
            "|  |  |  |"
        )
    store.cleanup()
    return rows


def docs_rows(env: dict) -> list[str]:
    out = ROOT / "docs" / "_build" / "bench-html"
    generated_paths = (
        out,
        doctrees_of(out),
        ROOT / "docs" / "auto_examples",
        ROOT / "docs" / "sg_execution_times.rst",
    )
    for generated in (*generated_paths, ROOT / "gallery" / "workflow" / ".store"):
        if generated.is_dir():
            shutil.rmtree(generated)
        elif generated.exists():
            generated.unlink()
    command = [sys.executable, "-m", "editions", "docs", str(out), "-W", "--keep-going", "-q"]
    clean_wall, clean_peak, code = measured(command, ROOT, env)
    if code:
        raise SystemExit("docs build failed")
    noop_wall, _, _ = measured(command, ROOT, env)
    clean = f"{clean_wall:.0f} s (budget {BUDGET_DOCS_S} s)"
    noop = f"{noop_wall:.1f} s (budget {BUDGET_NOOP_S} s)"
    return [
        f"| docs from clean | {clean} | {clean_peak:.0f} MB peak (budget {BUDGET_DOCS_MB} MB) |",
        f"| docs, nothing changed | {noop} | ratio to clean {noop_wall / clean_wall:.3f} |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default=os.environ.get("DLIS_PROFILE", "quick"))
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-docs", action="store_true", help="skip the two docs builds")
    args = parser.parse_args()
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    lines = [
        f"## Gallery examples, {args.profile} profile, median of {args.repeat}, {os.cpu_count()} CPU cores",
        "",
        "| example | wall s | budget s | within | peak MB | training s | metric |",
        "|---|---|---|---|---|---|---|",
        *example_rows(args.profile, args.repeat, env),
    ]
    if not args.no_docs:
        lines += ["", "## Docs build", "", "| build | time | memory |", "|---|---|---|", *docs_rows(env)]
    report = "\n".join(lines) + "\n"
    (ROOT / "bench").mkdir(exist_ok=True)
    (ROOT / "bench" / "gallery.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
