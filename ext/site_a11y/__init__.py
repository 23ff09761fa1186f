"""Accessibility repairs to the HTML that Sphinx and furo write around our content.

axe-core and the Nu validator find three faults outside our own markup:
toctree captions with ``role="heading"`` but no ``aria-level``; furo's
navigation checkboxes with ``role="switch"`` but no ``aria-checked`` (a native
checkbox already says whether it is checked, so the role goes); and code
blocks that scroll sideways but cannot take keyboard focus.  Each is repaired
in the page context, before the theme writes the page.

These are workarounds for upstream output (seen with Sphinx 9.0 and furo
2025.12.19): tests/ext/test_site_a11y.py and test_furo_templates.py check that
Sphinx and furo still write each fault, and fail when one is fixed upstream,
so the repair can go.
"""

from __future__ import annotations

import re

from sphinx.application import Sphinx

REPAIRS = [
    (re.compile(r'<p class="caption" role="heading">'), '<p class="caption" role="heading" aria-level="2">'),
    (re.compile(r'(<input\b[^>]*?) role="switch"([^>]*>)'), r"\1\2"),
    (re.compile(r"<pre>"), '<pre tabindex="0">'),
]
#: The page-context entries holding HTML that Sphinx or furo made.
REPAIRED_KEYS = ("body", "toc", "furo_navigation_tree")


def repaired(html: str) -> str:
    """``html`` with the three repairs applied."""
    for pattern, replacement in REPAIRS:
        html = pattern.sub(replacement, html)
    return html


def repair_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    for key in REPAIRED_KEYS:
        if isinstance(context.get(key), str):
            context[key] = repaired(context[key])


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", repair_page, priority=900)  # after furo builds its navigation
    return {"parallel_read_safe": True, "parallel_write_safe": True}
