"""Smoke runs of every gallery example, and checks of what each example declares.

Every example runs once in the tiny ``smoke`` profile (:func:`tests.conftest.smoke_runs`:
in the smoke site's build, or as a script, ``python plot_x.py``), so a broken
example fails the tests long before the docs build; these tests check what
each run measured.  ``KERAS_BACKEND`` passes through, which is how ``nox -s
backends`` runs the same tests on JAX and PyTorch.
"""

from __future__ import annotations

import ast
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED

GALLERY = ROOT / "gallery"
EXAMPLES = sorted(GALLERY.glob("*/plot_*.py"))
#: Classical methods with nothing to tune (interpolations, a threshold picked from the
#: histogram, a classifier trained on labels).
UNTUNED = {"Bicubic", "Lanczos", "Multi-Otsu", "Random forest on features"}
#: Pages whose tables score the network as a reader applies it (``apply_network`` with the record
#: saved beside it), so that the margin they print is the one a reader gets.
SCORED_AS_APPLIED = [
    GALLERY / "applications" / f"plot_{name}.py" for name in ("denoising", "segmentation", "super_resolution")
]
TIMESTAMP_ROLE = re.compile(r":timestamp:`(\d\d:\d\d:\d\d) </guides/dragonfly-daily-15(?:#[\w-]+)?>`")


def run_example(path: Path, metrics: Path) -> dict:
    """Run one example in the smoke profile; return the metrics it saved."""
    env = {**os.environ, "DLIS_PROFILE": "smoke", "DLIS_METRICS_DIR": str(metrics), "MPLBACKEND": "Agg"}
    env["DLIS_NETWORKS_DIR"] = str(metrics / "networks")
    done = subprocess.run(
        [sys.executable, path.name], cwd=path.parent, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"{path.name} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert "profile smoke" in done.stdout
    (saved,) = metrics.glob("*.json")
    return json.loads(saved.read_text())


def test_there_is_an_example_per_application_and_per_concept():
    names = {f"{path.parent.name}/{path.stem}" for path in EXAMPLES}
    applications = ("denoising", "segmentation", "volume_segmentation", "object_detection")
    applications += ("super_resolution",)
    assert {f"applications/plot_{name}" for name in applications} <= names
    concepts = ("neural_network", "perceptron", "multilayer_perceptron", "convolutional_network", "unet")
    concepts += ("autoencoder", "backpropagation")
    assert {f"concepts/plot_{number}_{name}" for number, name in enumerate(concepts, 1)} <= names


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_each_example_declares_a_moment_of_the_guide(path):
    moments = TIMESTAMP_ROLE.findall(path.read_text("utf-8"))
    assert moments, f"{path.name} has no :timestamp:`HH:MM:SS </guides/dragonfly-daily-15>`"
    assert all(f"[{moment}]" in SEED.read_text("utf-8") for moment in moments)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_each_example_uses_only_the_keras_api(path):
    source = path.read_text("utf-8")
    assert not re.search(r"^\s*(import|from) (tensorflow|torch|jax)\b", source, re.M)
    assert "verbose=1" not in source and 'verbose="auto"' not in source


@pytest.mark.parametrize("path", SCORED_AS_APPLIED, ids=lambda path: path.stem)
def test_the_network_a_page_scores_is_the_one_a_reader_applies(path):
    calls = [node for node in ast.walk(ast.parse(path.read_text("utf-8"))) if isinstance(node, ast.Call)]

    def lines_of(name):
        return [call.lineno for call in calls if ast.unparse(call.func).endswith(name)]

    def network_applied(call):  # apply_network's first argument, called or bound by partial
        func, args = ast.unparse(call.func), call.args
        if func == "partial" and args and ast.unparse(args[0]) == "apply_network":
            func, args = "apply_network", args[1:]
        return args[0] if func == "apply_network" and args else None

    first_table = min(lines_of("run.compare"))
    assert min(lines_of("how_to_apply")) < first_table, "the record is measured before the first table"
    applied = [network_applied(call) for call in calls if call.lineno < first_table]
    assert any(
        isinstance(network, ast.Tuple) and ast.unparse(network.elts[-1]) == "how" for network in applied
    ), "the network is scored as apply_network applies it, with the record it is saved with"
    assert not lines_of("answered") and not lines_of("model"), "and never called directly"


def key_of(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.mark.slow
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_each_example_runs_and_measures_its_table(path, smoke_runs):
    saved = smoke_runs.records[key_of(path)]
    assert saved, f"{key_of(path)} wrote no record"
    assert saved["profile"] == "smoke"
    assert saved["tables"] or saved["comparisons"], "every example shows what it measured"
    for rows in saved["tables"].values():
        for row in rows:
            numbers = [value for value in row.values() if isinstance(value, float | int)]
            assert numbers and all(math.isfinite(value) for value in numbers)
    if path.parent.name == "applications":
        assert saved["timings"]["training"] > 0 and saved["training"]["steps"] > 0
        assert saved["seed"] == 0
        cases = [comparison["case"] for comparison in saved["comparisons"]]
        assert cases == ["main", "shift"], "your kind of sample, then the domain shift"
        for comparison in saved["comparisons"]:
            assert comparison["verdicts"], "the example says how the network compares with the best classical"
            assert comparison["against"] == "classical"
            assert len(comparison["rows"]) >= 4, "the network and at least three classical methods"
            means = [row[key] for row in comparison["rows"] for key in row if key != "method"]
            assert all(math.isfinite(value) for value in means)
            untuned = [
                row["method"]
                for row in comparison["rows"]
                if row["method"]
                not in {comparison["network"], *comparison.get("other_networks", ()), *UNTUNED}
                and not any(knob.startswith(row["method"]) for knob in saved["tuned"])
            ]
            assert untuned == [], "every classical method with knobs is tuned"
        (sweep,) = saved["sweeps"]
        assert len(sweep["verdicts"]) >= 4 and sweep["runs"], "a sweep of the difficulty knob"
        assert (smoke_runs.networks / f"{saved['example']}.keras").is_file(), "the trained network is saved"
        sets = [set(names) for names in saved["data_sets"].values()]
        assert len(sets) >= 3 and all(not a & b for a in sets for b in sets if a is not b), saved["data_sets"]


@pytest.mark.slow
def test_hand_gradients_agree_with_autodiff_and_finite_differences(smoke_runs):
    saved = smoke_runs.records["concepts/plot_7_backpropagation.py"]
    (rows,) = saved["tables"].values()
    autodiff, finite = (row["relative difference"] for row in rows)
    assert autodiff < 1e-5, "float32 autodiff agrees with the hand-derived gradients"
    assert finite < 1e-7, "float64 finite differences agree with the hand-derived gradients"


@pytest.mark.slow
def test_two_runs_print_the_same_metrics(smoke_runs, tmp_path):
    example = GALLERY / "applications" / "plot_segmentation.py"
    first = smoke_runs.records[key_of(example)]
    second = run_example(example, tmp_path)
    assert first["comparisons"] == second["comparisons"] and first["tables"] == second["tables"]
    assert first["sweeps"] == second["sweeps"]


@pytest.mark.slow
def test_every_name_an_application_page_shows_is_in_the_catalogs_list(smoke_runs):
    """Method, metric and knob names reach the Chinese edition through the catalog."""
    from gallery_pages.shown_names import SHOWN_NAMES

    shown = set()
    for key, record in smoke_runs.records.items():
        if key.startswith("applications/"):
            for comparison in record["comparisons"]:
                shown |= {row["method"] for row in comparison["rows"]} | set(comparison["metrics"])
            for sweep in record["sweeps"]:
                shown |= {sweep["knob"], sweep["metric"], sweep["network"]}
    assert shown and shown - set(SHOWN_NAMES) == set()
