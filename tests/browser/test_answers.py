"""Answers first, in the browser: the landing page shows the results, an application page shows
its answer before any code, at desktop width nothing on it scrolls sideways, and in dark mode its
figures are dimmed (never inverted: their grey levels are the science).

Screenshots of each application page (desktop light and dark, phone) are saved as test artifacts.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import artifact

APPLICATIONS = ["plot_denoising", "plot_segmentation", "plot_object_detection", "plot_super_resolution"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
#: Elements that must fit their column at desktop width.
SIDEWAYS = """() => [...document.querySelectorAll('article pre, article .dlis-table-scroll')]
    .filter(e => e.scrollWidth > e.clientWidth + 1)
    .map(e => e.textContent.trim().split('\\n')[0].slice(0, 60))"""

#: (alt text, rendered width) of each figure of the page.
FIGURES = """() => [...document.querySelectorAll('article img.sphx-glr-single-img')]
    .map(i => [i.alt, Math.round(i.getBoundingClientRect().width)])"""

#: The CSS filter each figure of the page is drawn with.
FILTERS = """() => [...document.querySelectorAll('article img.sphx-glr-single-img')]
    .map(i => getComputedStyle(i).filter)"""


def test_the_landing_page_shows_the_results_table(site, visit):
    page = visit(viewport=DESKTOP).page()
    page.goto((site / "en/index.html").as_uri())
    rows = page.locator("table.dlis-scoreboard tbody tr")
    assert rows.count() >= 4
    assert page.locator("table.dlis-scoreboard").is_visible()


@pytest.mark.parametrize("name", APPLICATIONS)
def test_an_application_page_answers_before_its_code_and_nothing_scrolls_sideways(site, visit, name):
    page = visit(viewport=DESKTOP).page()
    page.goto((site / f"en/auto_examples/applications/{name}.html").as_uri())
    answer = page.locator("div.dlis-answer").bounding_box()
    first_code = page.locator("article div.highlight-Python").first.bounding_box()
    assert answer["y"] + answer["height"] <= first_code["y"], "the answer comes before the first code cell"
    assert page.evaluate(SIDEWAYS) == []
    widths = page.evaluate(FIGURES)
    assert widths and all(width >= 480 for _, width in widths), widths
    assert all(width >= 600 for alt, width in widths if "held-out" in alt), "the comparison is large"
    assert set(page.evaluate(FILTERS)) == {"none"}, "light mode shows figures as drawn"
    page.screenshot(path=artifact(f"{name}-desktop-light.png"), full_page=True)
    page.emulate_media(color_scheme="dark")
    dark = page.evaluate(FILTERS)
    assert all(f.startswith("brightness(") and "invert" not in f for f in dark), "dimmed, never inverted"
    page.screenshot(path=artifact(f"{name}-desktop-dark.png"), full_page=True)


@pytest.mark.parametrize("name", APPLICATIONS)
def test_on_a_phone_tables_scroll_in_their_box_and_the_page_does_not(site, visit, name):
    page = visit(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True).page()
    page.goto((site / f"en/auto_examples/applications/{name}.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    cues = page.evaluate(
        """[...document.querySelectorAll('.dlis-table-scroll')]
             .filter(box => box.scrollWidth > box.clientWidth + 1)
             .map(box => getComputedStyle(box).backgroundImage)"""
    )
    assert cues, "at 390 px some table is wider than its box"
    assert all(cue.count("gradient(") == 4 for cue in cues), "each box that scrolls shows a shadow cue"
    page.screenshot(path=artifact(f"{name}-phone.png"), full_page=True)


#: Each figure's rendered width over its natural width (the scale of its text), and whether its
#: box scrolls with the shadow cue when the figure is wider than the box.
FIGURE_SCALES = """() => [...document.querySelectorAll('article img.sphx-glr-single-img')].map(i => {
    const box = i.closest('.dlis-figure-scroll');
    return [i.alt.slice(0, 40), i.getBoundingClientRect().width / i.naturalWidth,
            box !== null && (box.scrollWidth <= box.clientWidth + 1
                             || getComputedStyle(box).backgroundImage.split('gradient(').length === 5)];
})"""


@pytest.mark.parametrize("name", APPLICATIONS)
def test_on_a_phone_figures_keep_their_drawn_size_in_a_box_that_scrolls(site, visit, name):
    page = visit(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True).page()
    page.goto((site / f"en/auto_examples/applications/{name}.html").as_uri())
    page.wait_for_function("[...document.images].every(i => i.complete)")
    figures = page.evaluate(FIGURE_SCALES)
    assert len(figures) >= 4
    # drawn at 100 dpi with 10-point labels (about 14 px): at a scale of 0.65 or more they stay >= 9 px
    assert [alt for alt, scale, _ in figures if scale < 0.65] == []
    assert [alt for alt, _, cued in figures if not cued] == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
