"""Build tests: guide sections and the pages that illustrate them link both ways."""

from tests.conftest import SITE_CONF, guide

STEPPED = guide() + "\n3. **Step three [00:01:05]** Same moment as the first idea.\n"


def _cards(page):
    return {
        card.parent.get("id"): [link["href"] for link in card.find_all("a")]
        for card in page.select(".videoguide-examples")
    }


def test_a_page_citing_a_moment_gets_a_card_in_the_guide_and_a_link_back(build_site):
    site = build_site(
        {
            "guides/g.md": guide(),
            "examples/denoise.rst": "Denoise things\n==============\n\n:timestamp:`00:01:05 </guides/g>`\n",
        }
    )
    assert site.warning_lines() == []
    assert _cards(site.page("guides/g")) == {"first-idea": ["../examples/denoise.html"]}
    card = site.page("guides/g").select_one(".videoguide-examples")
    assert "Denoise things" in card.text
    back = site.page("examples/denoise").select_one("a.videoguide-section-link")
    assert back["href"] == "../guides/g.html#first-idea"
    assert back.text == "First idea"


def test_a_moment_shown_twice_is_placed_by_its_anchor(build_site):
    site = build_site(
        {
            "guides/g.md": STEPPED,
            "a.md": "# Everywhere\n\n{timestamp}`00:01:05 </guides/g>`\n",
            "b.md": "# Only the step\n\n{timestamp}`00:01:05 </guides/g#step-step-three>`\n",
        }
    )
    assert site.warning_lines() == []
    cards = _cards(site.page("guides/g"))
    assert cards["first-idea"] == ["../a.html"]
    assert cards["step-step-three"] == ["../a.html", "../b.html"]
    assert site.page("b").select_one("a.videoguide-section-link")["href"] == "guides/g.html#step-step-three"


def test_steps_with_timestamps_get_ids(build_site):
    page = build_site({"g.md": guide()}).page("g")
    assert page.select_one("li#step-step-one a[data-seconds='3723']") is not None


def test_a_guide_cites_itself_without_a_card(build_site):
    page = build_site({"g.md": guide() + "\nAgain {timestamp}`00:01:05`.\n"}).page("g")
    assert page.select(".videoguide-examples") == []


def test_a_new_page_links_itself_in_an_incremental_build(build_site):
    first = build_site({"guides/g.md": guide(), "other.md": "# Other\n\nNothing cited.\n"})
    assert _cards(first.page("guides/g")) == {}
    second = build_site(
        {"guides/g.md": guide(), "other.md": "# Other\n\nNow {timestamp}`00:01:05 </guides/g>`.\n"}
    )
    assert _cards(second.page("guides/g")) == {"first-idea": ["../other.html"]}


CITING = "Denoise\n=======\n\n(:timestamp:`00:01:05 </guides/g>`)\n"
BACK = {"guides/g.md": guide(), "examples/denoise.rst": CITING}


def _back_link_sentence(site) -> str:
    return site.page("examples/denoise").select_one("a.videoguide-section-link").parent.get_text()


def test_the_link_back_is_bracketed_in_english(build_site):
    assert _back_link_sentence(build_site(BACK)).endswith("00:01:05 (First idea))")


def test_the_link_back_follows_a_comma_in_chinese_not_nested_brackets(build_site):
    site = build_site(BACK, conf=SITE_CONF + 'language = "zh_CN"\n')
    assert _back_link_sentence(site).endswith("00:01:05，First idea)")
