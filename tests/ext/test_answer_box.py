"""The answer first: an application page opens with what it measured, written from its numbers."""

from __future__ import annotations

from tests.conftest import raw_comparison

CONF = """
extensions = []
html_theme = "basic"
from dlis_gallery.answer_box import setup_answer_box
from dlis_gallery.gallery_words import setup_gallery_words
from dlis_gallery.reference import setup_reference


def setup(app):
    setup_gallery_words(app)  # the dlis_gallery catalog
    setup_reference(app)  # keeps each page's comparison
    setup_answer_box(app)
"""


def _page(network_scores) -> str:
    scores = {
        "Gaussian PSNR (dB)": {"BM3D": [30.0, 31.0, 29.5], "Network": network_scores},
        "Gaussian SSIM": {"BM3D": [0.8, 0.82, 0.79], "Network": [0.81, 0.83, 0.8]},
    }
    return (
        "Can a network denoise better than BM3D?\n=======================================\n\n"
        "The question, in a paragraph.\n\nSetup\n-----\n\n.. code-block:: python\n\n    import keras\n\n"
        f"Scores\n------\n\n{raw_comparison(scores, 'crops', ['Gaussian PSNR (dB)'])}"
    )


def test_the_answer_comes_before_the_first_section_with_its_metrics_defined(build_site):
    site = build_site({"auto_examples/applications/plot_denoising.rst": _page([31.0, 32.1, 30.4])}, conf=CONF)
    page = site.page("auto_examples/applications/plot_denoising")
    box = page.select_one("div.dlis-answer")
    assert box is not None
    first_section = page.select_one("section section")
    assert box.find_next("section") is first_section, "the box sits above the page's first section"
    verdict = box.select_one("p.dlis-verdict.dlis-ahead").get_text()
    assert verdict.startswith("Network is ahead of the best classical method, BM3D (30.17), by 1.000")
    assert "the network is worth training" in box.get_text()
    definitions = [item.get_text() for item in box.select("li")]
    assert [text.split(" ", 1)[0] for text in definitions] == ["PSNR", "SSIM"]
    assert all(text.endswith("Higher is better.") for text in definitions)
    assert site.warning_lines() == []


def test_a_network_behind_points_the_reader_to_the_classical_method(build_site):
    site = build_site({"auto_examples/applications/plot_denoising.rst": _page([28.0, 29.2, 28.1])}, conf=CONF)
    box = site.page("auto_examples/applications/plot_denoising").select_one("div.dlis-answer")
    assert box.select_one("p.dlis-verdict.dlis-behind") is not None
    assert "start with BM3D, tuned as here: it beat this network" in box.get_text()


def test_the_answer_is_worded_in_chinese_in_the_chinese_edition(build_site):
    conf = CONF + 'language = "zh_CN"\n'
    site = build_site({"auto_examples/applications/plot_denoising.rst": _page([31.0, 32.1, 30.4])}, conf=conf)
    box = site.page("auto_examples/applications/plot_denoising").select_one("div.dlis-answer")
    assert "峰值信噪比" in box.get_text() and "值得训练" in box.get_text()


def test_pages_outside_the_applications_get_no_box(build_site):
    site = build_site({"auto_examples/concepts/plot_unet.rst": _page([31.0, 32.1, 30.4])}, conf=CONF)
    assert site.page("auto_examples/concepts/plot_unet").select_one("div.dlis-answer") is None
