"""The gallery's sentences sphinx-gallery writes in English still match the patterns that
reword them in the build's language: a sphinx-gallery release that changes them fails here,
instead of leaving English in the Chinese edition unnoticed."""

from __future__ import annotations

import inspect

from sphinx_gallery import gen_rst
from sphinx_gallery.backreferences import THUMBNAIL_TEMPLATE

from gallery_pages.gallery_words import MEMORY, RUNNING_TIME, THUMBNAIL_TITLE, TOOLTIP


def test_the_running_time_sentence():
    sentence = gen_rst.TIMING_CONTENT.format(1, 23.4567)
    assert "sphx-glr-timing" in sentence
    assert RUNNING_TIME.search(sentence).groupdict() == {"minutes": "1", "seconds": "23.457"}


def test_the_memory_sentence():
    written = inspect.getsource(gen_rst.save_rst_example)
    assert 'f"**Estimated memory usage:** {memory_used: .0f} MB' in written
    assert MEMORY.match(f"Estimated memory usage: {310.4: .0f} MB")["megabytes"] == "310"


def test_the_thumbnail_html():
    thumbnail = THUMBNAIL_TEMPLATE.format(
        tags="", intro="An intro", thumbnail="t.png", doc_name="plot_a", title="A title"
    )
    assert TOOLTIP.search(thumbnail)[0] == 'tooltip="An intro"'
    assert THUMBNAIL_TITLE.search(thumbnail)[0] == '<div class="sphx-glr-thumbnail-title">A title</div>'


def test_the_figures_sphinx_writes_for_the_gallery_match_the_english_mark(build_site, tmp_path):
    """Sphinx's image writer has no language attribute, so the mark is added to the page's
    HTML (``mark_english_figures``); this fails when the written <img> no longer matches."""
    from PIL import Image

    from gallery_pages.gallery_words import FIGURE

    page = "Example\n=======\n\n.. image:: fig.png\n   :alt: a held-out picture\n"
    page += "   :class: sphx-glr-single-img\n"
    (tmp_path / "src").mkdir()
    Image.new("L", (4, 4)).save(tmp_path / "src" / "fig.png")  # build_site's project folder
    html = build_site({"example.rst": page}, conf='extensions = []\nhtml_theme = "basic"\n').html("example")
    assert len(FIGURE.findall(html)) == 1 and 'lang="' not in html.split("<body", 1)[1]
