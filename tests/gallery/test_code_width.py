"""Every line of code a gallery page shows fits the page's column at desktop width (88
characters: furo's column at 1280 px), so no code block scrolls sideways; the browser test
in tests/browser/test_answers.py measures the same on the built pages."""

from __future__ import annotations

import pytest
from sphinx_gallery.py_source_parser import remove_ignore_blocks, split_code_and_text_blocks

from tests.conftest import ROOT

WIDTH = 88
EXAMPLES = sorted((ROOT / "gallery").glob("*/plot_*.py"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_every_shown_line_of_code_fits_the_column(path):
    too_long = []
    for label, code, line in split_code_and_text_blocks(str(path))[1]:
        if label == "code":
            shown = remove_ignore_blocks(code).splitlines()
            too_long += [
                f"{path.name}:{line + i}"
                for i, text in enumerate(code.splitlines())
                if len(text) > WIDTH and text in shown
            ]
    assert too_long == []
