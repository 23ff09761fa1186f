"""The Chinese edition never falls back to English in silence: every catalog is
complete, current with the sources, compiled where we ship it, and faithful to
what must not change (timestamps, links, code)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.conftest import ROOT, copy_site_sources

PAGES = ROOT / "docs" / "locales"
EXTENSION_CATALOGS = sorted((ROOT / "ext").glob("*/locale/*/LC_MESSAGES/*.po"))
PAGE_CATALOGS = sorted(PAGES.glob("*/LC_MESSAGES/**/*.po"))
#: The folder of the generated API reference pages: their docstrings stay English.
API_PAGES = "api"
#: What a translation must carry over unchanged: timestamps, link and role
#: targets, inline code, math.
UNCHANGED = re.compile(r"\d\d:\d\d:\d\d|<[^<>\s]+>|``[^`]+``|:math:`[^`]+`|\{[a-z_]+\}|%\([a-z_]+\)s")


def _messages(path: Path):
    with path.open("rb") as handle:
        return [message for message in read_po(handle) if message.id]


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_there_are_catalogs_for_the_pages_the_theme_and_the_extensions():
    names = {path.relative_to(PAGES / "zh_CN" / "LC_MESSAGES").as_posix() for path in PAGE_CATALOGS}
    assert {"index.po", "guides/dragonfly-daily-15.po", "sphinx.po"} <= names
    assert len([name for name in names if name.startswith("auto_examples/")]) >= 20
    assert {path.stem for path in EXTENSION_CATALOGS} == {"videoguide", "gallery_pages", "editions"}


@pytest.mark.parametrize("catalog", PAGE_CATALOGS + EXTENSION_CATALOGS, ids=_name)
def test_no_message_is_untranslated_or_fuzzy(catalog):
    messages = _messages(catalog)
    assert messages
    assert [m.id for m in messages if not m.string] == [], "untranslated"
    assert [m.id for m in messages if m.fuzzy] == [], "fuzzy: check the translation, then drop the flag"


@pytest.mark.parametrize("catalog", PAGE_CATALOGS + EXTENSION_CATALOGS, ids=_name)
def test_translations_keep_timestamps_links_code_and_placeholders(catalog):
    for message in _messages(catalog):
        assert sorted(UNCHANGED.findall(message.string)) == sorted(UNCHANGED.findall(message.id)), message.id


def test_every_timestamp_of_the_guide_is_in_its_translation():
    guide = (ROOT / "docs" / "guides" / "dragonfly-daily-15.md").read_text("utf-8")
    catalog = PAGES / "zh_CN/LC_MESSAGES/guides/dragonfly-daily-15.po"
    translated = " ".join(message.string for message in _messages(catalog))
    stamp = re.compile(r"\[\d\d:\d\d:\d\d\]")
    assert sorted(stamp.findall(translated)) == sorted(stamp.findall(guide))
    assert len(stamp.findall(guide)) == 20


@pytest.mark.parametrize("catalog", EXTENSION_CATALOGS, ids=_name)
def test_the_shipped_compiled_catalog_matches_its_source(catalog):
    with catalog.with_suffix(".mo").open("rb") as handle:
        compiled = {m.id: m.string for m in read_mo(handle) if m.id}
    assert compiled == {m.id: m.string for m in _messages(catalog)}, "run `nox -s i18n` to compile it"


def test_every_word_of_the_theme_has_a_chinese_translation():
    """furo ships no translations; ours (sphinx.po) and Sphinx's own cover its words."""
    import furo
    import sphinx

    theme = Path(furo.__file__).parent / "theme"
    words = {
        message
        for _, _, message, *_ in extract_from_dir(
            theme, [("**.html", "jinja2")], {"**.html": {"extensions": "jinja2.ext.i18n"}}
        )
        if isinstance(message, str)
    }
    ours = {m.id: m.string for m in _messages(PAGES / "zh_CN/LC_MESSAGES/sphinx.po")}
    with (Path(sphinx.__file__).parent / "locale/zh_CN/LC_MESSAGES/sphinx.mo").open("rb") as handle:
        sphinx_own = {m.id: m.string for m in read_mo(handle) if isinstance(m.id, str)}
    assert len(words) > 15
    assert sorted(word for word in words if not (ours.get(word) or sphinx_own.get(word))) == []
    for word in ("Next", "Previous", "Back to top"):
        assert ours[word]


def test_the_catalogs_hold_every_message_of_the_current_sources(tmp_path):
    """A fresh gettext build of the site: no message may be missing from the catalogs."""
    copy_site_sources(tmp_path)
    command = [sys.executable, "-m", "sphinx", "-q", "-b", "gettext", "-D", "plot_gallery=0", "docs", "pot"]
    env = {**os.environ, "MPLBACKEND": "Agg", "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    missing = {}
    for template in sorted((tmp_path / "pot").rglob("*.pot")):
        name = template.relative_to(tmp_path / "pot").with_suffix(".po")
        if name.as_posix() == "sphinx.po" or name.parts[0] == API_PAGES:
            continue  # the theme's words: checked above; the API reference stays English
        catalog = PAGES / "zh_CN" / "LC_MESSAGES" / name
        have = {m.id for m in _messages(catalog)} if catalog.exists() else set()
        lost = [m.id for m in _messages(template) if m.id not in have]
        if lost:
            missing[name.as_posix()] = lost
    assert missing == {}, "run `nox -s i18n`, then translate the new messages"


def _unclosed_markup(text: str) -> list[str]:
    """docutils' complaints about inline markup it could not close, parsing ``text`` alone."""
    from io import StringIO

    from docutils.core import publish_doctree

    stream = StringIO()
    publish_doctree(text, settings_overrides={"warning_stream": stream, "report_level": 2, "halt_level": 5})
    return [line for line in stream.getvalue().splitlines() if "start-string without end-string" in line]


@pytest.mark.parametrize("path", [p for p in PAGE_CATALOGS if "auto_examples" in p.parts], ids=_name)
def test_a_translated_gallery_message_closes_its_inline_markup_as_its_english_does(path):
    """Chinese has no spaces: ``x``（ does not end a literal (docutils wants a space or closing
    punctuation after it), and the page's build fails on it."""
    broken = [
        message.string
        for message in _messages(path)
        if message.string and _unclosed_markup(message.string) and not _unclosed_markup(message.id)
    ]
    assert broken == []
