"""Build every edition of a Sphinx site: ``python -m editions SOURCEDIR SITEDIR [sphinx options]``.

Each edition is an HTML build with its ``language`` into ``SITEDIR/<tag>/``
(doctrees beside SITEDIR, not inside it).  The source edition comes first: it
runs the gallery, which the others reuse.  Each build rewrites the root page.
Options after the two folders go to every build, e.g. ``-W --keep-going``.
The first failing build stops the rest.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sphinx.cmd.build import build_main
from sphinx.config import Config
from sphinx.util.tags import Tags

from . import edition_languages, language_tag


def doctrees_of(site: Path) -> Path:
    """Where the builds keep their doctrees: beside the site, so it is not published."""
    return site.with_name(site.name + ".doctrees")


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    source, site, options = Path(argv[0]), Path(argv[1]), argv[2:]
    config = Config.read(source.resolve(), overrides={}, tags=Tags())
    config.add("editions_source_language", "en", "env", ())
    for language in edition_languages(source, config.locale_dirs, config.editions_source_language):
        tag = language_tag(language)
        doctrees = doctrees_of(site) / tag
        code = build_main(
            [
                "-b",
                "html",
                "-d",
                str(doctrees),
                "-D",
                f"language={language}",
                "-D",
                "editions_site_root=..",
                *options,
                str(source),
                str(site / tag),
            ]
        )
        if code:
            return code
    print(f"Site written to {site.resolve() / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
