"""The cost of each example, measured in the build, on the run-it-yourself page: this build's
time and memory from sphinx-gallery's records, and the recorded full profile beside them."""

from __future__ import annotations

import json
import os

CONF = """
extensions = []
html_theme = "basic"
sphinx_gallery_conf = {"gallery_dirs": ["auto_examples"]}
dlis_recorded_results = "full.json"
from gallery_pages.costs import setup_costs
from gallery_pages.reference import setup_reference


def setup(app):
    app.add_config_value("sphinx_gallery_conf", {}, "html")
    setup_reference(app)
    setup_costs(app)
"""
PAGE = "Run it\n======\n\n.. dlis-costs::\n"
FULL = {
    "run": {"device": "NVIDIA H200", "date": "2026-12-01", "profile": "full"},
    "examples": {"applications/plot_denoising.py": {"wall_s": 95.4, "peak_mb": 2100, "record": {}}},
}


def _files(denoising_s=75.2, recorded=None):
    files = {
        "run-it-yourself.rst": PAGE,
        "auto_examples/concepts/plot_1_neural_network.rst": "Neural network\n==============\n",
        "auto_examples/concepts/plot_1_neural_network.cost.json": json.dumps({"time": 9.6, "memory": 12.4}),
        "auto_examples/applications/plot_segmentation.rst": "Segmentation\n============\n",
        "auto_examples/applications/plot_segmentation.cost.json": json.dumps(
            {"time": 130.0, "memory": 401.0}
        ),
        "auto_examples/applications/plot_denoising.rst": "Denoising\n=========\n",
        "auto_examples/applications/plot_denoising.cost.json": json.dumps(
            {"time": denoising_s, "memory": 350.7}
        ),
    }
    if recorded:
        files["full.json"] = json.dumps(recorded)
    return files


def _rows(site):
    page = site.page("run-it-yourself")
    return page, [
        [cell.get_text() for cell in row.select("td")] for row in page.select("table.dlis-costs tbody tr")
    ]


def test_every_example_with_its_measured_time_and_memory_in_the_gallery_order(build_site):
    site = build_site(_files(), conf=CONF)
    page, rows = _rows(site)
    assert rows == [
        ["Denoising", "1:15", "351 MB"],
        ["Segmentation", "2:10", "401 MB"],
        ["Neural network", "0:10", "12 MB"],
    ]
    assert page.select_one("table.dlis-costs a")["href"] == "auto_examples/applications/plot_denoising.html"
    said = page.select_one("p").get_text()
    assert f"{os.cpu_count()} CPU cores and no GPU" in said
    assert "3 examples took 3:35" in said  # 75.2 + 130 + 9.6 s
    assert site.warning_lines() == []


def test_the_recorded_full_profile_sits_beside_this_build(build_site):
    site = build_site(_files(recorded=FULL), conf=CONF)
    page, rows = _rows(site)
    assert [cell.get_text() for cell in page.select("table.dlis-costs th")][-2:] == [
        "Time, full profile on NVIDIA H200",
        "Peak memory, full profile",
    ]
    assert rows[0] == ["Denoising", "1:15", "351 MB", "1:35", "2100 MB"]
    assert rows[1][-2:] == ["", ""], "an example the record lacks has empty cells"


def test_an_example_that_ran_again_updates_the_table(build_site):
    build_site(_files(), conf=CONF)
    site = build_site(_files(denoising_s=61.0), conf=CONF)
    assert _rows(site)[1][0] == ["Denoising", "1:01", "351 MB"]


def test_the_records_read_are_the_ones_sphinx_gallery_writes(tmp_path):
    """sphinx-gallery keeps each example's cost in a file beside its page (0.20 and later,
    a private format): this fails when a release writes it elsewhere or otherwise."""
    from types import SimpleNamespace

    from sphinx_gallery.gen_rst import _write_cached_cost

    from gallery_pages.costs import measured_costs

    page = tmp_path / "auto_examples" / "concepts" / "plot_1_neural_network.rst"
    page.parent.mkdir(parents=True)
    _write_cached_cost(page, (42.5, 310.0))
    config = SimpleNamespace(sphinx_gallery_conf={"gallery_dirs": ["auto_examples"]})
    assert measured_costs(tmp_path, config) == {
        "auto_examples/concepts/plot_1_neural_network": {"time": 42.5, "memory": 310.0}
    }


def test_the_sentence_and_table_speak_chinese(build_site):
    conf = CONF.replace("def setup(app):\n", "def setup(app):\n    setup_gallery_words(app)\n")
    conf += 'language = "zh_CN"\nfrom gallery_pages.gallery_words import setup_gallery_words\n'
    page, rows = _rows(build_site(_files(), conf=conf))
    said = page.select_one("p").get_text()
    assert said.startswith(f"本次构建在一台有 {os.cpu_count()} 个 CPU 核心、没有 GPU 的机器上运行了"), said
    assert [cell.get_text() for cell in page.select("table.dlis-costs th")][0] == "示例"
