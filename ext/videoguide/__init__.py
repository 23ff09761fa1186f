"""videoguide: a Sphinx extension that turns a video guide in Markdown into a page.

A guide is a Markdown file whose YAML front matter names a ``video_url`` and
whose headings and steps end with timestamps such as ``[00:02:53]``.  Enable it
with ``extensions = ["myst_parser", "videoguide"]``.  Each concern lives in its
own module with its own ``setup_*`` function, wired together here.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

from .cards import setup_cards
from .messages import setup_messages
from .nodes import setup_nodes
from .page import setup_page
from .reading import setup_reading
from .role import setup_role
from .strings import setup_strings
from .transforms import setup_transforms

__version__ = "0.1.0"

STATIC = Path(__file__).parent / "static"


def add_static(app: Sphinx) -> None:
    """Ship the player's script and style with every HTML build."""
    if app.builder.format != "html":
        return
    app.config.html_static_path = [*app.config.html_static_path, str(STATIC)]  # never the shared default list
    app.add_css_file("videoguide.css")
    app.add_js_file("videoguide.js", loading_method="defer")


def setup(app: Sphinx) -> dict:
    setup_messages(app)
    setup_nodes(app)
    setup_strings(app)
    setup_reading(app)
    setup_transforms(app)
    setup_role(app)
    setup_page(app)
    setup_cards(app)
    app.connect("builder-inited", add_static)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
