"""The words videoguide itself writes on a page ("Play video", "Author"), in the
page's language.

They live in the ``videoguide`` message catalog shipped in ``locale/`` (a
``.po`` file and its compiled ``.mo``), which Sphinx loads for the build's
``language``; a language without a catalog gets the English words.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.locale import get_translation

CATALOG = "videoguide"
LOCALE_DIR = Path(__file__).parent / "locale"

_ = get_translation(CATALOG)


def setup_messages(app: Sphinx) -> None:
    app.add_message_catalog(CATALOG, str(LOCALE_DIR))
