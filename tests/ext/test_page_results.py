"""The gallery's results on a built page: a comparison written in the build's
language from its own numbers, and a grid-edge warning that fails the build."""

from __future__ import annotations

import textwrap

from dlis_gallery.tuning import GRID_EDGE
from tests.conftest import raw_comparison

CONF = """
extensions = []
html_theme = "basic"
from gallery_pages.gallery_words import setup_gallery_words
from gallery_pages.page_results import setup_page_results


def setup(app):
    setup_gallery_words(app)
    setup_page_results(app)
"""


def _page(output: str) -> str:
    scores = {"F1": {"blob_log": [0.80, 0.82, 0.79], "Network": [0.90, 0.93, 0.91]}}
    html = textwrap.indent(raw_comparison(scores, "scenes", ["F1"]).split("\n", 2)[2], "    ")
    return (
        "Detection\n=========\n\n.. code-block:: none\n\n"
        f"{textwrap.indent(output, '    ')}\n\n.. raw:: html\n\n"
        f'    <div class="output_subarea output_html rendered_html output_result">\n{html}\n    </div>\n'
    )


def test_the_comparison_is_rendered_in_english(build_site):
    site = build_site({"page.rst": _page("Network: threshold = 0.4")}, conf=CONF)
    page = site.page("page")
    table = page.select_one("table.dlis-results-table")
    assert [th.get_text() for th in table.select("tbody th")] == ["blob_log", "Network"]
    verdict = page.select_one("p.dlis-verdict.dlis-ahead").get_text()
    assert verdict.startswith("Network is ahead of the best classical method, blob_log (0.803), by 0.110")
    assert site.warning_lines() == []


def test_the_comparison_is_worded_again_in_chinese(build_site):
    site = build_site({"page.rst": _page("Network: threshold = 0.4")}, conf=CONF + 'language = "zh_CN"\n')
    page = site.page("page")
    verdict = page.select_one("p.dlis-verdict").get_text()
    assert verdict.startswith("网络 在 F1 上领先最佳经典方法 blob_log（0.803）0.110（95% 置信区间")
    assert "3 个留出场景" in verdict
    assert page.select_one("table.dlis-results-table thead th").get_text() == "方法"


def test_a_grid_edge_printed_in_the_page_is_a_build_warning(build_site):
    edge = f"Warning: blob_log threshold = 0.2 is {GRID_EDGE}: try values beyond it."
    site = build_site({"page.rst": _page(f"blob_log: threshold = 0.2\n{edge}")}, conf=CONF)
    (warning,) = site.warning_lines()
    assert "page.rst" in warning and edge in warning


def test_a_smoke_build_shows_the_grid_edge_but_does_not_fail(build_site):
    edge = f"Warning: blob_log threshold = 0.2 is {GRID_EDGE}: try values beyond it."
    conf = CONF.replace("def setup(app):\n", "def setup(app):\n    app.connect('builder-inited', smoke)\n")
    conf += "\n\ndef smoke(app):\n    app.env.dlis_gallery_profile = 'smoke'\n"
    site = build_site({"page.rst": _page(edge)}, conf=conf)
    assert site.warning_lines() == []
    assert edge in site.page("page").get_text()
