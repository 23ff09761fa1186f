"""What a guide's front matter changes outside the page body.

``title`` becomes the page's title in the HTML ``<title>`` and in navigation;
``css_path`` and ``js_path`` are included on that page alone, through Sphinx,
so their URLs are relative and work opened from disk; ``title``, ``intro_text``
and ``video_url`` become OpenGraph and Twitter card tags, for links shared
elsewhere; ``language`` is kept as a meta tag of the page.
"""

from __future__ import annotations

from html import escape

from docutils import nodes
from sphinx.application import Sphinx

from .nodes import timestamp_reference
from .reading import guides, shipped_files
from .youtube import youtube_video


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Name the page by its ``title`` in navigation, record its ``language`` in the
    page's metadata, and keep timestamps out of its table of contents (this runs
    after Sphinx's own collectors)."""
    docname = app.env.docname
    meta = guides(app.env).get(docname)
    if meta is None:
        return
    if meta.language:  # where MyST would have put it, had the front matter reached it
        app.env.metadata[docname]["language"] = meta.language
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
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n<meta {kind}="{escape(name)}" content="{escape(value)}">'
        for kind, name, value in _meta_tags(app, pagename, meta)
    )


def _meta_tags(app: Sphinx, pagename: str, meta) -> list[tuple[str, str, str]]:
    """OpenGraph and Twitter card tags (for links shared elsewhere) and the guide's language."""
    tags = []
    if meta.title:
        tags += [("property", "og:title", meta.title), ("name", "twitter:title", meta.title)]
    if meta.intro_text:
        tags += [
            ("name", "description", meta.intro_text),
            ("property", "og:description", meta.intro_text),
            ("name", "twitter:description", meta.intro_text),
        ]
    video = youtube_video(meta.video_url) if meta.video_url else None
    if video is not None:
        tags += [("property", "og:type", "video.other"), ("property", "og:video", video.watch_url)]
    if app.config.html_baseurl:
        url = app.config.html_baseurl.rstrip("/") + "/" + app.builder.get_target_uri(pagename)
        tags.append(("property", "og:url", url))
    tags.append(("name", "twitter:card", "summary"))
    if meta.language:
        tags.append(("name", "videoguide-language", meta.language))
    return tags


def setup_page(app: Sphinx) -> None:
    app.connect("doctree-read", on_doctree_read, priority=600)
    app.connect("html-page-context", on_page_context)
