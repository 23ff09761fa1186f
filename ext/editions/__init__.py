"""editions: one site, one edition per language, each in its own folder.

The source language's edition and one per translation catalog under
``locale_dirs`` (``docs/locales/zh_CN`` gives the ``zh-CN`` edition) are built
by ``python -m editions`` into ``<site>/<tag>/``.  This extension, listed in
``extensions``, makes each edition know the others: every page gets a language
switcher (the ``editions.html`` sidebar template) linking the same page in
each edition, ``<link rel="alternate" hreflang>`` tags, and a true ``<html
lang>`` (Sphinx's ``zh_CN`` written as the BCP 47 tag ``zh-CN``).  Settings
that hold words (the site's title, the 404 page's text) take the edition's
values from ``editions_overrides``.  The
edition's public URLs (``html_baseurl``, sphinx-notfound-page's prefix) get
its folder.  Each build also (re)writes the site's root page, which sends a
reader to the edition of their browser's language.  Chinese
search is mended in ``search.py``; furo's words outside gettext are made
translatable in ``furo.py``.
"""

from __future__ import annotations

from functools import partial
from html import escape
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from .furo import setup_furo
from .root import write_root
from .search import setup_search

HERE = Path(__file__).parent


def language_tag(language: str) -> str:
    """Sphinx's ``zh_CN`` as the BCP 47 tag ``zh-CN`` (also the edition's folder)."""
    return language.replace("_", "-")


def edition_languages(srcdir: Path, locale_dirs: list[str], source_language: str) -> list[str]:
    """The source language, then every language with a catalog in ``locale_dirs``."""
    found = {
        messages.parent.name
        for locale_dir in locale_dirs
        for messages in Path(srcdir, locale_dir).glob("*/LC_MESSAGES")
        if any(messages.glob("*.po"))
    }
    return [source_language, *sorted(found - {source_language})]


def edition_name(config: Config, language: str) -> str:
    return config.editions_names.get(language, language_tag(language))


def configure_edition(app: Sphinx, config: Config) -> None:
    """The edition's own settings, its public URLs in its folder, its templates on the path."""
    tag = language_tag(config.language)
    for name, value in config.editions_overrides.get(config.language, {}).items():
        setattr(config, name, value)
    if config.html_baseurl:
        config.html_baseurl = f"{config.html_baseurl.rstrip('/')}/{tag}/"
    if getattr(config, "notfound_urls_prefix", None):
        config.notfound_urls_prefix = f"{config.notfound_urls_prefix.rstrip('/')}/{tag}/"
    config.templates_path = [*config.templates_path, str(HERE / "templates")]  # never the shared default list
    config.html_static_path = [*config.html_static_path, str(HERE / "static")]


def connect_editions(app: Sphinx) -> None:
    """Find the editions once per HTML build and hand them to the page and finish hooks."""
    if app.builder.format != "html":
        return
    app.add_css_file("editions.css")
    languages = edition_languages(
        Path(app.srcdir), app.config.locale_dirs, app.config.editions_source_language
    )
    app.connect("html-page-context", partial(on_page_context, languages=languages))
    app.connect("build-finished", partial(on_build_finished, languages=languages))


def on_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree, *, languages: list[str]
) -> None:
    """The same page in every edition, for the switcher and the alternate links."""
    to_site_root = "../" * (pagename.count("/") + 1)
    page = app.builder.get_target_uri(pagename)
    editions = [
        {
            "tag": language_tag(language),
            "name": edition_name(app.config, language),
            "url": f"{to_site_root}{language_tag(language)}/{page}",
            "current": language == app.config.language,
        }
        for language in languages
    ]
    context["language"] = language_tag(app.config.language)
    context["editions"] = editions
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n<link rel="alternate" hreflang="{escape(edition["tag"])}" href="{escape(edition["url"])}">'
        for edition in editions
        if not edition["current"]
    )


def on_build_finished(app: Sphinx, exception, *, languages: list[str]) -> None:
    """Every edition's build (re)writes the site's root page, when told where the root
    is: the last one also finds the other editions' 404 pages."""
    if exception or not app.config.editions_site_root:
        return
    write_root(
        Path(app.outdir, app.config.editions_site_root).resolve(),
        [(language_tag(language), edition_name(app.config, language)) for language in languages],
        language_tag(app.config.editions_source_language),
        app.config.project,
    )


def setup(app: Sphinx) -> dict:
    app.add_config_value("editions_source_language", "en", "env", types=[str])
    app.add_config_value("editions_names", {}, "html", types=[dict])
    app.add_config_value("editions_overrides", {}, "env", types=[dict])
    app.add_config_value("editions_site_root", "", "", types=[str])
    app.connect("config-inited", configure_edition, priority=100)  # before extensions read their settings
    app.connect("builder-inited", connect_editions)
    setup_search(app)
    setup_furo(app)
    return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}
