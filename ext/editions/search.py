"""Chinese search that works in the browser, and quietly.

Sphinx 9's Chinese search stems Latin words with the English stemmer, yet its
``language_data.js`` ends ``window.Stemmer = ChineseStemmer;``, a name that
script never defines: every page of a ``zh_CN`` build then throws, and the
search page finds nothing.  The subclass registered here names the stemmer it
ships.  jieba, which splits Chinese text into words for the index, logs its
start-up at DEBUG on stderr; it is told to keep quiet.
"""

from __future__ import annotations

import logging

from sphinx.application import Sphinx
from sphinx.search.zh import SearchChinese


class ChineseSearch(SearchChinese):
    """Sphinx's Chinese search, with the name of the stemmer it really ships."""

    language_name = "English"  # the stemmer's name: Latin words are stemmed as English


def quiet_jieba(app: Sphinx) -> None:
    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)


def setup_search(app: Sphinx) -> None:
    app.add_search_language(ChineseSearch)
    app.connect("builder-inited", quiet_jieba)
