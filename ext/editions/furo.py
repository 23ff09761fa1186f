"""furo's words in the edition's language: its templates, and the one label it writes in Python.

furo writes some words straight into its templates, outside ``_()``: the
labels of its sidebar and theme toggles, the titles of its icons, the footer's
credit ("@pradyunsg's Furo").  Screen readers speak them, so an edition in
another language would read English there.  ``templates/furo/`` holds furo's
``page.html`` and ``partials/icons.html`` with those words through ``_()``
(their translations are in the site's ``sphinx.po``, where the theme's other
words are); the editions extension puts the folder on ``templates_path`` when
the theme is furo.

What cannot be done in a template: furo builds its navigation tree in Python
(``furo/navigation.py``) and labels every expand toggle "Toggle navigation of
<title>".  That label is translated in the page context, before the page is
written.

Both are copies of, or matches on, furo's own output, so they are tied to the
furo release they were made from (``FURO_RELEASE``): a build with another
release warns (``-W`` makes it an error), and tests/ext/test_furo_templates.py
fails, until the templates are copied again and the release updated.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.locale import get_translation
from sphinx.util import logging

CATALOG = "editions"
_ = get_translation(CATALOG)
logger = logging.getLogger(__name__)

#: The furo release ``templates/furo/`` was copied from.
FURO_RELEASE = "2025.12.19"
TEMPLATES = Path(__file__).parent / "templates" / "furo"
#: furo/navigation.py's label of each expand toggle of its navigation tree.
NAVIGATION_OF = re.compile(r'(aria-label|title)="Toggle navigation of ([^"]*)"')


def installed_furo() -> str | None:
    try:
        import furo
    except ImportError:
        return None
    return furo.__version__


def use_furo_templates(app: Sphinx, config: Config) -> None:
    """furo's templates with their words translatable, when the theme is furo."""
    if config.html_theme != "furo":
        return
    config.templates_path = [*config.templates_path, str(TEMPLATES)]  # never the shared default list
    release = installed_furo()
    if release != FURO_RELEASE:
        logger.warning(
            "furo %s is installed, but editions/templates/furo/ was copied from furo %s: "
            "copy its page.html and partials/icons.html again and set FURO_RELEASE",
            release,
            FURO_RELEASE,
            type="editions",
            subtype="furo",
        )


def translated_navigation(html: str) -> str:
    """furo's navigation tree with its toggles' labels in the edition's language."""
    navigation = _("Toggle navigation of {title}")
    return NAVIGATION_OF.sub(lambda found: f'{found[1]}="{navigation.format(title=found[2])}"', html)


def translate_navigation(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.config.language == app.config.editions_source_language:
        return
    if isinstance(context.get("furo_navigation_tree"), str):
        context["furo_navigation_tree"] = translated_navigation(context["furo_navigation_tree"])


def setup_furo(app: Sphinx) -> None:
    app.add_message_catalog(CATALOG, str(Path(__file__).parent / "locale"))
    app.connect("config-inited", use_furo_templates, priority=110)  # after the edition's own settings
    app.connect("html-page-context", translate_navigation, priority=600)  # after furo built the tree
