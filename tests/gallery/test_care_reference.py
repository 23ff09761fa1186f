"""The CARE benchmark reads the denoising page without running it: only the functions it
asks for (and those they call) and the page's literal constants at the quick profile."""

from __future__ import annotations

import sys
import textwrap

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

from care_reference import NEEDED, PAGE, read_page  # noqa: E402

PAGE_SOURCE = """
import numpy as np
run = start_run("nothing")  # never runs: the script would fail here
STEPS, BATCH = run.pick(smoke=(10, 8), quick=(700, 16), full=(8000, 32))
GRIDS = {"BM3D": {"scale": run.pick(smoke=[1.0], quick=[0.7, 1.0], full=[0.5, 0.7, 1.0])}}
LEVEL = 0.15
made = np.zeros(3)  # not a literal: left out


def helper(x):
    return x + 1


def wanted(x):
    return 2 * helper(x)


def unwanted(x):
    raise AssertionError("never defined")
"""


def test_only_the_functions_asked_for_and_what_they_call_and_quick_constants(tmp_path):
    page_file = tmp_path / "plot_x.py"
    page_file.write_text(textwrap.dedent(PAGE_SOURCE))
    page = read_page(page_file, ("wanted",))
    assert page["wanted"](1) == 4 and "helper" in page and "unwanted" not in page
    assert (page["STEPS"], page["BATCH"], page["LEVEL"]) == (700, 16, 0.15)
    assert page["GRIDS"] == {"BM3D": {"scale": [0.7, 1.0]}}
    assert "made" not in page and "run" not in page


def test_the_denoising_page_gives_what_the_benchmark_needs():
    import numpy as np

    page = read_page(PAGE, NEEDED)
    field = page["filaments"](96, np.random.default_rng(0))
    assert field.shape == (96, 96) and 0 <= field.min() and field.max() <= 1
    noisy = page["blind_noise"](field, np.random.default_rng(1))
    assert noisy.shape == field.shape and not np.allclose(noisy, field)
    assert {"FIELDS", "BATCH", "STEPS", "SIGMA", "PHOTONS", "GRIDS"} <= page.keys()
