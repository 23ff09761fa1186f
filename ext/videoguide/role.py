"""The ``timestamp`` role: a link to a moment of a guide's video from any page.

``:timestamp:`02:53``` inside a guide links to that guide's video;
``:timestamp:`00:02:53 </guides/dragonfly-daily-15>``` names the guide, so a
gallery example can point at the moment it illustrates.  A ``#anchor`` after the
guide names the section or step the moment belongs to, for times the video
shows in more than one section.  Every use is recorded as a :class:`Moment`, which
is how a guide learns which pages illustrate it.

The guide may be read after the page that cites it, so the role leaves a
pending node, resolved when the page is written and every guide is known.
"""

from __future__ import annotations

from dataclasses import dataclass

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import docname_join, logging
from sphinx.util.docutils import SphinxRole
from sphinx.util.nodes import split_explicit_title

from .messages import _
from .nodes import pending_timestamp, timestamp_link
from .reading import guides
from .store import MOMENTS, SECTIONS
from .timestamps import Timestamp, TimestampError, parse_clock

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Moment:
    """A page's pointer at one moment of a guide's video."""

    guide: str
    seconds: int
    anchor: str
    page: str


def moments(env: BuildEnvironment) -> dict[str, list[Moment]]:
    """Every ``timestamp`` role of the site, by the page that holds it."""
    return MOMENTS.of(env)


class TimestampRole(SphinxRole):
    def run(self):
        has_target, clock, target = split_explicit_title(self.text)
        try:
            moment = parse_clock(clock)
        except TimestampError as err:
            logger.warning(str(err), location=self.get_location(), type="videoguide", subtype="timestamp")
            return [nodes.Text(self.text)], []
        guide, _, anchor = target.partition("#") if has_target else (self.env.docname, "", "")
        guide = docname_join(self.env.docname, guide)
        moments(self.env).setdefault(self.env.docname, []).append(
            Moment(guide=guide, seconds=moment.seconds, anchor=anchor, page=self.env.docname)
        )
        node = pending_timestamp(
            moment.label, moment.label, guide=guide, seconds=moment.seconds, anchor=anchor
        )
        self.set_source_info(node)
        return [node], []


def guide_section(env, guide: str, seconds: int, anchor: str) -> tuple[str, str] | None:
    """The (id, words) of the guide element showing ``seconds`` (the ``anchor`` one if given)."""
    shown = SECTIONS.of(env).get(guide, {}).get(seconds, [])
    return next((entry for entry in shown if not anchor or entry[0] == anchor), None)


def link_back(app: Sphinx, fromdocname: str, guide: str, seconds: int, anchor: str) -> list[nodes.Node]:
    """`` (Section words)`` (worded for the build's language) linking to the guide
    element of a cited moment, if any."""
    found = guide_section(app.env, guide, seconds, anchor)
    if found is None or fromdocname == guide:
        return []
    element_id, words = found
    uri = f"{app.builder.get_relative_uri(fromdocname, guide)}#{element_id}"
    link = nodes.reference(words, words, internal=True, refuri=uri, classes=["videoguide-section-link"])
    # English brackets it: " (Image Filtering)"; Chinese, whose sentence often holds the
    # timestamp in full-width brackets already, follows it with a comma instead.
    before, after = _(" ({section})").split("{section}")
    return [nodes.Text(before), link, nodes.Text(after)]


def resolve_timestamps(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Turn each pending ``timestamp`` into a link at its guide's video (and back)."""
    for node in list(doctree.findall(pending_timestamp)):
        meta = guides(app.env).get(node["guide"])
        if meta is None:
            logger.warning(
                f"timestamp points at {node['guide']!r}, which is not a guide "
                "(name one as :timestamp:`00:02:53 </guides/name>`)",
                location=node,
                type="videoguide",
                subtype="timestamp",
            )
            node.replace_self(nodes.Text(node.astext()))
            continue
        moment = Timestamp(node["seconds"], node.astext())
        back = link_back(app, docname, node["guide"], node["seconds"], node["anchor"])
        node.replace_self([timestamp_link(meta.video_url, moment), *back])


def setup_role(app: Sphinx) -> None:
    app.add_role("timestamp", TimestampRole())
    app.connect("doctree-resolved", resolve_timestamps)
    MOMENTS.connect(app)
