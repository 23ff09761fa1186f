"""furo's words that gettext never sees, in the edition's language.

furo writes a few words straight into its templates, outside ``_()``: the
labels of its toggle buttons and the titles of its icons.  Screen readers speak
them, so an edition in another language would read English there.  Once an
edition's pages are written, each gets these words from the ``editions``
catalog (shipped in ``locale/``).
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.locale import get_translation

CATALOG = "editions"
_ = get_translation(CATALOG)

NAVIGATION_OF = re.compile(r'(aria-label|title)="Toggle navigation of ([^"]*)"')


def theme_words() -> dict[str, str]:
    """furo's literal words, by their English (read when the catalog is loaded)."""
    return {
        "Toggle site navigation sidebar": _("Toggle site navigation sidebar"),
        "Toggle table of contents sidebar": _("Toggle table of contents sidebar"),
        "Toggle Light / Dark / Auto color theme": _("Toggle Light / Dark / Auto color theme"),
        "Contents": _("Contents"),
        "Menu": _("Menu"),
        "Expand": _("Expand"),
        "Light mode": _("Light mode"),
        "Dark mode": _("Dark mode"),
        "Auto light/dark, in light mode": _("Auto light/dark, in light mode"),
        "Auto light/dark, in dark mode": _("Auto light/dark, in dark mode"),
    }


def translated_page(html: str, words: dict[str, str]) -> str:
    """``html`` with furo's words, as attribute values or icon titles, translated."""
    for english, translated in words.items():
        if translated != english:
            html = html.replace(f'="{english}"', f'="{escape(translated)}"')
            html = html.replace(f"<title>{english}</title>", f"<title>{escape(translated)}</title>")
    navigation = _("Toggle navigation of {title}")
    return NAVIGATION_OF.sub(lambda found: f'{found[1]}="{navigation.format(title=found[2])}"', html)


def translate_theme_words(app: Sphinx, exception) -> None:
    if exception or app.builder.format != "html":
        return
    if app.config.language == app.config.editions_source_language:
        return
    words = theme_words()
    for page in Path(app.outdir).rglob("*.html"):
        html = page.read_text("utf-8")
        translated = translated_page(html, words)
        if translated != html:
            page.write_text(translated, "utf-8")


def setup_theme_words(app: Sphinx) -> None:
    app.add_message_catalog(CATALOG, str(Path(__file__).parent / "locale"))
    app.connect("build-finished", translate_theme_words, priority=400)  # before the root copies a 404 page
