"""The site's root page: it sends each reader on to the edition in their own language.

A short script reads the browser's languages (``navigator.languages``) and
goes to the first edition whose language matches one of them by its primary
subtag (``zh-TW`` and ``zh`` find ``zh-CN``), else to the source language's
edition.  The page lists every edition as a plain link in its own language,
so without JavaScript a reader picks one.  The chosen 404 page (the source
language's) is copied to the root, where hosts look for it.
"""

from __future__ import annotations

import json
import shutil
from html import escape
from pathlib import Path

ROOT_PAGE = """<!doctype html>
<html lang="{default}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="canonical" href="{default}/index.html">
{alternates}
<title>{project}</title>
<script>
(function () {{
  var editions = {editions};
  var wanted = navigator.languages || [navigator.language || ""];
  for (var i = 0; i < wanted.length; i++) {{
    var primary = String(wanted[i]).toLowerCase().split("-")[0];
    for (var j = 0; j < editions.length; j++) {{
      if (editions[j].toLowerCase().split("-")[0] === primary) {{
        location.replace(editions[j] + "/index.html");
        return;
      }}
    }}
  }}
  location.replace("{default}/index.html");
}})();
</script>
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


def write_root(site: Path, editions: list[tuple[str, str]], default: str, project: str) -> Path:
    """Write ``site/index.html`` for ``editions`` (tag, name): each reader to the edition in
    their language, else to ``default``."""
    site.mkdir(parents=True, exist_ok=True)
    tags = [(escape(tag), escape(name)) for tag, name in editions]
    links = "\n".join(
        f'<li><a href="{tag}/index.html" hreflang="{tag}" lang="{tag}">{name}</a></li>' for tag, name in tags
    )
    alternates = "\n".join(
        f'<link rel="alternate" hreflang="{tag}" href="{tag}/index.html">' for tag, _ in tags
    )
    page = site / "index.html"
    choices = json.dumps([tag for tag, _ in editions]).replace("</", "<\\/")
    page.write_text(
        ROOT_PAGE.format(
            default=escape(default),
            project=escape(project),
            links=links,
            alternates=alternates,
            editions=choices,
        ),
        "utf-8",
    )
    not_found = site / default / "404.html"
    if not_found.is_file():
        shutil.copyfile(not_found, site / "404.html")
    return page
