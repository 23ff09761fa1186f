"""The answer first: an application page opens with what it measured, written from its numbers."""

from __future__ import annotations

import hashlib
import json

from tests.conftest import raw_comparison

CONF = """
extensions = []
html_theme = "basic"
from gallery_pages.answer_box import setup_answer_box
from gallery_pages.gallery_words import setup_gallery_words
from gallery_pages.reference import setup_reference


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


def _seeds(outcomes: list[str], source: str = "print('denoise')\n", **entry) -> dict[str, str]:
    """A page's source and a record of its main verdict under one seed per outcome."""
    verdict = {"metric": "Gaussian PSNR (dB)"}
    record = {
        "run": {"device": "CPU (2 cores)", "date": "2026-12-02", "profile": "quick", "seeds": [0, 1, 2]},
        "examples": {
            "applications/plot_denoising.py": {
                "source_sha256": hashlib.sha256(source.encode()).hexdigest(),
                "comparisons": {
                    str(seed): [{"case": "main", "verdicts": [{**verdict, "outcome": outcome}]}]
                    for seed, outcome in enumerate(outcomes)
                },
                **entry,
            }
        },
    }
    return {"seeds.json": json.dumps(record), "auto_examples/applications/plot_denoising.py": source}


def test_a_win_that_a_seed_takes_back_is_not_advertised(build_site):
    files = {"auto_examples/applications/plot_denoising.rst": _page([31.0, 32.1, 30.4])}
    files |= _seeds(["ahead", "not distinguishable", "ahead"])
    site = build_site(files, conf=CONF + 'dlis_recorded_seeds = "seeds.json"\n')
    box = site.page("auto_examples/applications/plot_denoising").select_one("div.dlis-answer")
    seeds = box.select_one("p.dlis-seeds").get_text()
    assert seeds.startswith("Under 3 seeds (quick profile, CPU (2 cores), 2026-12-02): seed 0: ahead, seed")
    assert "The verdict changes with the seed: it is not a win." in seeds
    assert "worth training" not in box.get_text() and "does as well as this network" in box.get_text()


def test_the_seeds_are_dated_by_their_own_entry_when_it_has_one(build_site):
    """A bench run that renewed only another page wrote its date in the record's header."""
    files = {"auto_examples/applications/plot_denoising.rst": _page([31.0, 32.1, 30.4])}
    measured = {"profile": "quick", "device": "CPU (2 cores)", "date": "2026-11-28"}
    files |= _seeds(["ahead", "ahead", "ahead"], measured=measured)
    site = build_site(files, conf=CONF + 'dlis_recorded_seeds = "seeds.json"\n')
    seeds = site.page("auto_examples/applications/plot_denoising").select_one("p.dlis-seeds").get_text()
    assert seeds.startswith("Under 3 seeds (quick profile, CPU (2 cores), 2026-11-28): seed 0: ahead")


def test_a_win_under_every_seed_stays_a_win(build_site):
    files = {"auto_examples/applications/plot_denoising.rst": _page([31.0, 32.1, 30.4])}
    files |= _seeds(["ahead", "ahead", "ahead"])
    site = build_site(files, conf=CONF + 'dlis_recorded_seeds = "seeds.json"\n')
    box = site.page("auto_examples/applications/plot_denoising").select_one("div.dlis-answer")
    assert "changes with the seed" not in box.get_text() and "worth training" in box.get_text()
