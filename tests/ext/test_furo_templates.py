"""The furo workarounds still match furo: the templates were copied from the installed
release, every word they make translatable is still literal in furo's own templates, and
furo's Python-built navigation still writes the labels and roles we repair.  When furo
changes, these fail, saying which workaround to redo or drop."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import furo
from furo.navigation import get_navigation_tree

import editions.furo
from editions.furo import FURO_RELEASE, TEMPLATES, translated_navigation
from site_a11y import repaired

FURO = Path(furo.__file__).parent / "theme" / "furo"
TOCTREE = (
    '<ul><li class="toctree-l1"><a href="guide.html">Guide</a><ul><li><a href="#a">A</a></li></ul></li></ul>'
)


def _words(template: Path) -> list[str]:
    return re.findall(r'_\("([^"]+)"\)', template.read_text("utf-8"))


def test_the_templates_were_copied_from_the_installed_furo():
    assert furo.__version__ == FURO_RELEASE, "copy furo's page.html and partials/icons.html again"
    for template in TEMPLATES.rglob("*.html"):
        assert f"furo {FURO_RELEASE}'s" in template.read_text("utf-8"), template


def test_every_word_our_copies_translate_is_still_literal_in_furo():
    literal = {
        "page.html": re.findall(r'aria-label="([^"{]+)"', (FURO / "page.html").read_text("utf-8")),
        "icons.html": re.findall(
            r"<title>([^<]+)</title>", (FURO / "partials/icons.html").read_text("utf-8")
        ),
    }
    assert set(_words(TEMPLATES / "partials/icons.html")) == set(literal["icons.html"])
    ours = set(_words(TEMPLATES / "page.html")) - {"Next", "Previous", "Home", "On this page"}
    assert ours == set(literal["page.html"])
    assert "@pradyunsg</a>'s" in (FURO / "page.html").read_text("utf-8"), "furo's credit outside gettext"


def test_furos_navigation_still_writes_the_label_and_role_we_repair(monkeypatch):
    tree = get_navigation_tree(TOCTREE)
    assert 'aria-label="Toggle navigation of Guide"' in tree
    assert 'role="switch"' in tree
    monkeypatch.setattr(editions.furo, "_", lambda message: "展开或折叠 {title}")
    assert 'aria-label="展开或折叠 Guide"' in translated_navigation(tree)
    assert 'role="switch"' not in repaired(tree)


def test_a_furo_build_leaves_a_later_build_in_the_same_process_its_own_templates(tmp_path):
    """Sphinx hands every app the same default list of a setting: appending furo's templates
    to it put them into the next build of the test worker, which then could not find furo."""
    from sphinx.testing.util import SphinxTestApp

    for theme in ("furo", "basic"):
        src = tmp_path / theme
        src.mkdir()
        (src / "conf.py").write_text(f'extensions = ["editions"]\nhtml_theme = "{theme}"\n')
        (src / "index.rst").write_text("Site\n====\n\nA page.\n")
        app = SphinxTestApp(
            "html", srcdir=src, builddir=tmp_path / f"{theme}-build", status=StringIO(), warning=StringIO()
        )
        try:
            app.build()
        finally:
            app.cleanup()
    assert str(TEMPLATES) not in app.config.templates_path
    assert "A page." in (Path(app.outdir) / "index.html").read_text("utf-8")
