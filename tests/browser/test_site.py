"""The built site in a real browser: offline and hosted, player, timestamps, search.

Run by ``nox -s tests`` where Debian's chromium is installed (``.ci/run``
installs it).  Screenshots land in test-artifacts/browser/.
"""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import GUIDE, ZH_GUIDE, artifact

VIDEO = "qwZb0MLOgT8"
WATCH = f"https://www.youtube.com/watch?v={VIDEO}"


def _pages(site):
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html"))


def test_every_page_opens_from_disk_with_no_request_leaving_the_machine(site, visit):
    pages = [name for name in _pages(site) if not name.endswith("404.html")]  # only a server shows it
    assert len(pages) >= 2 * 12 + 1
    browsing = visit()
    page = browsing.page()  # one tab, page after page: as a reader browses
    for name in pages:
        page.goto((site / name).as_uri(), wait_until="load")
    assert browsing.outside == []
    assert browsing.console_errors == []
    print(f"{len(pages)} pages opened from disk, 0 outside requests")


def test_every_page_served_over_http_makes_no_outside_request(site, server, visit):
    browsing = visit()
    page = browsing.page()
    for name in _pages(site):
        page.goto(server + name, wait_until="load")
    assert browsing.outside == []
    assert browsing.console_errors == []


@pytest.mark.parametrize(
    ("edition", "word", "expected"),
    [
        ("en", "Dragonfly", "guides/dragonfly-daily-15.html"),
        ("en", "binning", "plot_super_resolution.html"),
        ("zh-CN", "去噪", "plot_denoising.html"),
        ("zh-CN", "分割", "plot_segmentation.html"),
        ("zh-CN", "超分辨率", "guides/dragonfly-daily-15.html"),
    ],
)
def test_search_finds_words_of_the_guide_and_of_the_gallery(server, visit, edition, word, expected):
    page = visit().page()
    page.goto(f"{server}{edition}/search.html?q={word}")
    page.wait_for_selector("#search-results li", timeout=20000)
    links = [link.get_attribute("href") for link in page.query_selector_all("#search-results li a")]
    assert any(expected in (href or "") for href in links), links


@pytest.mark.parametrize("guide", [GUIDE, ZH_GUIDE])
def test_the_facade_is_reachable_by_keyboard_and_loads_the_embed_at_the_start(server, visit, guide):
    browsing = visit()
    page = browsing.page()
    page.goto(server + guide)
    facade = page.locator(".videoguide-facade")
    assert "Dragonfly Daily 15" in facade.inner_text()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('videoguide-facade')"):
            break
    else:
        pytest.fail("Tab never reaches the player facade")
    assert browsing.outside == [], "nothing leaves the machine before the reader asks for the video"
    page.keyboard.press("Enter")
    iframe = page.wait_for_selector(".videoguide-player iframe")
    src = iframe.get_attribute("src")
    assert src.startswith(f"https://www.youtube-nocookie.com/embed/{VIDEO}?")
    assert "start=0" in src
    assert iframe.get_attribute("referrerpolicy") == "strict-origin-when-cross-origin"
    page.wait_for_timeout(300)
    assert [url.split("?")[0] for url in browsing.outside] == [
        f"https://www.youtube-nocookie.com/embed/{VIDEO}"
    ]
    print(f"outside requests: 0 before activation, {len(browsing.outside)} after")


@pytest.mark.parametrize("guide", [GUIDE, ZH_GUIDE])
def test_a_timestamp_loads_the_player_at_its_second_then_seeks_it(server, visit, guide):
    page = visit().page()
    page.goto(server + guide)
    page.click("a[data-seconds='189']")
    iframe = page.wait_for_selector(".videoguide-player iframe")
    assert "start=189" in iframe.get_attribute("src")
    assert page.url.startswith(server), "the reader stays on the guide"
    player = page.frame_locator(".videoguide-player iframe")
    player.locator("title").wait_for(state="attached")
    page.click("a[data-seconds='173']")
    frame = next(frame for frame in page.frames if frame.url.startswith("https://www.youtube-nocookie.com/"))
    page.wait_for_function("() => true")
    frame.wait_for_function("window.received.length >= 2")
    messages = [json.loads(message) for message in frame.evaluate("window.received")]
    assert {"event": "command", "func": "seekTo", "args": [173, True]} in messages


@pytest.mark.parametrize("guide", [GUIDE, ZH_GUIDE])
@pytest.mark.parametrize(
    ("clicked", "expected"),
    [(".videoguide-facade", WATCH), ("a[data-seconds='173']", f"{WATCH}&t=173s")],
    ids=["facade", "timestamp"],
)
def test_from_disk_the_player_opens_the_watch_page_at_the_second(site, visit, clicked, expected, guide):
    browsing = visit()
    page = browsing.page()
    page.goto((site / guide).as_uri())
    with browsing.context.expect_page() as opened:
        page.click(clicked)
    opened.value.wait_for_timeout(300)
    assert browsing.outside == [expected]
    assert page.query_selector(".videoguide-player iframe") is None, "no embed that cannot play"


def test_without_javascript_each_timestamp_is_a_link(server, visit):
    browsing = visit(java_script_enabled=False)
    page = browsing.page()
    page.goto(server + GUIDE)
    hrefs = page.eval_on_selector_all("a[data-seconds]", "links => links.map(link => link.href)")
    assert len(hrefs) == 20 and all(href.startswith(f"{WATCH}&t=") for href in hrefs)
    assert page.query_selector(".videoguide-facade").get_attribute("href") == WATCH
    page.click("a[data-seconds='173']", no_wait_after=True)
    page.wait_for_timeout(500)
    assert f"{WATCH}&t=173s" in browsing.outside


@pytest.mark.parametrize("guide", [GUIDE, ZH_GUIDE], ids=["en", "zh-CN"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("device", "width", "height"), [("desktop", 1280, 900), ("phone", 390, 844)])
def test_screenshots_of_the_guide(site, visit, scheme, device, width, height, guide):
    page = visit(viewport={"width": width, "height": height}, color_scheme=scheme).page()
    page.goto((site / guide).as_uri())
    path = artifact(f"guide-{guide.split('/')[0]}-{device}-{scheme}.png")
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    dark = sum(int(part) for part in background[background.index("(") + 1 : -1].split(",")[:3]) < 200
    assert dark is (scheme == "dark")
