"""Build tests: the ``timestamp`` role links to a moment from any page."""

from tests.conftest import guide


def test_role_in_markdown_and_rst_links_to_the_named_guide(build_site):
    site = build_site(
        {
            "guides/one.md": guide(video_url="https://youtu.be/aaaaaaaaaaa"),
            "guides/two.md": guide(title="Two", video_url="https://youtu.be/bbbbbbbbbbb"),
            "notes.md": "# Notes\n\nSee {timestamp}`00:02:53 </guides/two>` for filtering.\n",
            "example.rst": "Example\n=======\n\nAt :timestamp:`01:37 <guides/one>` the video shows it.\n",
        }
    )
    assert site.warning_lines() == []
    notes = site.page("notes").find("a", attrs={"data-seconds": "173"})
    assert notes.text == "00:02:53"
    assert notes["href"] == "https://www.youtube.com/watch?v=bbbbbbbbbbb&t=173s"
    example = site.page("example").find("a", attrs={"data-seconds": "97"})
    assert example["href"] == "https://www.youtube.com/watch?v=aaaaaaaaaaa&t=97s"


def test_role_inside_a_guide_needs_no_target(build_site):
    text = guide() + "\nJump to {timestamp}`00:30` directly.\n"
    site = build_site({"g.md": text})
    assert site.warning_lines() == []
    link = site.page("g").find("a", attrs={"data-seconds": "30"})
    assert link["href"] == "https://www.youtube.com/watch?v=abcdefghijk&t=30s"


def test_role_naming_no_guide_is_a_warning_with_its_line(build_site):
    site = build_site({"notes.md": "# Notes\n\nText.\n\nSee {timestamp}`00:10 </nowhere>`.\n"})
    warnings = site.warning_lines()
    assert any("notes.md:5" in w and "'nowhere', which is not a guide" in w for w in warnings), warnings
    assert "00:10" in site.page("notes").get_text()


def test_role_with_a_bad_time_is_a_warning(build_site):
    site = build_site({"g.md": guide() + "\nJump to {timestamp}`00:99`.\n"})
    assert any("out of range" in w for w in site.warning_lines())
