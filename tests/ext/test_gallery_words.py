"""The gallery's sentences sphinx-gallery writes in English still match the patterns that
reword them in the build's language: a sphinx-gallery release that changes them fails here,
instead of leaving English in the Chinese edition unnoticed."""

from __future__ import annotations

import inspect

from sphinx_gallery import gen_rst
from sphinx_gallery.backreferences import THUMBNAIL_TEMPLATE

from dlis_gallery.gallery_words import MEMORY, RUNNING_TIME, THUMBNAIL_TITLE, TOOLTIP


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
