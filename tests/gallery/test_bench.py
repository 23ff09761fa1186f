"""The bench's verdict on the workflow's budget adds up the nine steps' walls."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import gallery_budget  # noqa: E402
from example_runs import ExampleRun  # noqa: E402

GALLERY = ROOT / "gallery"


@pytest.mark.parametrize(("step_s", "within"), [(20.0, "yes"), (100.0, "NO")])
def test_the_workflow_budget_holds_the_sum_of_its_steps(monkeypatch, step_s, within):
    pages = [GALLERY / "workflow" / "plot_1_a.py", GALLERY / "workflow" / "plot_2_b.py"]
    pages += [GALLERY / "your_images" / "plot_c.py", GALLERY / "concepts" / "plot_d.py"]
    walls = {"workflow": step_s, "your_images": 500.0, "concepts": 10.0}

    def run(path, profile, env, seed=0):
        record = {"timings": {}, "tables": {"t": [{"x": 1.0}]}}
        return ExampleRun(path, walls[path.parent.name], 600.0, 0, False, record, "")

    monkeypatch.setattr(gallery_budget, "examples", lambda: pages)
    monkeypatch.setattr(gallery_budget, "run_example", run)
    rows = gallery_budget.example_rows("quick", 1, {})
    budget = gallery_budget.QUICK_WORKFLOW_BUDGET_S
    assert rows[-1].startswith(f"| workflow, all nine steps | {2 * step_s:.1f} | {budget} | {within} ")
