"""The two editions as a reader meets them: sent to their browser's language, able to
switch, every page in its own language, the same moments of the video in both."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from tests.browser.conftest import EDITIONS, GUIDE, GUIDE_PAGE, ZH_GUIDE
from tests.conftest import ROOT

PROJECT = "Deep Learning for Imaging Scientists"

CHINESE = re.compile("[\u4e00-\u9fff]")


def _soup(path):
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


@pytest.mark.parametrize(
    ("opened", "locale", "edition"),
    [
        ("disk", "zh-CN", "zh-CN"),
        ("server", "zh-TW", "zh-CN"),
        ("disk", "en-GB", "en"),
        ("server", "fr-FR", "en"),
    ],
)
def test_the_root_page_sends_each_reader_to_the_edition_of_their_language(
    site, server, visit, opened, locale, edition
):
    page = visit(locale=locale).page()
    page.goto((site / "index.html").as_uri() if opened == "disk" else server)
    page.wait_for_url(f"**/{edition}/index.html")
    assert page.evaluate("document.documentElement.lang") == edition


def test_without_javascript_the_root_page_offers_both_editions(site, visit):
    page = visit(java_script_enabled=False).page()
    page.goto((site / "index.html").as_uri())
    links = page.locator("main a")
    assert links.count() == 2 and links.nth(1).inner_text() == "简体中文"


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_page_of_an_edition_declares_its_language(site, edition):
    pages = sorted((site / edition).rglob("*.html"))
    assert len(pages) >= 25
    wrong = [path.relative_to(site).as_posix() for path in pages if _soup(path).html.get("lang") != edition]
    assert wrong == []


def test_the_switcher_takes_the_reader_to_the_same_page_in_chinese_and_back(site, visit):
    page = visit().page()
    page.goto((site / GUIDE).as_uri())
    page.click("nav.editions a[hreflang='zh-CN']")
    page.wait_for_url(f"**/{ZH_GUIDE}")
    assert page.locator("h1").inner_text().startswith("Dragonfly Daily 15：面向成像科学家的深度学习")
    page.click("nav.editions a[hreflang='en']")
    page.wait_for_url(f"**/{GUIDE}")


def test_both_editions_of_the_guide_show_the_same_moments_under_the_same_anchors(site):
    english, chinese = (_soup(site / edition / GUIDE_PAGE) for edition in EDITIONS)

    def moments(soup):
        links = soup.select("a[data-seconds]")
        return [(link.find_parent(["li", "section"])["id"], link["data-seconds"]) for link in links]

    assert len(moments(english)) == 20
    assert moments(chinese) == moments(english)
    assert chinese.select_one("footer.videoguide-footer").text.count("作者：Dragonfly") == 1


def test_the_chinese_gallery_reads_in_chinese(site):
    index = _soup(site / "zh-CN/auto_examples/applications/index.html")
    titles = [title.text for title in index.select(".sphx-glr-thumbnail-title")]
    pages = list((ROOT / "gallery" / "applications").glob("plot_*.py"))
    assert len(titles) == len(pages) and all(CHINESE.search(title) for title in titles), titles
    example = _soup(site / "zh-CN/auto_examples/applications/plot_denoising.html")
    assert example.find("h1").contents[0].startswith("网络能否比 BM3D 更好地为含噪显微图像去噪")
    timing = example.select_one(".sphx-glr-timing").text.strip()
    assert re.fullmatch(r"脚本总运行时间：\d+ 分 [\d.]+ 秒", timing), (
        timing
    )  # no gap after the full-width colon
    memory = [p.text for p in example.select("p") if p.text.startswith("估计内存用量：")]
    assert len(memory) == 1 and re.fullmatch(r"估计内存用量：\d+ MB", memory[0]), "measured, in Chinese"
    figures = example.select("img.sphx-glr-single-img, img.sphx-glr-multi-img")
    assert figures and all(figure.get("lang") == "en" for figure in figures), "drawn and described in English"
    printed = [block.text for block in example.select(".sphx-glr-script-out pre")]
    english = _soup(site / "en/auto_examples/applications/plot_denoising.html")
    assert not english.select("img[lang]")
    assert printed == [block.text for block in english.select(".sphx-glr-script-out pre")], "same numbers"


def test_the_chinese_404_page_reads_in_chinese_and_the_root_404_is_the_source_languages(site):
    chinese = (site / "zh-CN/404.html").read_text("utf-8")
    assert "找不到页面" in chinese and "Page not found" not in chinese
    assert (site / "404.html").read_text("utf-8") == (site / "en/404.html").read_text("utf-8")


def test_the_execution_times_page_shows_measured_memory(site):
    rows = _soup(site / "en/sg_execution_times.html").select("table tbody tr")
    memory = [float(row.select("td")[2].text) for row in rows]
    assert len(memory) >= 21 and max(memory) > 10, "each example's peak memory, not a column of zeros"


@pytest.mark.parametrize(
    ("edition", "made_with", "copyright"),
    [
        (
            "en",
            "Made with Sphinx and the Furo theme",
            "Copyright © 2025, Deep Learning for Imaging Scientists contributors",
        ),
        ("zh-CN", "本站使用 Sphinx 和 Furo 主题构建", "版权所有 © 2025，面向成像科学家的深度学习贡献者"),
    ],
)
def test_the_site_footer_is_worded_in_each_edition(site, edition, made_with, copyright):
    bottom = _soup(site / f"{edition}/index.html").select_one("footer .bottom-of-page")
    assert " ".join(bottom.select_one(".made-with").text.split()) == made_with
    assert " ".join(bottom.select_one(".copyright").text.split()) == copyright
    assert "pradyunsg" not in bottom.text, "furo's English possessive, outside the catalogs"
