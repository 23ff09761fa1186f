"""The site's root page: it sends a reader on to the edition the guides declare.

A ``<meta http-equiv="refresh">`` works hosted and opened from disk, without
JavaScript; the page also lists every edition as a plain link.  The chosen
edition's 404 page is copied to the root, where hosts look for it.
"""

from __future__ import annotations

import shutil
from html import escape
from pathlib import Path

ROOT_PAGE = """<!doctype html>
<html lang="{tag}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="0; url={tag}/index.html">
<link rel="canonical" href="{tag}/index.html">
{alternates}
<title>{project}</title>
</head>
<body>
<main>
<h1>{project}</h1>
<ul>
{links}
</ul>
</main>
</body>
</html>
"""


def write_root(site: Path, editions: list[tuple[str, str]], target: str, project: str) -> Path:
    """Write ``site/index.html`` for ``editions`` (tag, name), sending readers to ``target``."""
    site.mkdir(parents=True, exist_ok=True)
    tags = [(escape(tag), escape(name)) for tag, name in editions]
    links = "\n".join(
        f'<li><a href="{tag}/index.html" hreflang="{tag}" lang="{tag}">{name}</a></li>' for tag, name in tags
    )
    alternates = "\n".join(
        f'<link rel="alternate" hreflang="{tag}" href="{tag}/index.html">' for tag, _ in tags
    )
    page = site / "index.html"
    page.write_text(
        ROOT_PAGE.format(tag=escape(target), project=escape(project), links=links, alternates=alternates),
        "utf-8",
    )
    not_found = site / target / "404.html"
    if not_found.is_file():
        shutil.copyfile(not_found, site / "404.html")
    return page
