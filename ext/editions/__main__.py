"""Build every edition of a Sphinx site: ``python -m editions SOURCEDIR SITEDIR [sphinx options]``.

Each edition is an HTML build with its ``language`` into ``SITEDIR/<tag>/``
(doctrees beside SITEDIR, not inside it).  The source edition comes first: it
runs the gallery, which the others reuse.  Each build rewrites the root page.
Options after the two folders go to every build, e.g. ``-W --keep-going``.

The editions are built into a staging copy of the site (``SITEDIR.staging``,
made from the last good site so that unchanged pages are not written again)
and only when every edition built does it take the site's place.  A failed
build, or one killed half way, leaves the last good site as it was; its
staging copy stays, and the next build goes on from it.  The first failing
build stops the rest.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from sphinx.cmd.build import build_main
from sphinx.config import Config
from sphinx.util.tags import Tags

from . import edition_languages, language_tag


def doctrees_of(site: Path) -> Path:
    """Where the builds keep their doctrees: beside the site, so it is not published."""
    return site.with_name(site.name + ".doctrees")


def staging_of(site: Path) -> Path:
    """Where the editions are built before they replace the site."""
    return site.with_name(site.name + ".staging")


def _replaced_of(site: Path) -> Path:
    return site.with_name(site.name + ".replaced")


def open_staging(site: Path) -> Path:
    """The staging folder: kept from an unfinished build, else a copy of the last good site.

    A swap cut short (see :func:`publish`) is finished first.
    """
    staging, replaced = staging_of(site), _replaced_of(site)
    if replaced.exists() and not site.exists():
        os.rename(replaced, site)  # killed between the two renames: the old site comes back
    shutil.rmtree(replaced, ignore_errors=True)
    if not staging.exists():
        copying = site.with_name(site.name + ".copying")
        shutil.rmtree(copying, ignore_errors=True)
        if site.exists():  # copy2 keeps the mtimes, so Sphinx sees which pages are current
            shutil.copytree(site, copying, symlinks=True)
        else:
            copying.mkdir(parents=True)
        os.rename(copying, staging)  # whole or not at all, even if killed while copying
    return staging


def publish(staging: Path, site: Path) -> None:
    """The staging folder becomes the site: two renames, then the old site is deleted."""
    replaced = _replaced_of(site)
    if site.exists():
        os.rename(site, replaced)
    os.rename(staging, site)
    shutil.rmtree(replaced, ignore_errors=True)


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    source, site, options = Path(argv[0]), Path(argv[1]), argv[2:]
    config = Config.read(source.resolve(), overrides={}, tags=Tags())
    config.add("editions_source_language", "en", "env", ())
    staging = open_staging(site)
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
                str(staging / tag),
            ]
        )
        if code:
            kept = f"the last good site, {site}, is unchanged" if site.exists() else "no site was published"
            print(f"The {tag} edition failed: {kept}; this build's pages are in {staging}", file=sys.stderr)
            return code
    publish(staging, site)
    print(f"Site written to {site.resolve() / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
