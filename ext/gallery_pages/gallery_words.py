"""sphinx-gallery's generated pages, reworded and repaired: our one module of sphinx-gallery workarounds.

Sphinx translates a page message by message, matched by their English text.
Two kinds of gallery text escape that:

- sentences with a measured time or memory (``Total running time of the
  script: (0 minutes 23.471 seconds)``, ``Estimated memory usage: 310 MB``, the
  execution-times pages) change with every build, so they are kept out of the
  catalogs and worded here, through the ``dlis_gallery`` catalog, in the
  build's language;
- the thumbnails of a gallery index are raw HTML: their title and hover text
  are rewritten from the example page itself, as translated.

The figures stay as the examples drew them, labelled in English, and so do
their alt texts (made from the figures' titles, some with measured numbers): in
an edition in another language each figure says so with ``lang="en"``.  Each
figure sits in a box of its own (``dlis-figure-scroll``): on a phone it keeps
a size its labels can be read at and scrolls inside that box, as the tables do.

The execution-times pages load jQuery, DataTables and Bootstrap from CDNs to
sort their table; the site works offline, so that block is dropped when the
page is read and the table stays, unsorted.

Each repair matches sphinx-gallery's current output (0.22): the tests in
tests/ext/test_gallery_words.py and tests/gallery/test_reset.py run them on
what sphinx-gallery itself writes, and fail when a release changes it.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.locale import get_translation
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join

CATALOG = "gallery_pages"
_ = get_translation(CATALOG)

MEMORY = re.compile(r"^Estimated memory usage:\s+(?P<megabytes>-?\d+) MB$")
RUNNING_TIME = re.compile(r"\((?P<minutes>\d+) minutes (?P<seconds>[\d.]+) seconds\)")
TOTAL_TIME = re.compile(r"^(?P<time>\S+) total execution time for (?P<count>\d+) files? from (?P<where>.+):$")
TOOLTIP = re.compile(r'tooltip="[^"]*"')
THUMBNAIL_TITLE = re.compile(r'(<div class="sphx-glr-thumbnail-title">).*?(</div>)', re.S)
FIGURE = re.compile(r'<img (?=[^>]*class\s*=\s*"sphx-glr-(?:single|multi)-img)')


class MeasuredSentences(SphinxTransform):
    """Before translation: word the sentences that carry measured times."""

    default_priority = 15

    def apply(self, **kwargs) -> None:
        for paragraph in self.document.findall(nodes.paragraph):
            if "sphx-glr-timing" in paragraph["classes"]:
                _running_time(paragraph)
            else:
                _memory(paragraph)
        if self.env.docname.endswith("sg_execution_times"):
            for paragraph in self.document.findall(nodes.paragraph):
                if isinstance(paragraph.parent, nodes.entry) and _in_table_body(paragraph):
                    paragraph["translatable"] = False  # a link, a file name, a time, a size
                else:
                    _total_time(paragraph)


def _running_time(paragraph: nodes.paragraph) -> None:
    found = RUNNING_TIME.search(paragraph.astext())
    if found is None:
        return
    label = _("Total running time of the script:")
    duration = _("({minutes} minutes {seconds} seconds)").format(**found.groupdict())
    paragraph[:] = labelled(label, duration)
    paragraph["translatable"] = False


def labelled(label: str, value: str) -> list[nodes.Node]:
    """``label`` in bold, then ``value``: after a space, or straight after a
    full-width colon (``：``), which carries its own space in Chinese."""
    gap = "" if label.endswith("：") else " "
    return [nodes.strong(label, label), nodes.Text(gap + value)]


def _memory(paragraph: nodes.paragraph) -> None:
    found = MEMORY.match(paragraph.astext())
    if found is None:
        return
    label = _("Estimated memory usage:")
    paragraph[:] = labelled(label, f"{found['megabytes']} MB")
    paragraph["translatable"] = False


def _total_time(paragraph: nodes.paragraph) -> None:
    found = TOTAL_TIME.match(paragraph.astext())
    if found is None:
        return
    where = found["where"]
    where = _("all galleries") if where == "all galleries" else where
    sentence = _("total execution time for {count} files from {where}:")
    sentence = sentence.format(count=found["count"], where=where)
    paragraph[:] = [nodes.strong(found["time"], found["time"]), nodes.Text(" " + sentence)]
    paragraph["translatable"] = False


def _in_table_body(node: nodes.Node) -> bool:
    while node is not None and not isinstance(node, nodes.tbody | nodes.thead):
        node = node.parent
    return isinstance(node, nodes.tbody)


class LocalThumbnails(SphinxPostTransform):
    """Write each thumbnail's title and hover text from its (translated) example page."""

    default_priority = 5  # before references are resolved: the :doc: target is still readable
    formats = ("html",)

    def run(self, **kwargs) -> None:
        for raw in list(self.document.findall(nodes.raw)):
            if 'class="sphx-glr-thumbcontainer"' not in raw.astext():
                continue
            example = _thumbnail_target(raw)
            if example is None or example not in self.env.titles:
                continue
            title = self.env.titles[example].astext()
            _rewrite(raw, TOOLTIP, f'tooltip="{html.escape(_intro(self.env, example), quote=True)}"')
            closing = _next_raw(raw, "sphx-glr-thumbnail-title")
            if closing is not None:
                _rewrite(closing, THUMBNAIL_TITLE, rf"\g<1>{html.escape(title)}\g<2>")


def _thumbnail_target(opening: nodes.raw) -> str | None:
    """The docname the thumbnail opened by ``opening`` links to."""
    parent = opening.parent
    for sibling in parent[parent.index(opening) + 1 :]:
        xref = next(iter(sibling.findall(addnodes.pending_xref)), None)
        if xref is not None:
            return docname_join(xref["refdoc"], xref["reftarget"])
        if isinstance(sibling, nodes.raw) and "sphx-glr-thumbnail-title" in sibling.astext():
            return None
    return None


def _next_raw(opening: nodes.raw, marker: str) -> nodes.raw | None:
    parent = opening.parent
    return next(
        (
            sibling
            for sibling in parent[parent.index(opening) + 1 :]
            if isinstance(sibling, nodes.raw) and marker in sibling.astext()
        ),
        None,
    )


def _intro(env, docname: str) -> str:
    """The paragraph under an example's title: what sphinx-gallery shows on hover."""
    section = next(iter(env.get_doctree(docname).findall(nodes.section)), None)
    first = next((child for child in section or [] if isinstance(child, nodes.paragraph)), None)
    return " ".join(first.astext().split()) if first is not None else ""


def _rewrite(raw: nodes.raw, pattern: re.Pattern, replacement: str) -> None:
    text = pattern.sub(replacement, raw.astext(), count=1)
    raw[:] = [nodes.Text(text)]


class ScrollingFigures(SphinxTransform):
    """Each of sphinx-gallery's figures in a box that scrolls on a narrow screen (site.css)."""

    default_priority = 18

    def apply(self, **kwargs) -> None:
        from sphinx_gallery.directives import imgsgnode

        for figure in list(self.document.findall(imgsgnode)):
            figure.replace_self(nodes.container("", figure.deepcopy(), classes=["dlis-figure-scroll"]))


def mark_english_figures(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """In an edition not in English, say that the gallery's figures (and alt texts) are."""
    if not app.config.language.startswith("en") and isinstance(context.get("body"), str):
        context["body"] = FIGURE.sub('<img lang="en" ', context["body"])


#: The raw HTML sphinx-gallery puts on its execution-times pages: CDN scripts and
#: styles (jQuery, DataTables, Bootstrap) that sort the table.
CDN_TABLE_SORTER = re.compile(r"^  \.\. raw:: html\n.*?(?=^  \.\. list-table::)", re.M | re.S)


def drop_cdn_scripts(app, docname: str, source: list[str]) -> None:
    """Keep the execution-times pages offline: the table stays, unsorted by a CDN."""
    if docname.rsplit("/", 1)[-1] == "sg_execution_times":
        source[0] = CDN_TABLE_SORTER.sub("", source[0])


def setup_gallery_words(app: Sphinx) -> None:
    app.add_message_catalog(CATALOG, str(Path(__file__).parent / "locale"))
    app.add_transform(MeasuredSentences)
    app.add_transform(ScrollingFigures)
    app.add_post_transform(LocalThumbnails)
    app.connect("html-page-context", mark_english_figures)
    app.connect("source-read", drop_cdn_scripts)
