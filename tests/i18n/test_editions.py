"""Editions: each language in its own folder, a switcher on every page, a true
``<html lang>``, and a root page that sends readers to their browser's language."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from editions import edition_languages, language_tag
from editions.__main__ import main as build_editions
from tests.conftest import ROOT, guide
from tests.ext.test_translation import CATALOG

CONF = """
extensions = ["myst_parser", "videoguide", "editions"]
html_theme = "furo"
html_sidebars = {"**": ["sidebar/brand.html", "editions.html", "sidebar/navigation.html"]}
html_baseurl = "https://example.org/site/"
locale_dirs = ["locales/"]
gettext_compact = False
editions_names = {"en": "English", "zh_CN": "简体中文"}
editions_overrides = {"zh_CN": {"html_title": "测试站点"}}
project = "Test site"
"""
INDEX = "Site\n====\n\n.. toctree::\n\n   guides/guide\n"


def test_editions_are_the_source_language_then_each_catalog(tmp_path):
    (tmp_path / "locales/zh_CN/LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "locales/zh_CN/LC_MESSAGES/index.po").write_text("")
    (tmp_path / "locales/fr/LC_MESSAGES").mkdir(parents=True)  # no catalog yet: no edition
    assert edition_languages(tmp_path, ["locales"], "en") == ["en", "zh_CN"]
    assert language_tag("zh_CN") == "zh-CN"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("editions")
    source = work / "src"
    (source / "guides").mkdir(parents=True)
    (source / "conf.py").write_text(CONF, "utf-8")
    (source / "index.rst").write_text(INDEX, "utf-8")
    text = guide().replace("---\ntitle", "---\nlanguage: zh-CN\ntitle", 1)
    text = "\n".join(line for line in text.splitlines() if not line.startswith(("css_path", "js_path")))
    (source / "guides/guide.md").write_text(text + "\n", "utf-8")
    (source / "locales/zh_CN/LC_MESSAGES/guides").mkdir(parents=True)
    (source / "locales/zh_CN/LC_MESSAGES/guides/guide.po").write_text(CATALOG, "utf-8")
    (source / "locales/zh_CN/LC_MESSAGES/index.po").write_text('msgid "Site"\nmsgstr "站点"\n', "utf-8")
    shutil.copy(ROOT / "docs/locales/zh_CN/LC_MESSAGES/sphinx.po", source / "locales/zh_CN/LC_MESSAGES/")
    assert build_editions([str(source), str(work / "html"), "-q", "-W", "--keep-going"]) == 0
    return work / "html"


def _page(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def test_each_edition_has_its_folder_and_doctrees_stay_outside_the_site(site):
    assert (site / "en/guides/guide.html").is_file()
    assert (site / "zh-CN/guides/guide.html").is_file()
    assert sorted(path.name for path in site.iterdir()) == ["en", "index.html", "zh-CN"]
    assert sorted(path.name for path in site.with_name("html.doctrees").iterdir()) == ["en", "zh-CN"]


@pytest.mark.parametrize(("edition", "lang"), [("en", "en"), ("zh-CN", "zh-CN")])
def test_every_page_says_its_own_language(site, edition, lang):
    pages = sorted((site / edition).rglob("*.html"))
    assert len(pages) >= 4
    for path in pages:
        assert _page(path).html["lang"] == lang, path


def test_the_chinese_edition_reads_in_chinese(site):
    page = _page(site / "zh-CN/guides/guide.html")
    assert page.find("h1").contents[0].strip() == "指南标题"
    assert "测试站点" in page.title.text
    # furo's words, from the site's sphinx.po:
    assert page.select_one(".related-pages").text.count("上一页") == 1


@pytest.mark.parametrize("edition", ["en", "zh-CN"])
def test_the_switcher_links_the_same_page_in_every_edition(site, edition):
    page_path = site / edition / "guides/guide.html"
    switcher = _page(page_path).select_one("nav.editions")
    links = {link["hreflang"]: link for link in switcher.select("a")}
    assert set(links) == {"en", "zh-CN"}
    assert [tag for tag, link in links.items() if link.get("aria-current") == "page"] == [edition]
    for tag, link in links.items():
        assert link["href"] == f"../../{tag}/guides/guide.html"
        assert (page_path.parent / link["href"]).resolve() == (site / tag / "guides/guide.html").resolve()
    alternates = _page(page_path).select('link[rel="alternate"][hreflang]')
    assert [link["hreflang"] for link in alternates] == [tag for tag in ("en", "zh-CN") if tag != edition]


def test_the_root_page_lists_every_edition_and_chooses_by_the_readers_languages(site):
    root = _page(site / "index.html")
    assert root.find("meta", attrs={"http-equiv": "refresh"}) is None, "no forced language"
    assert [link["href"] for link in root.select("main a")] == ["en/index.html", "zh-CN/index.html"]
    assert 'var editions = ["en", "zh-CN"];' in root.find("script").text
    assert root.html["lang"] == "en" and root.find("link", rel="canonical")["href"] == "en/index.html"


def test_public_urls_include_the_edition_folder(site):
    for tag in ("en", "zh-CN"):
        og_url = _page(site / tag / "guides/guide.html").find("meta", attrs={"property": "og:url"})
        assert og_url["content"] == f"https://example.org/site/{tag}/guides/guide.html"


def test_furos_words_outside_gettext_are_translated_in_the_chinese_edition(site):
    chinese = (site / "zh-CN/guides/guide.html").read_text("utf-8")
    for english in ("Toggle site navigation sidebar", "Toggle navigation of", "<title>Light mode</title>"):
        assert english not in chinese
    assert 'aria-label="切换站点导航侧边栏"' in chinese and "<title>浅色模式</title>" in chinese
    assert "Toggle site navigation sidebar" in (site / "en/guides/guide.html").read_text("utf-8")
