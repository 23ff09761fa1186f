"""Build tests: the seed guide, and small guides, rendered as pages."""

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED, SHIPPED_STATIC, guide

SHARED_SEED = ROOT.parent / "shared" / "seed" / "dragonfly-daily-15.md"
SEED_CATALOG = ROOT / "docs" / "locales" / "zh_CN" / "LC_MESSAGES" / "guides" / "dragonfly-daily-15.po"

SEED_TIMESTAMPS = re.findall(r"\[(\d\d:\d\d:\d\d)\]", SEED.read_text("utf-8"))


def _seconds(clock: str) -> int:
    hours, minutes, seconds = (int(part) for part in clock.split(":"))
    return hours * 3600 + minutes * 60 + seconds


@pytest.mark.skipif(not SHARED_SEED.exists(), reason="shared/ is not beside this checkout")
def test_docs_guide_is_byte_identical_to_the_seed():
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_seed_guide_builds_without_a_warning(build_site):
    site = _seed(build_site)
    assert site.warning_lines() == []


def test_seed_without_a_translation_into_its_language_builds_with_one_warning(build_site):
    site = _seed(build_site, translated=False)
    assert len(site.warning_lines()) == 1
    (warning,) = site.warning_lines()
    assert "dragonfly-daily-15.md:2: WARNING: the guide declares language 'zh-CN'" in warning
    assert "published in its source language (en) only" in warning
    assert site.page("guides/dragonfly-daily-15").find("h1").contents[0].startswith("Dragonfly Daily 15")


def _seed(build_site, translated=True):
    """The seed guide with the site's static files and, unless told otherwise, the
    site's Chinese catalog of it (its declared language), in an English build."""
    files = {
        f"_static/{path.relative_to(SHIPPED_STATIC).as_posix()}": path.read_text("utf-8")
        for path in SHIPPED_STATIC.rglob("*")
        if path.is_file()
    }
    if translated:  # the test project keeps Sphinx's default of one catalog per folder
        files["locales/zh_CN/LC_MESSAGES/guides.po"] = SEED_CATALOG.read_text("utf-8")
    return build_site({"guides/dragonfly-daily-15.md": SEED.read_text("utf-8"), **files})


def test_seed_front_matter_is_rendered(build_site):
    site = _seed(build_site)
    page = site.page("guides/dragonfly-daily-15")
    heading = "Dragonfly Daily 15: Deep Learning for Imaging Scientists"
    assert page.title.text.startswith(heading)
    assert page.find("h1").contents[0].strip() == heading
    assert page.select_one("p.videoguide-intro").text.startswith("This guide offers a structured overview")
    player = page.select_one(".videoguide-player")
    assert player["data-embed-url"].startswith("https://www.youtube-nocookie.com/embed/qwZb0MLOgT8?")
    assert player["data-video-title"] == heading
    facade = player.select_one("a.videoguide-facade")
    assert facade["href"] == "https://www.youtube.com/watch?v=qwZb0MLOgT8"
    assert facade["rel"] == ["noopener", "noreferrer"] and facade["target"] == "_blank"
    assert heading in facade.text
    footer = page.select_one("footer.videoguide-footer")
    assert "Author: Dragonfly" in footer.text
    assert footer.select_one("a")["href"] == "https://x.com/ai_dragonfly"
    assert footer.select_one("a").text == "Twitter/X"
    assert "© 2025 Dragonfly" in footer.text and "copyright" in footer.text
    assert page.find("meta", attrs={"name": "videoguide-language"})["content"] == "zh-CN"
    index = site.page("index")
    assert heading in index.text, "navigation names the guide by its title"


def test_guide_css_and_js_are_on_the_guide_only_with_relative_urls(build_site):
    site = _seed(build_site)
    page = site.page("guides/dragonfly-daily-15")
    css = [link["href"] for link in page.find_all("link", rel="stylesheet")]
    js = [script["src"] for script in page.find_all("script", src=True)]
    assert any(href.startswith("../_static/dragonfly3dworld/design.css") for href in css)
    assert any(src.startswith("../_static/dragonfly3dworld/interactive.js") for src in js)
    assert (site.outdir / "_static" / "dragonfly3dworld" / "design.css").is_file()
    assert not any(href.startswith("/") for href in css + js)
    index = site.html("index")
    assert "dragonfly3dworld" not in index


def test_every_seed_timestamp_is_a_link_to_its_second(build_site):
    page = _seed(build_site).page("guides/dragonfly-daily-15")
    links = page.select("a[data-seconds]")
    assert [link.text for link in links] == SEED_TIMESTAMPS
    assert len(links) == 20
    for link in links:
        seconds = _seconds(link.text)
        assert link["data-seconds"] == str(seconds)
        assert link["href"] == f"https://www.youtube.com/watch?v=qwZb0MLOgT8&t={seconds}s"
    assert page.find("a", string="00:02:53")["href"].endswith("t=173s")


def test_headings_have_ids_without_their_timestamp(build_site):
    page = _seed(build_site).page("guides/dragonfly-daily-15")
    ids = {section["id"] for section in page.find_all("section")}
    for expected in ("image-filtering", "super-resolution", "u-net", "convolutional-neural-networks-cnns"):
        assert expected in ids
    assert not any(re.search(r"\d\d-\d\d", section_id) for section_id in ids)
    assert page.select_one("#image-filtering h3").find("a", attrs={"data-seconds": "173"})


def test_markers_are_understood_not_shown(build_site):
    page = _seed(build_site).page("guides/dragonfly-daily-15")
    text = page.get_text()
    assert "----" not in text
    assert "Tutorial Content Start" not in text
    source = page.select_one("section#source")
    assert source.find("h2").contents[0].strip() == "Source"
    link = source.find("a", href="https://www.youtube.com/@dragonfly_software")
    assert link.text == "https://www.youtube.com/@dragonfly_software"
    assert "target" not in link.attrs or link["rel"] == ["noopener", "noreferrer"]


def test_guide_without_markers_still_gets_its_heading(build_site):
    text = guide().replace("---- Tutorial Content Start ----\n", "")
    text = text.replace("---- Information Source Start ----\n", "")
    site = build_site({"g.md": text})
    page = site.page("g")
    assert page.find("h1").contents[0].strip() == "A Guide Header"
    assert page.select_one("section#source") is None
    assert site.warning_lines() == []


def test_guide_without_markers_or_blank_line(build_site):
    text = "---\ntitle: T\nvideo_url: https://youtu.be/abcdefghijk\n---\n## Part [00:10]\n\nBody.\n"
    site = build_site({"g.md": text})
    page = site.page("g")
    assert page.find("h1").contents[0].strip() == "T"
    assert page.find("a", attrs={"data-seconds": "10"})["href"].endswith("t=10s")
    assert site.warning_lines() == []


def test_hour_long_timestamp_in_a_step(build_site):
    page = build_site({"g.md": guide()}).page("g")
    step = page.find("a", string="01:02:03")
    assert step["data-seconds"] == "3723"
    assert step["href"] == "https://www.youtube.com/watch?v=abcdefghijk&t=3723s"
    assert step.find_parent("strong").contents[0].strip() == "Step one"


def test_two_guides_on_one_site_each_keep_their_video(build_site):
    site = build_site(
        {
            "one.md": guide(title="One", video_url="https://youtu.be/aaaaaaaaaaa"),
            "two.md": guide(title="Two", video_url="https://www.youtube.com/embed/bbbbbbbbbbb"),
        }
    )
    assert site.warning_lines() == []
    one, two = site.page("one"), site.page("two")
    assert one.find("a", attrs={"data-seconds": "65"})["href"].startswith(
        "https://www.youtube.com/watch?v=aaaaaaaaaaa"
    )
    assert two.find("a", attrs={"data-seconds": "65"})["href"].startswith(
        "https://www.youtube.com/watch?v=bbbbbbbbbbb"
    )
    assert "bbbbbbbbbbb" in two.select_one(".videoguide-player")["data-embed-url"]


def test_a_plain_markdown_page_is_not_a_guide(build_site):
    site = build_site({"plain.md": "# Plain\n\n## Section [00:10]\n\n<b>raw</b> html kept\n"})
    page = site.page("plain")
    assert page.select_one(".videoguide-player") is None
    assert page.find("a", attrs={"data-seconds": True}) is None
    assert page.find("b").text == "raw"


def test_no_javascript_fallbacks_are_plain_links(build_site):
    page = build_site({"g.md": guide()}).page("g")
    assert page.select_one("a.videoguide-facade")["href"] == "https://www.youtube.com/watch?v=abcdefghijk"
    for link in page.select("a[data-seconds]"):
        assert link["href"].startswith("https://www.youtube.com/watch?v=abcdefghijk&t=")


def test_text_builder_renders_the_guide(build_site):
    site = build_site({"g.md": guide()}, builder="text")
    text = Path(site.outdir, "g.txt").read_text("utf-8")
    assert "A Guide Header" in text and "First idea" in text and "00:01:05" in text


def test_guides_carry_opengraph_and_twitter_tags(build_site):
    conf = 'extensions = ["myst_parser", "videoguide"]\nhtml_static_path = ["_static"]\n'
    conf += 'html_baseurl = "https://example.org/site/"\n'
    site = build_site({"guides/g.md": guide(title="T <b> & 'co'", intro="Intro & more")}, conf=conf)
    page = site.page("guides/g")
    assert "T <b>" not in site.html("guides/g")

    def meta(attribute, name):
        return page.find("meta", attrs={attribute: name})["content"]

    assert meta("property", "og:title") == "T <b> & 'co'"
    assert meta("property", "og:description") == meta("name", "description") == "Intro & more"
    assert meta("property", "og:video") == "https://www.youtube.com/watch?v=abcdefghijk"
    assert meta("property", "og:url") == "https://example.org/site/guides/g.html"
    assert meta("name", "twitter:card") == "summary"
