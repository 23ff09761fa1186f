"""The ``timestamp`` role: a link to a moment of a guide's video from any page.

``:timestamp:`02:53``` inside a guide links to that guide's video;
``:timestamp:`00:02:53 </guides/dragonfly-daily-15>``` names the guide, so a
gallery example can point at the moment it illustrates.  A ``#anchor`` after the
guide names the section or step the moment belongs to, for times the video
shows in more than one section.  Every use is recorded as a :class:`Moment`, which
is how a guide learns which pages illustrate it.

The guide may be read after the page that cites it, so the role leaves a
pending node that a post-transform resolves once every guide is known.
"""

from __future__ import annotations

from dataclasses import dataclass

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join, logging
from sphinx.util.docutils import SphinxRole
from sphinx.util.nodes import split_explicit_title

from .nodes import pending_timestamp, timestamp_link
from .reading import guides
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
    if not hasattr(env, "videoguide_moments"):
        env.videoguide_moments = {}
    return env.videoguide_moments


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
        node = pending_timestamp(moment.label, moment.label, guide=guide, seconds=moment.seconds)
        self.set_source_info(node)
        return [node], []


class ResolveTimestamps(SphinxPostTransform):
    """Turn each pending ``timestamp`` into a link at its guide's video."""

    default_priority = 10

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(pending_timestamp)):
            meta = guides(self.env).get(node["guide"])
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
            node.replace_self(timestamp_link(meta.video_url, moment))


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    moments(env).pop(docname, None)


def merge(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    moments(env).update({page: found for page, found in moments(other).items() if page in docnames})


def setup_role(app: Sphinx) -> None:
    app.add_role("timestamp", TimestampRole())
    app.add_post_transform(ResolveTimestamps)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
