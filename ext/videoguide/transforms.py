"""Turn a parsed guide into the guide page.

Runs after translation (priority 20) and before Sphinx collects titles and the
toctree (880), so translated headings get their timestamps linked too and the
navigation sees the final ids.  It builds the page from the front matter as
translated (see ``strings.py``), adds the intro, the player and the footer
to the page's top section, links every trailing timestamp of a heading or of a
list item's bold lead, gives headings ids without their timestamp, and makes
the guide's raw HTML safe.
"""

from __future__ import annotations

from html.parser import HTMLParser

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from .frontmatter import GuideMeta
from .messages import _
from .nodes import guide_footer, player, timestamp_link
from .reading import guides
from .store import GUIDES, SECTIONS
from .strings import ANCHOR_WORDS, ORIGINAL_TIMESTAMP, bold_lead, localised
from .timestamps import Timestamp, TimestampError, split_trailing_timestamp
from .youtube import is_http_url

logger = logging.getLogger(__name__)


class GuidePage(SphinxTransform):
    default_priority = 500

    def apply(self, **kwargs) -> None:
        meta = guides(self.env).get(self.env.docname)
        top = next(iter(self.document.findall(nodes.section)), None)
        if meta is None or top is None:
            return
        meta = GUIDES.of(self.env)[self.env.docname] = localised(self.document, meta)
        if meta.heading:
            top[0][:] = [nodes.Text(meta.heading)]
        if meta.title:
            self.document["title"] = meta.title
        top.insert(1, self._lead(meta))
        shown = SECTIONS.of(self.env)[self.env.docname] = {}
        for section in list(self.document.findall(nodes.section)):
            linked = self._link_title(section, meta)
            if linked is not None:
                self._remember(shown, section, *linked)
            elif ORIGINAL_TIMESTAMP in section:
                self._lost_timestamp(section, section[0])
        for item in self.document.findall(nodes.list_item):
            lead = bold_lead(item)
            linked = self._link_trailing(lead, meta, item) if lead is not None else None
            if linked is not None:
                item_id = self._unique_id("step-" + nodes.make_id(item.get(ANCHOR_WORDS) or linked[0]))
                item["ids"].append(item_id)
                self.document.ids[item_id] = item
                self._remember(shown, item, *linked)
            elif ORIGINAL_TIMESTAMP in item:
                self._lost_timestamp(item, lead or item)
        while (raw := next(self.document.findall(nodes.raw), None)) is not None:
            self._make_safe(raw)
        top += _footer(meta)

    def _lead(self, meta: GuideMeta) -> nodes.container:
        lead = nodes.container(classes=["videoguide-lead"])
        if meta.language:
            lead["classes"].append(f"videoguide-language-{meta.language.lower()}")
        if meta.intro_text:
            lead += nodes.paragraph(meta.intro_text, meta.intro_text, classes=["videoguide-intro"])
        if meta.video_url:
            lead += player(meta.video_url, meta.title or meta.heading)
        return lead

    def _remember(self, shown: dict, node: nodes.Element, words: str, moment: Timestamp) -> None:
        """Note which element shows ``moment``, for the cards and the links back."""
        node["videoguide_seconds"] = moment.seconds
        shown.setdefault(moment.seconds, []).append((node["ids"][0], words))

    def _unique_id(self, wanted: str) -> str:
        candidate, number = wanted, 1
        while candidate in self.document.ids:
            number += 1
            candidate = f"{wanted}-{number}"
        return candidate

    def _link_title(self, section: nodes.section, meta: GuideMeta) -> tuple[str, Timestamp] | None:
        title = section[0]
        linked = self._link_trailing(title, meta, title)
        if linked is None:
            return None
        for name in section["names"]:
            self.document.nameids.pop(name, None)
            self.document.nametypes.pop(name, None)
        for old_id in section["ids"]:
            self.document.ids.pop(old_id, None)
        section["names"], section["ids"] = [], []
        name = nodes.fully_normalize_name(section.get(ANCHOR_WORDS) or linked[0])
        section["names"].append(name)
        self.document.note_implicit_target(section, section)
        return linked

    def _link_trailing(
        self, container: nodes.Element, meta: GuideMeta, where: nodes.Node
    ) -> tuple[str, Timestamp] | None:
        """Replace the timestamp that ends ``container``'s text by a link.

        Returns the words shown before the link and the moment it plays.
        """
        if not container.children or not isinstance(container[-1], nodes.Text):
            return None
        text = container[-1]
        try:
            found = split_trailing_timestamp(str(text))
        except TimestampError as err:
            logger.warning(str(err), location=where, type="videoguide", subtype="timestamp")
            return None
        if found is None:
            return None
        words, moment = found
        container.replace(text, nodes.Text(words.rstrip() + " "))
        shown = "".join(child.astext() for child in container.children).strip()
        container += timestamp_link(meta.video_url, moment)
        return shown, moment

    def _lost_timestamp(self, element: nodes.Element, where: nodes.Node) -> None:
        """A translation dropped (or moved) the timestamp that ended this heading or step."""
        logger.warning(
            f"the translation of {element[ANCHOR_WORDS]!r} lost its timestamp: "
            f"end it with [{element[ORIGINAL_TIMESTAMP]}], as the original does",
            location=where,
            type="videoguide",
            subtype="timestamp",
        )

    def _make_safe(self, raw: nodes.raw) -> None:
        """Keep a guide's ``<a href>`` as a link; show any other HTML as text."""
        tag = _Tag.parse(raw.astext())
        parent = raw.parent
        if tag and tag.name == "a" and "href" in tag.attrs:
            closing = _closing_anchor(raw)
            if closing is not None:
                href = tag.attrs["href"] or ""
                inner = parent[parent.index(raw) + 1 : parent.index(closing)]
                for node in [*inner, closing]:
                    parent.remove(node)
                if is_http_url(href):
                    parent.replace(raw, nodes.reference("", "", *inner, refuri=href))
                else:
                    self._warn(raw, f"link to {href!r} dropped: only http(s) links are kept")
                    parent.replace(raw, inner or nodes.Text(""))
                return
        self._warn(raw, "raw HTML in a guide is shown as text, not rendered")
        text = nodes.Text(raw.astext())
        parent.replace(raw, text if isinstance(parent, nodes.TextElement) else nodes.paragraph("", "", text))

    def _warn(self, node: nodes.Node, message: str) -> None:
        logger.warning(message, location=node, type="videoguide", subtype="html")


def _closing_anchor(opening: nodes.raw) -> nodes.raw | None:
    for sibling in opening.parent[opening.parent.index(opening) + 1 :]:
        if isinstance(sibling, nodes.raw) and sibling.astext().strip().lower() == "</a>":
            return sibling
    return None


class _Tag(HTMLParser):
    """The first start tag of a snippet of HTML: its name and attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.name: str | None = None
        self.attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag, attrs) -> None:
        if self.name is None:
            self.name, self.attrs = tag, dict(attrs)

    @classmethod
    def parse(cls, html: str) -> _Tag | None:
        tag = cls()
        tag.feed(html)
        return tag if tag.name else None


def _footer(meta: GuideMeta) -> guide_footer:
    footer = meta.footer
    node = guide_footer(classes=["videoguide-footer"])
    if footer.author:
        byline = _("Author: {author}").format(author=footer.author)
        node += nodes.paragraph("", "", nodes.Text(byline), classes=["videoguide-author"])
    if footer.social_link:
        text = footer.social_text or footer.social_link
        link = nodes.reference(text, text, refuri=footer.social_link)
        node += nodes.paragraph("", "", link, classes=["videoguide-social"])
    if footer.copyright_year or footer.copyright_text:
        owner = ("©", footer.copyright_year, footer.author)
        notice = " · ".join(
            part for part in (" ".join(p for p in owner if p), footer.copyright_text) if part != "©"
        )
        node += nodes.paragraph(notice, notice, classes=["videoguide-copyright"])
    return node


def setup_transforms(app) -> None:
    app.add_transform(GuidePage)
