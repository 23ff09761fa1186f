"""The doctree nodes a guide page adds, and how each is written as HTML.

Every node degrades to standard docutils content for other builders: Sphinx
dispatches visitors along the class hierarchy, so a ``timestamp_reference`` is
a plain external link in LaTeX or text output and a ``video_player`` is its
fallback paragraph.  The HTML visitors pass every value through the
translator's ``starttag``, which escapes attribute values.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from .messages import _
from .timestamps import Timestamp
from .youtube import is_http_url, link_at, youtube_video

NEW_TAB = {"target": "_blank", "rel": "noopener noreferrer"}


class timestamp_reference(nodes.reference):  # noqa: N801  (docutils naming)
    """A link to a moment of a video; ``seconds`` lets the page seek its player."""


class pending_timestamp(nodes.Inline, nodes.TextElement):  # noqa: N801
    """A ``timestamp`` role waiting for its guide's video to be known."""


class video_player(nodes.container):  # noqa: N801
    """The guide's video: a local facade that loads the real player on demand."""


class guide_footer(nodes.container):  # noqa: N801
    """The guide's footer: author, social link and copyright."""


def timestamp_link(video_url: str | None, moment: Timestamp) -> nodes.Node:
    """A link that opens ``video_url`` at ``moment``; plain text without a video."""
    if not video_url or not is_http_url(video_url):
        return nodes.Text(moment.label)
    return timestamp_reference(
        moment.label,
        moment.label,
        refuri=link_at(video_url, moment.seconds),
        seconds=moment.seconds,
        classes=["videoguide-timestamp"],
    )


def player(video_url: str, title: str) -> nodes.Element:
    """The player block for ``video_url``.

    A YouTube video gets the facade; any other video a plain link, which is
    also what the facade's children say to builders other than HTML.
    """
    fallback = nodes.paragraph(classes=["videoguide-video-link"])
    fallback += nodes.Text(_("Video: "))
    fallback += nodes.reference(title, title, refuri=video_url)
    video = youtube_video(video_url)
    if video is None:
        return fallback
    node = video_player(
        classes=["videoguide-player"],
        title=title,
        watch_url=video.watch_url,
        embed_url=video.embed_url(),
    )
    node += fallback
    return node


def visit_timestamp_html(self, node: timestamp_reference) -> None:
    self.body.append(
        self.starttag(
            node,
            "a",
            "",
            href=node["refuri"],
            CLASS="reference external",
            **{"data-seconds": str(node["seconds"])},
        )
    )


def depart_timestamp_html(self, node: timestamp_reference) -> None:
    self.body.append("</a>")


def visit_player_html(self, node: video_player) -> None:
    data = {
        "data-embed-url": node["embed_url"],
        "data-watch-url": node["watch_url"],
        "data-video-title": node["title"],
        "data-offline-hint": _("Opens the video on YouTube"),
    }
    action = self.encode(_("Play video"))
    self.body.append(self.starttag(node, "div", "", **data))
    self.body.append(
        f'<a class="videoguide-facade" href="{self.attval(node["watch_url"])}"'
        f' target="{NEW_TAB["target"]}" rel="{NEW_TAB["rel"]}">'
        '<span class="videoguide-play" aria-hidden="true"></span>'
        '<span class="videoguide-facade-text">'
        f'<span class="videoguide-facade-action">{action}</span> '
        f'<span class="videoguide-facade-title">{self.encode(node["title"])}</span>'
        "</span></a></div>\n"
    )
    raise nodes.SkipNode


def visit_footer_html(self, node: guide_footer) -> None:
    self.body.append(self.starttag(node, "footer", ""))


def depart_footer_html(self, node: guide_footer) -> None:
    self.body.append("</footer>\n")


def setup_nodes(app: Sphinx) -> None:
    app.add_node(timestamp_reference, html=(visit_timestamp_html, depart_timestamp_html))
    app.add_node(video_player, html=(visit_player_html, None))
    app.add_node(guide_footer, html=(visit_footer_html, depart_footer_html))
