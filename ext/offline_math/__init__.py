"""Math without a network: LaTeX rendered at build time as inline SVG by matplotlib.

Sphinx's default math renderer loads MathJax from a CDN, which a reader with
no network never gets.  This renderer draws each formula with matplotlib's
mathtext (a large subset of LaTeX, no TeX installation needed) and inlines the
SVG, drawn in the text colour (so it follows furo's light and dark themes) and
labelled with its LaTeX source for screen readers.  Select it with
``html_math_renderer = "offline_math"``.
"""

from __future__ import annotations

import hashlib
import io
import re
from html import escape

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

XML_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.S)
METADATA = re.compile(r"<metadata>.*?</metadata>", re.S)
IDS = re.compile(r'(id="|xlink:href="#|href="#|url\(#)([^"\)]+)')


def svg_of(latex: str, size: float) -> str:
    """``latex`` drawn as an SVG element; raises ValueError if mathtext cannot parse it."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.mathtext import math_to_image

    drawing = io.BytesIO()
    math_to_image(f"${latex}$", drawing, prop=FontProperties(size=size), dpi=72, format="svg")
    svg = METADATA.sub("", XML_PROLOGUE.sub("", drawing.getvalue().decode("utf-8")))
    prefix = "m" + hashlib.sha1(f"{latex}{size}".encode()).hexdigest()[:8] + "-"
    svg = IDS.sub(lambda match: match.group(1) + prefix + match.group(2), svg)
    svg = svg.replace("fill: #ffffff", "fill: none").replace("#000000", "currentColor")
    label = escape(latex, quote=True)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" fill="currentColor" ', 1)


def _render(translator, latex: str, size: float, tag: str, node: nodes.Node) -> None:
    try:
        svg = svg_of(latex.strip(), size)
        if tag == "span":  # inline: sit on the text's line, not above it
            svg = svg.replace("<svg ", '<svg style="vertical-align: middle" ', 1)
    except ValueError as err:
        logger.warning(f"cannot draw math {latex!r}: {err}", location=node, type="offline_math")
        svg = f"<code>{escape(latex)}</code>"
    translator.body.append(f'<{tag} class="math offline-math">{svg}</{tag}>')
    raise nodes.SkipNode


def visit_inline(translator, node: nodes.math) -> None:
    _render(translator, node.astext(), 11, "span", node)


def visit_block(translator, node: nodes.math_block) -> None:
    _render(translator, node.astext(), 15, "div", node)


def setup(app: Sphinx) -> dict:
    app.add_html_math_renderer("offline_math", (visit_inline, None), (visit_block, None))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
