"""Accessibility repairs to the HTML that Sphinx and furo write around our content.

axe-core and the Nu validator find three faults outside our own markup:
toctree captions with ``role="heading"`` but no ``aria-level``; code blocks
that scroll sideways but cannot take keyboard focus; and furo's navigation
checkboxes with ``role="switch"`` but no ``aria-checked`` (a native checkbox
already says whether it is checked, so the role goes).

The first two are Sphinx's own HTML, so they are written right while the page
is built: the builder's translator gets a mixin that gives toctree captions a
level and code blocks ``tabindex="0"``.  furo builds its navigation tree in
Python, after the translator ran, so the third is repaired in the page
context, before the theme writes the page.

These answer upstream output as seen with Sphinx 9.0 and furo 2025.12.19:
tests/ext/test_site_a11y.py and test_furo_templates.py check that Sphinx and
furo still write each fault, and fail when one is fixed upstream, so the
repair can go.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

#: furo's navigation checkboxes: the switch role goes, the native checkbox stays.
SWITCH_ROLE = re.compile(r'(<input\b[^>]*?) role="switch"([^>]*>)')


class AccessibleHTML:
    """Mixed into the builder's HTML translator: Sphinx's markup, accessible as written."""

    def visit_title(self, node: nodes.title) -> None:
        if isinstance(node.parent, addnodes.compact_paragraph) and node.parent.get("toctree"):
            level = {"aria-level": "2"}  # a caption over a list of pages: a second-level heading
            self.body.append(self.starttag(node, "p", "", CLASS="caption", ROLE="heading", **level))
            self.body.append('<span class="caption-text">')
            self.context.append("</span></p>\n")
            return
        super().visit_title(node)

    def visit_literal_block(self, node: nodes.literal_block) -> None:
        try:
            super().visit_literal_block(node)
        except nodes.SkipNode:  # Sphinx wrote the highlighted block in one piece
            self.body[-1] = self.body[-1].replace("<pre>", '<pre tabindex="0">', 1)
            raise


def accessible_translator(app: Sphinx) -> None:
    """The builder's translator, whichever it is, with the mixin."""
    if app.builder.format != "html":
        return
    base = app.builder.get_translator_class()
    if issubclass(base, AccessibleHTML):
        return
    translator = type(f"Accessible{base.__name__}", (AccessibleHTML, base), {})
    app.set_translator(app.builder.name, translator, override=True)


def repaired(html: str) -> str:
    """furo's navigation tree without the switch role on its checkboxes."""
    return SWITCH_ROLE.sub(r"\1\2", html)


def repair_navigation(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if isinstance(context.get("furo_navigation_tree"), str):
        context["furo_navigation_tree"] = repaired(context["furo_navigation_tree"])


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", accessible_translator)
    app.connect("html-page-context", repair_navigation, priority=900)  # after furo builds its navigation
    return {"parallel_read_safe": True, "parallel_write_safe": True}
