"""The bench's verdict on the workflow's budget adds up the nine steps' walls, and its seeds'
record says where and when each application was measured."""

from __future__ import annotations

import datetime
import json
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


def test_renewing_one_application_keeps_where_and_when_the_others_were_measured(monkeypatch, tmp_path):
    """A run with ``--only`` writes its own machine and date in the record's header: the
    entries it keeps carry the earlier run's, so no page dates another machine's seeds."""
    record = tmp_path / "seeds.json"
    earlier = {"profile": "quick", "device": "CPU (2 cores)", "machine": {"cpu": "old"}, "date": "2026-12-06"}
    kept = {"source_sha256": "0" * 64, "comparisons": {}, "wall_s": {"0": 97.2}}
    record.write_text(
        json.dumps({"run": {**earlier, "seeds": [0]}, "examples": {"applications/plot_a.py": kept}})
    )
    renewed = GALLERY / "applications" / "plot_b.py"

    def run(path, profile, env, seed=0):
        return ExampleRun(path, 50.0, 600.0, 0, False, {"device": "CPU (2 cores)", "comparisons": []}, "")

    monkeypatch.setattr(gallery_budget, "SEEDS_RECORD", record)
    monkeypatch.setattr(gallery_budget, "examples", lambda: [renewed])
    monkeypatch.setattr(gallery_budget, "run_example", run)
    monkeypatch.setattr(gallery_budget, "source_digest", lambda path: "1" * 64)
    gallery_budget.seed_rows("quick", 1, {}, {"cpu": "new"}, only="plot_b")
    written = json.loads(record.read_text())
    today = datetime.date.today().isoformat()
    assert written["run"]["machine"] == {"cpu": "new"} and written["run"]["date"] == today
    assert written["examples"]["applications/plot_a.py"]["measured"] == earlier
    assert written["examples"]["applications/plot_b.py"]["measured"]["machine"] == {"cpu": "new"}
    assert written["examples"]["applications/plot_b.py"]["wall_s"] == {"0": 50.0}


def test_renewing_an_application_that_does_not_exist_changes_no_record(monkeypatch, tmp_path):
    record = tmp_path / "seeds.json"
    record.write_text('{"run": {}, "examples": {}}')
    monkeypatch.setattr(gallery_budget, "SEEDS_RECORD", record)
    monkeypatch.setattr(gallery_budget, "examples", lambda: [GALLERY / "applications" / "plot_b.py"])
    with pytest.raises(SystemExit, match="names no application"):
        gallery_budget.seed_rows("quick", 1, {}, {}, only="plot_typo")
    assert record.read_text() == '{"run": {}, "examples": {}}'
