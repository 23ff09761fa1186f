"""Unit tests of video URL handling."""

import pytest

from videoguide.youtube import is_http_url, link_at, youtube_video

VIDEO_ID = "qwZb0MLOgT8"


@pytest.mark.parametrize(
    "url",
    [
        f"https://www.youtube.com/watch?v={VIDEO_ID}",
        f"https://youtube.com/watch?v={VIDEO_ID}&list=abc",
        f"https://m.youtube.com/watch?feature=share&v={VIDEO_ID}",
        f"https://youtu.be/{VIDEO_ID}",
        f"https://www.youtube.com/embed/{VIDEO_ID}",
        f"https://www.youtube-nocookie.com/embed/{VIDEO_ID}",
        f"http://www.youtube.com/watch?v={VIDEO_ID}",
    ],
)
def test_every_youtube_url_form_names_the_video(url):
    assert youtube_video(url).video_id == VIDEO_ID


@pytest.mark.parametrize(
    "url",
    [
        f'https://www.youtube.com/watch?v={VIDEO_ID}"onmouseover="alert(1)',
        f"javascript:alert('{VIDEO_ID}')",
        f"https://vimeo.com/{VIDEO_ID}",
        "https://www.youtube.com/watch?v=short",
        f"https://www.youtube.com/watch?v={VIDEO_ID}&v=other000000",
        f"https://evil.example/watch?v={VIDEO_ID}",
        f"https://www.youtube.com/embed/{VIDEO_ID}/../x",
    ],
)
def test_anything_else_is_not_a_youtube_video(url):
    assert youtube_video(url) is None


def test_addresses_derived_from_the_id():
    video = youtube_video(f"https://youtu.be/{VIDEO_ID}")
    assert video.watch_url_at(173) == f"https://www.youtube.com/watch?v={VIDEO_ID}&t=173s"
    embed = video.embed_url(42)
    assert embed.startswith(f"https://www.youtube-nocookie.com/embed/{VIDEO_ID}?")
    assert "start=42" in embed


def test_timestamp_of_a_video_elsewhere_links_to_that_video():
    assert link_at("https://example.org/talk.mp4", 10) == "https://example.org/talk.mp4"


@pytest.mark.parametrize(
    ("url", "ok"),
    [("https://a.org/x", True), ("http://a.org", True), ("javascript:alert(1)", False), ("/local", False)],
)
def test_only_http_urls_are_links(url, ok):
    assert is_http_url(url) is ok
