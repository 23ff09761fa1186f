"""A guide in another language: its body and its front matter translated by
Sphinx's gettext catalogs, its anchors and timestamps kept, our own words in
the build's language."""

from __future__ import annotations

from tests.conftest import SITE_CONF, guide

CHINESE_CONF = SITE_CONF + 'language = "zh_CN"\n'

#: A translation of conftest's small guide (the test project keeps one catalog per folder).
CATALOG = r"""
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

msgid "A Guide"
msgstr "一篇指南"

msgid "A Guide Header"
msgstr "指南标题"

msgid "An intro."
msgstr "一段导语。"

msgid "Ada's page"
msgstr "Ada 的主页"

msgid "all rights reserved"
msgstr "保留所有权利"

msgid "Part one"
msgstr "第一部分"

msgid "First idea [00:01:05]"
msgstr "第一个想法 [00:01:05]"

msgid "Text."
msgstr "正文。"

msgid "**Step one [01:02:03]** Do it."
msgstr "**第一步 [01:02:03]** 去做。"

msgid "**Step two** No time here."
msgstr "**第二步** 这里没有时间。"

msgid "Source"
msgstr "来源"
"""


def _build(build_site, conf=CHINESE_CONF, catalog=CATALOG, builder="html"):
    files = {"guide.md": guide()}
    if catalog is not None:
        files["locales/zh_CN/LC_MESSAGES/guide.po"] = catalog
    return build_site(files, conf=conf, builder=builder)


def test_the_body_and_the_front_matter_are_translated(build_site):
    site = _build(build_site)
    page = site.page("guide")
    assert site.warning_lines() == []
    assert page.find("h1").contents[0].strip() == "指南标题"
    assert page.title.text.startswith("一篇指南")
    assert page.select_one("p.videoguide-intro").text == "一段导语。"
    assert page.select_one(".videoguide-player")["data-video-title"] == "一篇指南"
    footer = page.select_one("footer.videoguide-footer")
    assert footer.select_one(".videoguide-social a").text == "Ada 的主页"
    assert footer.select_one(".videoguide-copyright").text == "© 2024 Ada · 保留所有权利"
    assert page.find("meta", attrs={"name": "description"})["content"] == "一段导语。"


def test_videoguide_writes_its_own_words_in_the_build_language(build_site):
    page = _build(build_site).page("guide")
    assert page.select_one(".videoguide-facade-action").text == "播放视频"
    assert page.select_one(".videoguide-player")["data-offline-hint"] == "在 YouTube 上打开视频"
    assert page.select_one(".videoguide-author").text == "作者：Ada"


def test_translated_headings_and_steps_keep_their_timestamps_and_english_anchors(build_site):
    page = _build(build_site).page("guide")
    heading = page.select_one("section#first-idea > h3")
    assert heading.contents[0].strip() == "第一个想法"
    assert heading.select_one("a[data-seconds]")["data-seconds"] == "65"
    step = page.select_one("li#step-step-one")
    assert step.select_one("strong").contents[0].strip() == "第一步"
    assert step.select_one("a[data-seconds]")["data-seconds"] == "3723"
    english = _build(build_site, conf=SITE_CONF, catalog=None).page("guide")
    ids = lambda soup: [tag["id"] for tag in soup.select("article [id]")]  # noqa: E731
    assert ids(page) == ids(english)


def test_a_translation_that_drops_a_timestamp_is_named_with_its_line(build_site):
    careless = CATALOG.replace('msgstr "第一个想法 [00:01:05]"', 'msgstr "第一个想法"')
    careless = careless.replace("**第一步 [01:02:03]** 去做。", "**第一步** 去做 [01:02:03]。")
    warnings = _build(build_site, catalog=careless).warning_lines()
    assert len(warnings) == 2
    assert "guide.md:19: WARNING: the translation of 'First idea' lost its timestamp" in warnings[0]
    assert "end it with [00:01:05]" in warnings[0]
    assert "guide.md:23:" in warnings[1]  # Sphinx adds "<translated>:1" for text from a catalog
    assert "WARNING: the translation of 'Step one' lost its timestamp" in warnings[1]


def test_gettext_extracts_the_front_matter_texts_and_not_the_header_markup(build_site):
    site = _build(build_site, conf=SITE_CONF, catalog=None, builder="gettext")
    pot = (site.outdir / "guide.pot").read_text("utf-8")
    for text in ("A Guide", "A Guide Header", "An intro.", "Ada's page", "all rights reserved"):
        assert f'msgid "{text}"' in pot
    assert 'msgid "First idea [00:01:05]"' in pot
    assert "videoguide-header" not in pot


def test_a_guide_in_a_language_the_site_has_no_catalog_for_gets_one_warning(build_site):
    site = build_site({"guide.md": guide().replace("---\ntitle", "---\nlanguage: fr\ntitle", 1)})
    (warning,) = site.warning_lines()
    assert "guide.md:2: WARNING: the guide declares language 'fr'" in warning
    assert "[videoguide.language]" in warning


def test_a_guide_in_the_source_language_needs_no_catalog(build_site):
    site = build_site({"guide.md": guide().replace("---\ntitle", "---\nlanguage: en-GB\ntitle", 1)})
    assert site.warning_lines() == []


def test_the_source_language_is_the_editions_one_when_that_extension_says_it(build_site):
    conf = SITE_CONF + 'def setup(app):\n    app.add_config_value("editions_source_language", "de", "env")\n'
    german = guide().replace("---\ntitle", "---\nlanguage: de\ntitle", 1)
    assert build_site({"guide.md": german}, conf=conf).warning_lines() == [], "German is the source language"
