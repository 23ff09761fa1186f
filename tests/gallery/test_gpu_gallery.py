"""The GPU run's pieces that need no GPU: its lanes, its records, its time limit."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

BENCHMARKS = ROOT / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from example_runs import examples  # noqa: E402
from gpu_gallery import lanes  # noqa: E402


def test_the_workflow_and_what_reuses_it_run_in_one_lane_in_order_and_the_rest_apart():
    planned = lanes(examples())
    chained = [lane for lane in planned if lane[0].parent.name == "workflow"]
    steps = sorted(path.name for path in (ROOT / "gallery" / "workflow").glob("plot_*.py"))
    assert len(chained) == 1 and [path.name for path in chained[0]] == [*steps, "plot_own_images.py"]
    others = [lane for lane in planned if lane not in chained]
    assert all(len(lane) == 1 for lane in others) and len(others) == len(examples()) - len(chained[0])


def _gpu_run(out, *options):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "ext" / "dlis-gallery" / "src"), "DLIS_COMMIT": "abc123"}
    command = [sys.executable, str(BENCHMARKS / "gpu_gallery.py"), str(out), "--profile", "smoke", *options]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads((out / "results.json").read_text())


@pytest.mark.slow
def test_a_run_records_every_example_with_its_versions_and_source(tmp_path):
    results = _gpu_run(tmp_path, "--jobs", "2", "--only", "plot_2_perceptron", "--only", "workflow/plot_1")
    assert results["run"]["commit"] == "abc123" and results["run"]["profile"] == "smoke"
    assert "keras" in results["run"]["versions"] and results["run"]["device"]
    assert set(results["examples"]) == {"concepts/plot_2_perceptron.py", "workflow/plot_1_data_input.py"}
    entry = results["examples"]["concepts/plot_2_perceptron.py"]
    assert entry["state"] == "ok" and entry["record"]["tables"] and entry["wall_s"] > 0
    assert len(entry["source_sha256"]) == 64
    summary = (tmp_path / "summary.md").read_text()
    assert "| concepts/plot_2_perceptron.py |" in summary and "smoke profile" in summary


@pytest.mark.slow
def test_an_example_past_its_time_limit_is_stopped_and_recorded(tmp_path):
    results = _gpu_run(tmp_path, "--timeout", "2", "--only", "plot_2_perceptron")
    entry = results["examples"]["concepts/plot_2_perceptron.py"]
    assert entry["state"] == "timed out" and entry["wall_s"] < 10 and entry["record"] is None
