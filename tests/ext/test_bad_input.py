"""Build tests: bad and hostile guides get clear messages and safe HTML."""

import re

import pytest

from tests.conftest import guide

SCRIPT = "<script>alert(1)</script>"


def _warning_at(site, filename: str, line: int, text: str) -> str:
    """The one warning that names ``filename:line`` and contains ``text``."""
    found = [w for w in site.warning_lines() if f"{filename}:{line}:" in w and text in w]
    assert found, f"no warning '{text}' at {filename}:{line} in {site.warning_lines()}"
    return found[0]


def _no_traceback(site) -> None:
    assert "Traceback" not in site.warnings


def test_hostile_text_in_every_field_is_escaped(build_site):
    text = f"""---
title: "T {SCRIPT}"
header: "H {SCRIPT}"
intro_text: "I {SCRIPT}"
video_url: https://youtu.be/abcdefghijk
footer:
  author: "A {SCRIPT}"
  social_link: https://example.org/?q="><script>alert(2)</script>
  social_text: "S {SCRIPT}"
  copyright_year: "2024"
  copyright_text: "C {SCRIPT}"
---

## Heading {SCRIPT} [00:10]

1. **Step {SCRIPT} [00:20]** body
"""
    site = build_site({"g.md": text})
    _no_traceback(site)
    html = site.html("g")
    assert "<script>alert" not in html
    page = site.page("g")
    for script in page.find_all("script"):
        assert "alert" not in script.text
    assert f"H {SCRIPT}" in page.find("h1").text
    assert f"I {SCRIPT}" in page.select_one(".videoguide-intro").text
    assert f"T {SCRIPT}" in page.select_one(".videoguide-player")["data-video-title"]
    footer = page.select_one("footer").text
    for value in ("A", "S", "C"):
        assert f"{value} {SCRIPT}" in footer
    social = page.select_one("footer a")
    assert social["href"] == 'https://example.org/?q="><script>alert(2)</script>'


def test_raw_html_in_a_guide_body_is_shown_as_text_with_a_warning(build_site):
    text = guide() + f"\n{SCRIPT}\n\nInline <img src=x onerror=alert(3)> here.\n"
    site = build_site({"g.md": text})
    _no_traceback(site)
    assert "<script>alert" not in site.html("g")
    assert "<img src" not in site.html("g")
    assert SCRIPT in site.page("g").get_text()
    assert "raw HTML" in "".join(site.warning_lines())


def test_javascript_links_are_never_emitted(build_site):
    text = (
        guide(video_url="'javascript:alert(1)'")
        + '\nSee <a href="javascript:alert(4)">this</a> and <a href="https://ok.example/">that</a>.\n'
    )
    site = build_site({"g.md": text})
    _no_traceback(site)
    page = site.page("g")
    hrefs = [a.get("href", "") for a in page.find_all("a")]
    assert not any(href.lower().startswith("javascript") for href in hrefs)
    assert "https://ok.example/" in hrefs
    assert page.find(string=re.compile("this")) is not None
    _warning_at(site, "g.md", 7, "'video_url' must be an http(s) URL")
    assert any("only http(s) links are kept" in w for w in site.warning_lines())


def test_quotes_in_the_video_url_cannot_break_out(build_site):
    url = 'https://www.youtube.com/watch?v=abcdefghijk" onmouseover="alert(5)'
    site = build_site({"g.md": guide(video_url=f"'{url}'")})
    _no_traceback(site)
    page = site.page("g")
    assert page.find(attrs={"onmouseover": True}) is None
    assert page.select_one(".videoguide-player") is None
    _warning_at(site, "g.md", 7, "is not a YouTube watch, youtu.be or embed URL")
    assert page.select_one(".videoguide-video-link a")["href"] == url


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        (
            "title: T\nvideo_url: https://youtu.be/abcdefghijk\ntitel: oops\n",
            4,
            "unknown front matter key 'titel'",
        ),
        ("title: 12\nvideo_url: https://youtu.be/abcdefghijk\n", 2, "'title' must be text"),
        ("header: only a header\n", 1, "front matter has no 'title'"),
        ("title: T\nheader: H\n", 1, "front matter has no 'video_url'"),
        ("title: T\nvideo_url: https://youtu.be/abcdefghijk\nlanguage: 'zh CN'\n", 4, "BCP 47"),
        (
            "title: T\nvideo_url: https://youtu.be/abcdefghijk\ncss_path: /series/missing.css\n",
            4,
            "not a file",
        ),
        ("title: T\nvideo_url: https://vimeo.com/123\n", 3, "is not a YouTube watch"),
        ("title: T\nvideo_url: [unclosed\nheader: x\n", 4, "not valid YAML"),
    ],
)
def test_each_bad_front_matter_names_file_and_line(build_site, front, line, message):
    text = f"---\n{front}---\n\n---- Tutorial Content Start ----\n## Part [00:10]\n\nBody text.\n"
    site = build_site({"g.md": text})
    _no_traceback(site)
    _warning_at(site, "g.md", line, message)
    assert "Body text." in site.page("g").get_text(), "the rest of the page still builds"


@pytest.mark.parametrize(
    ("heading", "message"),
    [("[00:61:00]", "out of range"), ("[00:02:60]", "out of range"), ("[0:2:53]", "malformed")],
)
def test_bad_timestamps_are_reported_at_their_line(build_site, heading, message):
    text = guide().replace("### First idea [00:01:05]", f"### First idea {heading}")
    site = build_site({"g.md": text})
    _no_traceback(site)
    _warning_at(site, "g.md", 19, message)
    assert "First idea" in site.page("g").get_text()


def test_bad_timestamp_in_a_step_is_reported(build_site):
    text = guide().replace("**Step one [01:02:03]**", "**Step one [01:99:03]**")
    site = build_site({"g.md": text})
    _warning_at(site, "g.md", 23, "out of range")


def test_warnings_fail_a_strict_build(tmp_path, build_site):
    from sphinx.cmd.build import build_main

    site = build_site({"g.md": guide().replace("[00:01:05]", "[00:61:05]")})
    src = site.outdir.parents[1] / "src"
    assert build_main(["-W", "-q", "-b", "html", str(src), str(tmp_path / "strict")]) != 0
