"""The measured results on the gallery's pages: worded in the build's language, refused when a grid decided.

An example shows its comparisons and sweeps as HTML that carries its own
numbers (:func:`dlis_gallery.results.render_html`,
:func:`dlis_gallery.sweeps.render_sweep_html`).  The gallery runs once, in the
English build; every edition writes that HTML again here from those numbers,
with the verdicts and headings through the ``dlis_gallery`` catalog.

A tuned knob whose best value is on the edge of its grid
(:mod:`dlis_gallery.tuning`) prints a warning in the page.  Here that warning
also becomes a build warning at the page, so a ``-W`` build refuses a page
whose baseline the grid, not the method, decided; except in the smoke
profile, whose few tiny images prove only that the examples run.
"""

from __future__ import annotations

import html
import json
import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.locale import get_translation
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from dlis_gallery.results import render_html
from dlis_gallery.sweeps import render_sweep_html
from dlis_gallery.tuning import GRID_EDGE

CATALOG = "gallery_pages"
_ = get_translation(CATALOG)
logger = logging.getLogger(__name__)

RESULTS = re.compile(r'<div class="dlis-results" data-dlis-results="(?P<data>[^"]*)">[^\n]*')
SWEEP = re.compile(r'<div class="dlis-sweep" data-dlis-sweep="(?P<data>[^"]*)">[^\n]*')


class ResultsInBuildLanguage(SphinxTransform):
    """Write each comparison's and sweep's HTML again from its numbers, in this build's language."""

    default_priority = 15

    def apply(self, **kwargs) -> None:
        for raw in self.document.findall(nodes.raw):
            text = raw.astext()
            if "data-dlis-results=" in text or "data-dlis-sweep=" in text:
                rewritten = RESULTS.sub(lambda found: render_html(parse_results(found), _), text)
                rewritten = SWEEP.sub(lambda found: render_sweep_html(parse_results(found), _), rewritten)
                raw[:] = [nodes.Text(rewritten)]


def parse_results(found: re.Match) -> dict:
    """The record carried by a match of :data:`RESULTS` or :data:`SWEEP`."""
    return json.loads(html.unescape(found["data"]))


class GridEdgeWarnings(SphinxTransform):
    """A build warning for every grid-edge warning an example printed."""

    default_priority = 16

    def apply(self, **kwargs) -> None:
        if getattr(self.env, "dlis_gallery_profile", None) == "smoke":
            return
        for block in self.document.findall(nodes.literal_block):
            for line in block.astext().splitlines():
                if GRID_EDGE in line:
                    logger.warning("%s", line.strip(), location=block, type="dlis", subtype="grid_edge")


def setup_page_results(app: Sphinx) -> None:
    app.add_transform(ResultsInBuildLanguage)
    app.add_transform(GridEdgeWarnings)
