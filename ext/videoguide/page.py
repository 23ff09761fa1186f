"""What a guide's front matter changes outside the page body.

``title`` becomes the page's title in the HTML ``<title>`` and in navigation;
``css_path`` and ``js_path`` are included on that page alone, through Sphinx,
so their URLs are relative and work opened from disk; ``language`` is kept as a
meta tag of the page.
"""

from __future__ import annotations

from html import escape

from docutils import nodes
from sphinx.application import Sphinx

from .nodes import timestamp_reference
from .reading import guides, shipped_files


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Name the page by its ``title`` in navigation and keep timestamps out of its
    table of contents (this runs after Sphinx's own collectors)."""
    docname = app.env.docname
    meta = guides(app.env).get(docname)
    if meta is None:
        return
    if meta.title:
        app.env.titles[docname] = nodes.title(meta.title, meta.title)
        app.env.longtitles[docname] = nodes.title(meta.title, meta.title)
    for link in list(app.env.tocs[docname].findall(timestamp_reference)):
        entry = link.parent
        entry.remove(link)
        if entry.children and isinstance(entry[-1], nodes.Text):
            entry.replace(entry[-1], nodes.Text(entry[-1].rstrip()))


def on_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    meta = guides(app.env).get(pagename)
    if meta is None:
        return
    css, js = shipped_files(app, meta)
    if css:
        app.add_css_file(css)
    if js:
        app.add_js_file(js)
    if meta.language:
        context["metatags"] = context.get("metatags", "") + (
            f'\n<meta name="videoguide-language" content="{escape(meta.language)}">'
        )


def setup_page(app: Sphinx) -> None:
    app.connect("doctree-read", on_doctree_read, priority=600)
    app.connect("html-page-context", on_page_context)
