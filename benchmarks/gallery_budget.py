"""The gallery's budgets, measured: per-example wall time, peak memory and metrics,
and the whole docs build (both editions) from clean and with nothing changed.

Run through ``nox -s bench``.  Each example runs alone as ``python plot_x.py``
(its own process, so its peak resident memory is its own); ``--repeat N`` runs
each N times and reports the median; each row gives the training's steps per
second and the step where the validation loss reached its plateau.  The table
is printed and written to ``bench/gallery.md``.

``--seeds N`` runs each application under seeds 0 to N-1 (``DLIS_SEED``) and
records every main verdict under each in ``gallery/reference/seeds.json``,
which the pages show (a verdict that changes with the seed is not a win),
with each seed's sweeps, training (steps per second, plateau) and wall time;
``--only NAME`` runs only the applications whose file names contain NAME (a new
or changed page) and keeps the record's other entries.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from example_runs import example_key, examples, run_example, source_digest, summary, verdicts_summary
from machine_speed import machine, sentence

from dlis_gallery.sweeps import sweep_sentence
from editions.__main__ import doctrees_of, staging_of

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
        workflow_total += wall if group == "workflow" else 0
        budget = (
            FULL_BUDGET_S if profile == "full" else QUICK_BUDGET_S.get(group) if profile == "quick" else None
        )
        within = "" if budget is None else ("yes" if wall <= budget else "NO")
        rows.append(
            f"| {group}/{example.stem} | {wall:.1f} | {budget or '-'} | {within} | "
            f"{statistics.median(run.peak_mb for run in runs):.0f} | "
            f"{record['timings'].get('training', 0):.1f} | {_training(record)} | {summary(record)} |"
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


def _training(record: dict) -> str:
    training = record.get("training") or {}
    if not training:
        return "-"
    return (
        f"{training['steps']} steps, {training['steps_per_s']:.1f}/s, plateau at step "
        f"{training['plateau_step']} ({training['plateau_s']:.0f} s)"
    )


#: Where the verdicts under several seeds are kept for the pages (``dlis_recorded_seeds``).
SEEDS_RECORD = ROOT / "gallery" / "reference" / "seeds.json"
#: What each application's entry says of where and when it was measured (a run may renew only some).
MEASURED_KEYS = ("profile", "device", "machine", "date")


#: What the seeds' record keeps of each run's training (``run.learnt``).
TRAINING_KEYS = ("steps", "steps_per_s", "plateau_step", "plateau_s")


def seed_rows(profile: str, seeds: int, env: dict, measured_on: dict, only: str = "") -> list[str]:
    """Each application (or those whose names contain ``only``, keeping the other
    entries) under seeds 0 .. ``seeds`` - 1: its verdicts, sweeps, training (steps per
    second, plateau) and wall time per seed, written to :data:`SEEDS_RECORD` with the
    machine they ran on (``measured_on``, from :func:`machine_speed.machine`)."""
    rows, kept = [], {}
    chosen = [path for path in examples() if path.parent.name == "applications" and only in path.name]
    if not chosen:
        raise SystemExit(f"--only {only!r} names no application")
    if only and SEEDS_RECORD.exists():
        earlier = json.loads(SEEDS_RECORD.read_text())
        kept = earlier["examples"]
        for kept_entry in kept.values():  # the run's header will be this run's: each keeps its own
            kept_entry.setdefault(
                "measured", {key: earlier["run"][key] for key in MEASURED_KEYS if key in earlier["run"]}
            )
    measured_here = {"profile": profile, "machine": measured_on, "date": datetime.date.today().isoformat()}
    for example in chosen:
        entry = {
            "source_sha256": source_digest(example),
            "comparisons": {},
            "wall_s": {},
            "training": {},
            "sweeps": {},
        }
        for seed in range(seeds):
            run = run_example(example, profile, env, seed=seed)
            if not run.ok:
                raise SystemExit(
                    f"{example.name} failed under seed {seed} ({run.returncode}):\n{run.output_tail}"
                )
            entry["comparisons"][str(seed)] = run.record["comparisons"]
            entry["wall_s"][str(seed)] = round(run.wall_s, 1)
            training = run.record.get("training") or {}
            entry["training"][str(seed)] = {key: training[key] for key in TRAINING_KEYS if key in training}
            sweeps = entry["sweeps"][str(seed)] = run.record.get("sweeps", [])
            lines = [
                (comparison["case"], verdicts_summary(comparison)) for comparison in run.record["comparisons"]
            ]
            lines += [("sweep", sweep_sentence(sweep)) for sweep in sweeps]
            lines += [("training", _training(run.record))]
            for case, summary_line in lines:
                rows.append(
                    f"| {example_key(example)} | {seed} | {case} | {run.wall_s:.1f} | {summary_line} |"
                )
                print(rows[-1], flush=True)
        measured_here["device"] = run.record["device"]
        entry["measured"] = dict(measured_here)
        kept[example_key(example)] = entry
    record = {"run": {**measured_here, "seeds": list(range(seeds))}, "examples": kept}
    SEEDS_RECORD.parent.mkdir(parents=True, exist_ok=True)
    SEEDS_RECORD.write_text(json.dumps(record, indent=1) + "\n")
    return rows


def docs_rows(env: dict) -> list[str]:
    out = ROOT / "docs" / "_build" / "bench-html"
    generated_paths = (
        out,
        staging_of(out),
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
    parser.add_argument("--seeds", type=int, default=0, help="run each application under this many seeds")
    parser.add_argument("--only-seeds", action="store_true", help="only the seeds' runs")
    parser.add_argument("--only", default="", help="seeds: only the applications whose names contain this")
    args = parser.parse_args()
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    measured_on = machine(env)
    lines = [f"Machine: {sentence(measured_on)}", ""]
    if not args.only_seeds:
        lines += [
            f"## Gallery examples, {args.profile} profile, median of {args.repeat}, "
            f"{os.cpu_count()} CPU cores",
            "",
            "| example | wall s | budget s | within | peak MB | training s | training | metric |",
            "|---|---|---|---|---|---|---|---|",
            *example_rows(args.profile, args.repeat, env),
        ]
    if args.seeds:
        lines += [
            "",
            f"## Applications under {args.seeds} seeds ({SEEDS_RECORD.relative_to(ROOT)})",
            "",
            "| example | seed | case, sweep or training | wall s | measured |",
            "|---|---|---|---|---|",
            *seed_rows(args.profile, args.seeds, env, measured_on, args.only),
        ]
    if not args.no_docs and not args.only_seeds:
        lines += ["", "## Docs build", "", "| build | time | memory |", "|---|---|---|", *docs_rows(env)]
    report = "\n".join(lines) + "\n"
    (ROOT / "bench").mkdir(exist_ok=True)
    (ROOT / "bench" / "gallery.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
