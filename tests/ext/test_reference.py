"""The full profile's recorded results on pages built in another profile, and the scoreboard:
your kind of sample first, a full-profile column only where one was recorded, seeds that disagree."""

from __future__ import annotations

import hashlib
import json
import textwrap

from dlis_gallery.results import Comparison

CONF = """
extensions = []
html_theme = "basic"
dlis_recorded_results = "full.json"
from gallery_pages.gallery_words import setup_gallery_words
from gallery_pages.page_results import setup_page_results
from gallery_pages.reference import setup_reference
from gallery_pages.scoreboard import setup_scoreboard


def setup(app):
    setup_gallery_words(app)
    setup_page_results(app)
    setup_reference(app)
    setup_scoreboard(app)
"""
SOURCE = "print('an example')\n"


def _record(network, baseline, case="main"):
    scores = {"F1": {"blob_log": baseline, "Network": network}}
    return Comparison(scores, network="Network", items="scenes", verdict_on=["F1"], case=case)


def _page(title: str, *comparisons: Comparison) -> str:
    shown = "".join(
        f".. raw:: html\n\n{textwrap.indent(comparison._repr_html_(), '    ')}\n\nAfter the table.\n\n"
        for comparison in comparisons
    )
    return f"{title}\n{'=' * len(title)}\n\nText.\n\n{shown}"


def _site(build_site, conf=CONF, record_full=True):
    quick = _record([0.80, 0.82, 0.79], [0.81, 0.80, 0.80])
    shifted = _record([0.60, 0.62, 0.59], [0.71, 0.70, 0.70], case="shift")
    full = _record([0.95, 0.96, 0.94], [0.85, 0.86, 0.84])
    recorded = {
        "run": {"device": "NVIDIA H100 80GB HBM3", "date": "2026-11-30", "profile": "full"},
        "examples": {
            name: {
                "source_sha256": hashlib.sha256(source.encode()).hexdigest(),
                "wall_s": 71.4,
                "record": {"comparisons": [full.record()], "tables": {}},
            }
            for name, source in (("applications/plot_fresh.py", SOURCE), ("applications/plot_old.py", "old"))
        },
    }
    files = {
        "auto_examples/applications/plot_fresh.rst": _page("Fresh", quick, shifted),
        "auto_examples/applications/plot_fresh.py": SOURCE,
        "auto_examples/applications/plot_old.rst": _page("Old", quick),
        "auto_examples/applications/plot_old.py": SOURCE,
        "auto_examples/applications/plot_new.rst": _page("New", quick),
        "scores.rst": "Scores\n======\n\n.. dlis-scoreboard::\n",
    }
    if record_full:
        files["full.json"] = json.dumps(recorded)
    return build_site(files, conf=conf)


def test_a_page_shows_the_recorded_full_profile_after_its_own_numbers(build_site):
    site = _site(build_site)
    page = site.page("auto_examples/applications/plot_fresh")
    box = page.select_one("div.dlis-recorded")
    assert box.find_previous("div", class_="dlis-results") is not None, "after the page's own table"
    text = box.get_text(" ", strip=True)
    assert text.startswith("Full profile, measured on NVIDIA H100 80GB HBM3 on 2026-11-30")
    assert "Network is ahead of the best classical method, blob_log (0.850), by 0.100 in F1" in text
    assert "The example ran for 71 s there." in text
    assert page.select_one(".dlis-stale") is None
    assert site.warning_lines() == []


def test_a_changed_example_says_its_record_is_from_an_earlier_version(build_site):
    page = _site(build_site).page("auto_examples/applications/plot_old")
    assert "from an earlier version" in page.select_one("div.dlis-recorded .dlis-stale").get_text()


def test_an_example_never_recorded_has_no_box(build_site):
    page = _site(build_site).page("auto_examples/applications/plot_new")
    assert page.select_one("div.dlis-recorded") is None


def _rows(page):
    """Each row of the scoreboard: its case heading, or its cells."""
    return [
        row.get_text(" ", strip=True) if "dlis-case-row" in row.get("class", []) else
        [td.get_text(" ", strip=True) for td in row.select("td")]
        for row in page.select("tbody tr")
    ]  # fmt: skip


def test_the_scoreboard_lists_your_kind_of_sample_first_then_the_domain_shift(build_site):
    page = _site(build_site).page("scores")
    main, fresh, new, old, shift, fresh_shifted = _rows(page)
    assert main.startswith("Your kind of sample") and shift.startswith("Another kind of image (domain shift)")
    assert [fresh[0], new[0], old[0], fresh_shifted[0]] == ["Fresh", "New", "Old", "Fresh"]
    assert (
        fresh[1] == "F1" and fresh[2].endswith("not distinguishable") and fresh_shifted[2].endswith("behind")
    )
    assert fresh[3].startswith("0.100 [") and fresh[3].endswith("ahead")
    assert new[3] == "not recorded" and fresh_shifted[3] == "not recorded"
    assert "(earlier version)" in old[3]
    assert page.select_one("table a")["href"] == "auto_examples/applications/plot_fresh.html"
    heading = page.select_one("thead").get_text()
    assert "Full profile, measured on NVIDIA H100 80GB HBM3 on 2026-11-30" in heading
    assert page.select_one(".dlis-no-record") is None


def test_without_a_recorded_full_profile_there_is_no_empty_column_but_a_note(build_site):
    page = _site(build_site, record_full=False).page("scores")
    assert [cell.get_text() for cell in page.select("thead th")] == ["Application", "Metric", "This build"]
    assert all(len(row) == 3 for row in _rows(page) if isinstance(row, list))
    assert (
        "No run of the full profile on a GPU has been recorded yet."
        in page.select_one(".dlis-no-record").text
    )


def test_the_box_and_the_scoreboard_speak_chinese(build_site):
    site = _site(build_site, CONF + 'language = "zh_CN"\n')
    box = site.page("auto_examples/applications/plot_fresh").select_one("div.dlis-recorded").get_text()
    assert "完整运行配置" in box and "NVIDIA H100 80GB HBM3" in box
    assert "领先" in site.page("scores").select_one("table tbody").get_text()


def test_the_scoreboard_follows_a_page_that_changed(build_site):
    _site(build_site)
    better = _page("New", _record([0.99, 0.98, 0.99], [0.50, 0.52, 0.51]))
    site = build_site({"auto_examples/applications/plot_new.rst": better}, conf=CONF)
    rows = _rows(site.page("scores"))
    assert rows[2][2].startswith("0.477 [")
