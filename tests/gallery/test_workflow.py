"""The workflow steps: each runs alone, and an edited step never leaves stale results."""

from __future__ import annotations

import re
import shutil
import threading

import pytest

from tests.conftest import ROOT, SEED
from tests.gallery.test_examples import run_example

WORKFLOW = ROOT / "gallery" / "workflow"
STEPS = ["Data Input", "Network Selection", "Training Data", "Model Training", "Optimization"]
STEPS += ["Backpropagation", "Iteration", "Validation", "Application"]


def test_one_page_per_step_of_the_guide_in_order():
    pages = sorted(path.name for path in WORKFLOW.glob("plot_*.py"))
    assert len(pages) == 9 and all(name.startswith(f"plot_{n}_") for n, name in enumerate(pages, 1))
    for page, step in zip(pages, STEPS, strict=True):
        anchor = "step-" + step.lower().replace(" ", "-")
        assert f"#{anchor}>`" in (WORKFLOW / page).read_text("utf-8"), (page, anchor)
        assert f"**{step} [" in SEED.read_text("utf-8")


def test_editing_a_step_changes_what_later_steps_reuse(tmp_path, monkeypatch):
    from dlis_gallery import workflow

    copy = tmp_path / "workflow"
    shutil.copytree(WORKFLOW, copy, ignore=shutil.ignore_patterns(".store", "__pycache__"))
    monkeypatch.setattr(workflow, "STEPS", copy)
    monkeypatch.setenv("DLIS_PROFILE", "smoke")
    before = workflow.fingerprint("plot_4_model_training.py")
    with open(copy / "plot_9_application.py", "a") as later:
        later.write("\n# a later step changed\n")
    assert workflow.fingerprint("plot_4_model_training.py") == before
    with open(copy / "plot_2_network_selection.py", "a") as earlier:
        earlier.write("\n# an earlier step changed\n")
    assert workflow.fingerprint("plot_4_model_training.py") != before


def test_the_steps_travel_with_the_module_that_re_makes_them():
    from dlis_gallery import workflow

    assert workflow.STEPS.resolve() == WORKFLOW.resolve()


MAKING_STEP = """
import time
from pathlib import Path

from dlis_gallery.workflow import output

with open(Path(__file__).with_name("runs.log"), "a") as runs:
    runs.write("ran\\n")
time.sleep(0.5)  # long enough for another page to ask meanwhile
output("plot_1_make.py", "made.txt").write_text("made")
"""


def test_pages_asking_at_once_for_a_missing_result_make_it_once(tmp_path, monkeypatch):
    """Two workflow pages run at once; both need step 4's network and find none (step 4
    failed): one re-makes it, the other waits for it instead of writing it too."""
    from dlis_gallery import workflow

    steps = tmp_path / "steps"
    steps.mkdir()
    (steps / "plot_1_make.py").write_text(MAKING_STEP)
    monkeypatch.setattr(workflow, "STEPS", steps)
    monkeypatch.setattr(workflow, "fingerprint", lambda step: "current")
    monkeypatch.setenv("DLIS_WORKFLOW_STORE", str(tmp_path / "store"))
    found = []

    def page():
        found.append(workflow.result("plot_1_make.py", "made.txt").read_text())

    pages = [threading.Thread(target=page) for _ in range(2)]
    for running in pages:
        running.start()
    for running in pages:
        running.join()
    assert found == ["made", "made"]
    assert (steps / "runs.log").read_text().splitlines() == ["ran"]


@pytest.mark.slow
def test_the_last_step_runs_alone_with_nothing_saved(tmp_path, monkeypatch):
    monkeypatch.setenv("DLIS_WORKFLOW_STORE", str(tmp_path / "empty-store"))
    saved = run_example(WORKFLOW / "plot_9_application.py", tmp_path / "metrics")
    (rows,) = saved["tables"].values()
    assert [row["method"] for row in rows] == ["true particles", "U-Net, tiled"]
    made = {path.name for path in (tmp_path / "empty-store").rglob("*")}
    assert {"micrographs.npz", "unet.keras"} <= made, "it re-made the data and the model it needed"


def test_steps_that_write_what_others_read_run_alone():
    """The build runs two examples at once, except those that opt out. A step that saves a
    result, or re-runs one that does, must opt out: two at once could write a file while
    another page reads it."""
    pages = [*WORKFLOW.glob("plot_*.py"), *(ROOT / "gallery" / "your_images").glob("plot_*.py")]
    sources = {page.name: page.read_text("utf-8") for page in pages}
    reruns = {name: re.findall(r'definitions\("([^"]+)"\)', source) for name, source in sources.items()}

    def writes(name):  # saves a result itself, or through a step it re-runs (always an earlier one)
        return "output(" in sources[name] or any(writes(step) for step in reruns[name])

    assert writes("plot_4_model_training.py") and writes("plot_9_application.py")  # the scan sees them
    for name, source in sources.items():
        if writes(name):
            assert "# sphinx_gallery_parallel = False" in source, name
