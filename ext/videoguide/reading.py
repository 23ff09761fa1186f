"""Recognise guide pages as Sphinx reads them, validate them, and keep their meta.

A guide file renders unmodified: what changes is only the text handed to the
Markdown parser, and every line keeps its number so that messages point at the
author's file.  The front matter, once read here, is blanked for the parser;
the ``Tutorial Content Start`` marker (or, without it, the line that closes the
front matter) becomes the page's ``<h1>``, and the ``Information Source Start``
marker becomes the heading of the page's Source section.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole
from sphinx.util.i18n import docname_to_domain

from .frontmatter import FrontMatterError, GuideMeta, closing_line, read_front_matter, validate
from .store import GUIDES
from .youtube import youtube_video

logger = logging.getLogger(__name__)

TUTORIAL_MARKER = "---- Tutorial Content Start ----"
SOURCE_MARKER = "---- Information Source Start ----"
HEADER_LINE = "# {videoguide-header}`header`"
SOURCE_HEADING_LINE = "## Source"


def warn(message: str, docname: str, line: int, subtype: str) -> None:
    """Report a problem in a guide as ``file:LINE: message``."""
    logger.warning(message, location=(docname, line), type="videoguide", subtype=subtype)


def guides(env: BuildEnvironment) -> dict[str, GuideMeta]:
    """The validated meta of every guide read so far, by docname."""
    return GUIDES.of(env)


def on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    if app.env.doc2path(docname).suffix != ".md":
        return
    guides(app.env).pop(docname, None)
    lines = source[0].split("\n")
    try:
        front = read_front_matter(source[0])
    except FrontMatterError as problem:
        warn(problem.message, docname, problem.line, "frontmatter")
        closing = closing_line(lines) or 0  # unreadable: blank it, so the parser does not show it
        lines[: closing + 1] = [""] * (closing + 1)
        front = None
    marker_lines = [i for i, line in enumerate(lines) if line.strip() == TUTORIAL_MARKER]
    if not (front and front.marks_guide) and not marker_lines:
        source[0] = "\n".join(lines)
        return
    meta = _validated_meta(app, docname, front)
    guides(app.env)[docname] = meta
    if front is not None:
        lines[: front.last_line] = [""] * front.last_line
    header_at = marker_lines[0] if marker_lines else (front.last_line - 1 if front else 0)
    lines[header_at] = HEADER_LINE
    lines = [SOURCE_HEADING_LINE if line.strip() == SOURCE_MARKER else line for line in lines]
    source[0] = "\n".join(lines)


def _validated_meta(app: Sphinx, docname: str, front) -> GuideMeta:
    if front is None:
        warn("guide has no front matter: it needs at least title and video_url", docname, 1, "frontmatter")
        return GuideMeta()
    meta, problems = validate(front)
    for problem in problems:
        warn(problem.message, docname, problem.line, "frontmatter")
    if meta.video_url and youtube_video(meta.video_url) is None:
        warn(
            f"video_url {meta.video_url!r} is not a YouTube watch, youtu.be or embed URL: "
            "the page links to it instead of embedding a player",
            docname,
            front.lines.get(("video_url",), 1),
            "video",
        )
    if meta.language and not _has_translation(app, docname, meta.language):
        warn(
            f"the guide declares language {meta.language!r}, but no locale directory "
            f"({', '.join(app.config.locale_dirs)}) holds a translation of it: it is published "
            f"in its source language ({app.config.videoguide_source_language}) only",
            docname,
            front.lines.get(("language",), 1),
            "language",
        )
    for key in ("css_path", "js_path"):
        path = getattr(meta, key)
        if path and not _shipped(app, path):
            warn(
                f"{key} /{path} is not a file in html_static_path; it is left out",
                docname,
                front.lines.get((key,), 1),
                "static",
            )
    return meta


def _has_translation(app: Sphinx, docname: str, language: str) -> bool:
    """True when ``language`` is the guides' own or a catalog of the page exists for it."""
    wanted = language.replace("-", "_")
    source = app.config.videoguide_source_language.replace("-", "_").lower()
    if source in (wanted.lower(), wanted.lower().split("_")[0]):  # en-GB is written in en
        return True
    domain = docname_to_domain(docname, app.config.gettext_compact)
    return any(
        Path(app.srcdir, folder, wanted, "LC_MESSAGES", domain + suffix).is_file()
        for folder in app.config.locale_dirs
        for suffix in (".po", ".mo")
    )


def _shipped(app: Sphinx, path: str) -> bool:
    """True when ``path`` is a file in one of the site's static folders."""
    folders = [Path(app.confdir, folder) for folder in app.config.html_static_path]
    return any((folder / path).is_file() for folder in folders)


def shipped_files(app: Sphinx, meta: GuideMeta) -> tuple[str | None, str | None]:
    """The guide's stylesheet and script, each only if the site ships it."""
    return tuple(  # type: ignore[return-value]
        path if path and _shipped(app, path) else None for path in (meta.css_path, meta.js_path)
    )


class HeaderRole(SphinxRole):
    """Writes the guide's header as the text of the heading that
    :func:`on_source_read` put in the marker's place."""

    def run(self):
        meta = guides(self.env).get(self.env.docname)
        text = meta.heading if meta and meta.heading else self.env.docname.rsplit("/", 1)[-1]
        return [nodes.Text(text)], []


def source_language(config) -> str:
    """By default the site's source language as the editions extension has it (one
    setting for both), else English."""
    return getattr(config, "editions_source_language", "en")


def setup_reading(app: Sphinx) -> None:
    app.add_config_value("videoguide_source_language", source_language, "env", types=[str])
    app.connect("source-read", on_source_read)
    GUIDES.connect(app)
    app.add_role("videoguide-header", HeaderRole())
