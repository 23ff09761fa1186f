"""Unit tests of front matter reading and validation."""

import pytest

from tests.conftest import SEED
from videoguide.frontmatter import FrontMatterError, GuideMeta, read_front_matter, validate


def _validated(text: str):
    return validate(read_front_matter(text))


def _problems(text: str) -> list[tuple[int, str]]:
    return [(problem.line, problem.message) for problem in _validated(text)[1]]


def test_seed_front_matter_is_valid_and_complete():
    meta, problems = _validated(SEED.read_text("utf-8"))
    assert problems == []
    assert meta.title == meta.header == "Dragonfly Daily 15: Deep Learning for Imaging Scientists"
    assert meta.video_url == "https://www.youtube.com/watch?v=qwZb0MLOgT8"
    assert meta.css_path == "dragonfly3dworld/design.css"
    assert meta.js_path == "dragonfly3dworld/interactive.js"
    assert meta.language == "zh-CN"
    assert meta.intro_text.startswith("This guide offers")
    assert meta.footer.author == "Dragonfly"
    assert meta.footer.social_link == "https://x.com/ai_dragonfly"
    assert meta.footer.social_text == "Twitter/X"
    assert meta.footer.copyright_year == "2025"
    assert meta.footer.copyright_text == "copyright"


def test_the_meta_is_frozen():
    meta, _ = _validated("---\ntitle: T\nvideo_url: https://youtu.be/abcdefghijk\n---\n")
    with pytest.raises(AttributeError):
        meta.title = "changed"


def test_no_front_matter_is_none():
    assert read_front_matter("# Just a page\n") is None


def test_invalid_yaml_names_its_line():
    with pytest.raises(FrontMatterError) as caught:
        read_front_matter("---\ntitle: fine\nvideo_url: [unclosed\nheader: x\n---\nbody\n")
    assert "not valid YAML" in caught.value.message
    assert caught.value.line in (3, 4)


def test_unclosed_front_matter_is_reported():
    with pytest.raises(FrontMatterError, match="not closed"):
        read_front_matter("---\ntitle: x\n")


def test_unknown_key_suggests_the_known_one_with_its_line():
    problems = _problems("---\ntitle: T\nvideo_url: https://youtu.be/abcdefghijk\ntitel: typo\n---\n")
    assert problems == [(4, problems[0][1])]
    assert "unknown front matter key 'titel'" in problems[0][1]
    assert "did you mean 'title'" in problems[0][1]


def test_unknown_footer_key_is_named_with_its_path():
    text = "---\ntitle: T\nvideo_url: https://youtu.be/abcdefghijk\nfooter:\n  autor: Ada\n---\n"
    ((line, message),) = _problems(text)
    assert line == 5
    assert "'footer.autor'" in message and "did you mean 'footer.author'" in message


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("title: 42", "'title' must be text, not int"),
        ("title: [a, b]", "'title' must be text, not a list"),
        ("footer: just text", "'footer' must be a mapping"),
        ("language: not a tag!", "'language' must be a BCP 47 language tag"),
        ("css_path: ../../etc/passwd", "'css_path' must be a path to a file shipped with the site"),
        ("js_path: https://cdn.example/x.js", "'js_path' must be a path to a file shipped with the site"),
        ("header: ''", "'header' must not be empty"),
    ],
)
def test_wrong_values_are_reported_on_their_line(line, expected):
    text = f"---\nvideo_url: https://youtu.be/abcdefghijk\ntitle: ok\n{line}\n---\n"
    if line.startswith("title"):
        text = f"---\nvideo_url: https://youtu.be/abcdefghijk\n{line}\n---\n"
    problems = _problems(text)
    assert any(expected in message for _, message in problems), problems
    assert all(number in (3, 4) for number, _ in problems)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>", "//evil.example/x"])
def test_links_must_be_http(url):
    text = f"---\ntitle: T\nvideo_url: '{url}'\nfooter:\n  social_link: '{url}'\n---\n"
    meta, problems = _validated(text)
    assert meta.video_url is None and meta.footer.social_link is None
    assert [p.line for p in problems if "http(s)" in p.message] == [3, 5]


def test_missing_required_keys_are_reported():
    messages = [message for _, message in _problems("---\nheader: H\n---\n")]
    assert any("no 'title'" in message for message in messages)
    assert any("no 'video_url'" in message for message in messages)


def test_year_may_be_written_unquoted():
    meta, problems = _validated(
        "---\ntitle: T\nvideo_url: https://youtu.be/abcdefghijk\nfooter:\n  copyright_year: 2025\n---\n"
    )
    assert problems == []
    assert meta.footer.copyright_year == "2025"


def test_heading_falls_back_to_title():
    assert GuideMeta(title="T").heading == "T"
    assert GuideMeta(title="T", header="H").heading == "H"
