"""The words of a guide that its front matter holds, translated like its body.

The title, header, intro and footer texts are not Markdown the parser sees, so
Sphinx would neither extract nor translate them.  Before translation (priority
15, Locale is 20) they are put in the page as one invisible ``guide_strings``
node, which Sphinx's gettext builder extracts and its Locale transform
translates (the node implements ``addnodes.translatable``).  The page is then
built from :func:`localised`'s copy of the meta.

The same early pass notes, on each timestamped heading and step, the words it
had before translation: anchors such as ``#image-filtering`` stay the same in
every language, so links into a guide work in every edition.
"""

from __future__ import annotations

import dataclasses as dc

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from .frontmatter import Footer, GuideMeta
from .reading import guides
from .timestamps import TimestampError, split_trailing_timestamp

#: Front matter fields whose text a reader sees, by the dataclass that holds them.
TRANSLATED_FIELDS = {GuideMeta: ("title", "header", "intro_text"), Footer: ("social_text", "copyright_text")}
#: Where a heading or step keeps the words of its anchor, and its timestamp as written.
ANCHOR_WORDS = "videoguide_anchor_words"
ORIGINAL_TIMESTAMP = "videoguide_original_timestamp"


class guide_strings(nodes.Element, nodes.Invisible, addnodes.translatable):  # noqa: N801
    """The reader-visible texts of a guide's front matter, original and translated."""

    def preserve_original_messages(self) -> None:
        self.setdefault("original", dict(self["texts"]))

    def extract_original_messages(self) -> list[str]:
        return list(dict.fromkeys(self["original"].values()))

    def apply_translated_message(self, original_message: str, translated_message: str) -> None:
        for key, text in self["original"].items():
            if text == original_message:
                self["texts"][key] = translated_message


def _skip(self, node) -> None:
    raise nodes.SkipNode


def texts_of(meta: GuideMeta) -> dict[str, str]:
    """The translatable texts of ``meta``, keyed ``field`` or ``footer.field``."""
    texts = {name: getattr(meta, name) for name in TRANSLATED_FIELDS[GuideMeta]}
    texts |= {f"footer.{name}": getattr(meta.footer, name) for name in TRANSLATED_FIELDS[Footer]}
    return {key: text for key, text in texts.items() if text}


def localised(document: nodes.document, meta: GuideMeta) -> GuideMeta:
    """``meta`` with the texts of the page's ``guide_strings`` (translated, if they were)."""
    strings = next(iter(document.findall(guide_strings)), None)
    if strings is None:
        return meta
    texts = strings["texts"]
    footer = dc.replace(
        meta.footer, **{key[7:]: text for key, text in texts.items() if key.startswith("footer.")}
    )
    return dc.replace(meta, footer=footer, **{key: text for key, text in texts.items() if "." not in key})


class GuideSource(SphinxTransform):
    """Before translation: offer the front matter's texts to it, keep anchor words."""

    default_priority = 15

    def apply(self, **kwargs) -> None:
        meta = guides(self.env).get(self.env.docname)
        top = next(iter(self.document.findall(nodes.section)), None)
        if meta is None or top is None:
            return
        top[0]["translatable"] = False  # the header's words are in guide_strings
        texts = texts_of(meta)
        strings = guide_strings(texts=texts, original=dict(texts))  # made after Sphinx's preserving pass
        strings.source, strings.line = self.document["source"], 1
        top.insert(1, strings)
        for section in self.document.findall(nodes.section):
            _keep_words(section, section[0])
        for item in self.document.findall(nodes.list_item):
            lead = bold_lead(item)
            if lead is not None:
                _keep_words(item, lead)


def _keep_words(element: nodes.Element, label: nodes.Element) -> None:
    if not label.children or not isinstance(label[-1], nodes.Text):
        return
    try:
        found = split_trailing_timestamp(label.astext())
    except TimestampError:
        return  # reported when the timestamp is linked
    if found is not None:
        element[ANCHOR_WORDS] = found[0].strip()
        element[ORIGINAL_TIMESTAMP] = found[1].label


def bold_lead(item: nodes.list_item) -> nodes.strong | None:
    """The ``**Lead [00:08:51]**`` that opens a list item, if it has one."""
    first = item.children[0] if item.children else None
    if not isinstance(first, nodes.paragraph):
        return None
    lead = next((child for child in first.children if child.astext().strip()), None)
    return lead if isinstance(lead, nodes.strong) else None


def setup_strings(app: Sphinx) -> None:
    skip = (_skip, None)
    app.add_node(guide_strings, html=skip, latex=skip, text=skip, man=skip, texinfo=skip)
    app.add_transform(GuideSource)
