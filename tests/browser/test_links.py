"""Every moment of the seed guide links to code, and the code links back, in every edition."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.browser.conftest import EDITIONS, GUIDE_PAGE
from tests.conftest import ROOT


def _page(site, name):
    return BeautifulSoup((site / name).read_text("utf-8"), "html.parser")


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_timestamped_section_and_step_of_the_guide_links_to_code(site, edition):
    site = site / edition
    guide = _page(site, GUIDE_PAGE)
    moments = guide.select("a[data-seconds]")
    assert len(moments) == 20
    for moment in moments:
        holder = moment.find_parent(["li", "section"])
        card = holder.find(class_="videoguide-examples")
        assert card is not None, f"no code linked from {holder.get('id')}"
        for link in card.find_all("a"):
            assert (site / "guides" / link["href"].split("#")[0]).resolve().is_file()


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_example_links_back_to_its_moment_in_the_guide(site, edition):
    site = site / edition
    guide_ids = {tag["id"] for tag in _page(site, GUIDE_PAGE).find_all(id=True)}
    examples = sorted((site / "auto_examples").glob("*/plot_*.html"))
    assert len(examples) == len(list((ROOT / "gallery").glob("*/plot_*.py")))
    for example in examples:
        back = _page(site, example.relative_to(site)).select("a.videoguide-section-link")
        assert back, f"{example.name} does not link back to the guide"
        for link in back:
            page, _, anchor = link["href"].partition("#")
            assert page.endswith(GUIDE_PAGE) and anchor in guide_ids, (example.name, link["href"])
        assert _page(site, example.relative_to(site)).select("a[data-seconds]"), "and to the video moment"
