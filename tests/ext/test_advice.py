"""Advice that follows the verdicts: the decision page keeps the paragraph its page's numbers
support, with this build's verdict beside it, and follows the numbers when they change; the
landing page's sentence counts the verdicts the network is ahead in."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from tests.conftest import ROOT, raw_comparison

CONF = """
extensions = []
html_theme = "basic"
from gallery_pages.advice import setup_advice
from gallery_pages.gallery_words import setup_gallery_words
from gallery_pages.reference import setup_reference
from gallery_pages.scoreboard import setup_scoreboard


def setup(app):
    setup_gallery_words(app)
    setup_reference(app)
    setup_scoreboard(app)
    setup_advice(app)
"""
PAGE = "auto_examples/applications/plot_denoising"
ADVICE = """Which method
============

.. dlis-advice:: auto_examples/applications/plot_denoising
   :metric: Gaussian PSNR (dB)

   Train a network on your pairs.

   Tune BM3D first.

.. dlis-advice:: auto_examples/applications/plot_denoising
   :metric: Gaussian PSNR (dB)
   :best-among: BM3D

   BM3D is the classical method to beat.

   Another classical method is the one to beat.

.. dlis-summary::
"""


def _page(network_scores) -> str:
    scores = {
        "Gaussian PSNR (dB)": {
            "BM3D": [30.0, 31.0, 29.5],
            "TV": [28.0, 29.0, 27.0],
            "Network": network_scores,
        }
    }
    return f"Denoising\n=========\n\n{raw_comparison(scores, 'crops', ['Gaussian PSNR (dB)'])}"


def _kept(site) -> list[str]:
    return [box.get_text(" ", strip=True) for box in site.page("which-method").select("div.dlis-advice")]


def test_the_paragraph_the_numbers_support_is_kept_with_the_verdict_beside_it(build_site):
    site = build_site({f"{PAGE}.rst": _page([31.0, 32.1, 30.4]), "which-method.rst": ADVICE}, conf=CONF)
    first, second = _kept(site)
    assert first.startswith("Train a network on your pairs. This build: Network is ahead of the best")
    assert "Tune BM3D" not in first
    assert second.startswith("BM3D is the classical method to beat.")
    summary = site.page("which-method").select_one("div.dlis-summary").get_text(strip=True)
    assert "the network is ahead of the best classical method in 1 of 1 comparisons: Denoising" in summary
    assert site.warning_lines() == []


def test_when_the_numbers_change_the_advice_changes_in_the_next_build(build_site):
    build_site({f"{PAGE}.rst": _page([31.0, 32.1, 30.4]), "which-method.rst": ADVICE}, conf=CONF)
    site = build_site({f"{PAGE}.rst": _page([28.0, 29.1, 28.2]), "which-method.rst": ADVICE}, conf=CONF)
    first, _ = _kept(site)
    assert first.startswith("Tune BM3D first. This build: Network is behind the best classical method")
    summary = site.page("which-method").select_one("div.dlis-summary").get_text(strip=True)
    assert "in 0 of 1 comparisons." in summary


def test_advice_on_a_metric_the_page_does_not_measure_is_a_warning_naming_the_line(build_site):
    wrong = ADVICE.replace(":metric: Gaussian PSNR (dB)\n\n", ":metric: SSIM\n\n", 1)
    site = build_site({f"{PAGE}.rst": _page([31.0, 32.1, 30.4]), "which-method.rst": wrong}, conf=CONF)
    (warning,) = site.warning_lines()
    assert "which-method.rst:4" in warning and "no main comparison on 'SSIM'" in warning
    assert len(_kept(site)) == 1


def test_advice_without_its_two_paragraphs_is_an_error_naming_the_line(build_site):
    site = build_site(
        {
            f"{PAGE}.rst": _page([31.0, 32.1, 30.4]),
            "which-method.rst": ADVICE.replace("   Tune BM3D first.\n\n", ""),
        },
        conf=CONF,
    )
    assert any("which-method.rst:4" in line and "two paragraphs" in line for line in site.warning_lines())


@pytest.mark.parametrize("edition", ["en", "zh-CN"])
def test_the_built_decision_page_keeps_the_advice_its_verdicts_support(site, edition):
    page = BeautifulSoup((site / edition / "which-method.html").read_text("utf-8"), "html.parser")
    boxes = page.select("div.dlis-advice")
    advice = (ROOT / "docs" / "which-method.md").read_text("utf-8").count("{dlis-advice}")
    assert advice >= 7 and len(boxes) == advice, "one per verdict the page's advice rests on"
    for box in boxes:
        (paragraph,) = box.select("p")
        assert box.select_one("em").get_text().startswith(("This build:", "本次构建："))
        if edition == "en" and "dlis-advice-best-among" not in box["class"]:
            # the advice that recommends the network holds only where this build has it ahead
            assert ("dlis-advice-holds" in box["class"]) <= ("is ahead of" in paragraph.get_text())


def test_the_landing_page_counts_the_verdicts_its_table_shows(site):
    page = BeautifulSoup((site / "en" / "index.html").read_text("utf-8"), "html.parser")
    summary = page.select_one("div.dlis-summary").get_text(" ", strip=True)
    ahead, count = map(
        int, re.search(r"ahead of the best classical method in (\d+) of (\d+)", summary).groups()
    )
    main = page.select_one("table.dlis-scoreboard tbody")  # the first group: your kind of sample
    rows = main.select("tr:not(.dlis-case-row)")
    assert count == len(rows)
    assert ahead <= sum(1 for row in rows if row.select_one(".dlis-outcome.dlis-ahead"))
