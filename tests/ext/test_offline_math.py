"""Math is drawn at build time, needs no network, and follows the text colour."""

import re

from offline_math import svg_of

MATH_CONF = (
    'extensions = ["myst_parser", "offline_math"]\nhtml_math_renderer = "offline_math"\n'
    'myst_enable_extensions = ["dollarmath"]\n'
)


def test_a_formula_becomes_a_labelled_svg_in_the_text_colour():
    svg = svg_of(r"\frac{\partial L}{\partial w}", 12)
    assert svg.startswith("<svg ")
    assert 'aria-label="\\frac{\\partial L}{\\partial w}"' in svg
    assert 'fill="currentColor"' in svg and "#000000" not in svg and "#ffffff" not in svg


def test_two_formulas_on_one_page_share_no_ids():
    first, second = svg_of("x^2", 12), svg_of("y^2", 12)
    ids = re.findall(r'id="([^"]+)"', first + second)
    assert ids and len(ids) == len(set(ids))


def test_pages_with_math_load_no_script(build_site):
    site = build_site(
        {"m.md": "# Math\n\nInline $a^2 + b^2$ and\n\n$$L = \\sum_i (y_i - \\hat y_i)^2$$\n"}, conf=MATH_CONF
    )
    html = site.html("m")
    assert site.warning_lines() == []
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert scripts and not any("mathjax" in src.lower() or "://" in src for src in scripts)
    assert "<svg" in html
    assert html.count('class="math offline-math"') == 2
