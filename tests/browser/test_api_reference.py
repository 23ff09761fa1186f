"""The API reference of the readers' library in the built site: a page per module in both
editions, "Examples using ..." under each function, and example code linked to it."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.conftest import ROOT

MODULES = sorted(path.stem for path in (ROOT / "ext/dlis-gallery/src/dlis_gallery").glob("[a-z]*.py"))


def _soup(path):
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


@pytest.mark.parametrize("edition", ["en", "zh-CN"])
def test_every_module_has_its_page_in_each_edition(site, edition):
    for module in MODULES:
        page = _soup(site / edition / "api" / f"dlis_gallery.{module}.html")
        assert page.select_one("h1").get_text().startswith(f"dlis_gallery.{module}"), module
    index = _soup(site / edition / "api.html")
    listed = {link["href"].split("#")[0] for link in index.select("a[href^='api/']")}
    assert {f"api/dlis_gallery.{module}.html" for module in MODULES} <= listed


def test_each_function_lists_the_examples_that_use_it(site):
    page = _soup(site / "en/api/dlis_gallery.metrics.html")
    psnr = page.find(id="dlis_gallery.metrics.psnr")
    assert psnr is not None and psnr.find_next(string="Parameters") is not None
    titled = "Examples using psnr"
    heading = page.find(lambda tag: tag.name == "h3" and tag.get_text(" ", strip=True).startswith(titled))
    assert heading is not None, "a minigallery under psnr"
    thumbnails = heading.find_next("div", class_="sphx-glr-thumbnails")
    examples = {link["href"].split("#")[0] for link in thumbnails.select("a[href]")}
    assert "../auto_examples/applications/plot_denoising.html" in examples


def test_a_call_in_an_example_links_to_its_entry(site):
    page = _soup(site / "en/auto_examples/applications/plot_denoising.html")
    links = {link["href"] for link in page.select("div.highlight a[href]")}
    assert "../../api/dlis_gallery.metrics.html#dlis_gallery.metrics.psnr" in links
    assert "../../api/dlis_gallery.inference.html#dlis_gallery.inference.apply_network" in links
