"""Links both ways between a guide's moments and the pages that illustrate them.

A page says which moment it illustrates with the ``timestamp`` role.  The guide
then shows, under the section or step of that moment, a card linking to the
page (the link back, from the page's timestamp to the guide section, is the
role's own: see ``role.py``).
Nothing is declared twice: a new example links itself.  A moment shown in
several places of a guide (the seed shows 00:17:50 three times) is placed by
the role's ``#anchor``, or, without one, under each of them.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from .messages import _
from .reading import guides
from .role import moments
from .store import SECTIONS


def illustrating_pages(env, guide: str, seconds: int, anchor: str) -> list[str]:
    """The pages whose timestamps cite ``guide`` at ``seconds`` for the element ``anchor``."""
    return sorted(
        {
            moment.page
            for cited in moments(env).values()
            for moment in cited
            if moment.guide == guide
            and moment.seconds == seconds
            and moment.anchor in ("", anchor)
            and moment.page != guide
        }
    )


def place_cards(app: Sphinx, doctree: nodes.document, guide: str) -> None:
    """Under each timestamped section or step of a guide, link the pages illustrating it."""
    if guide not in guides(app.env):
        return
    for element in list(doctree.findall(nodes.Element)):
        seconds = element.get("videoguide_seconds")
        if seconds is None:
            continue
        pages = illustrating_pages(app.env, guide, seconds, element["ids"][0])
        if pages:
            _place(element, _card(app, guide, pages))


def _card(app: Sphinx, guide: str, pages: list[str]) -> nodes.container:
    card = nodes.container(classes=["videoguide-examples"])
    line = nodes.paragraph()
    label = _("Run it: ")
    line += nodes.strong(label, label)
    for number, page in enumerate(pages):
        if number:
            line += nodes.Text(" · ")
        title = app.env.titles[page].astext()
        line += nodes.reference(title, title, internal=True, refuri=app.builder.get_relative_uri(guide, page))
    card += line
    return card


def _place(element: nodes.Element, card: nodes.container) -> None:
    """After a section's own text (before its subsections), or at a step's end."""
    if isinstance(element, nodes.section):
        subsection = next((child for child in element.children if isinstance(child, nodes.section)), None)
        if subsection is not None:
            element.insert(element.index(subsection), card)
            return
    element += card


def outdated_guides(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Guides must be rewritten when a page that may cite them changed."""
    if not (added or changed or removed):
        return []
    return [guide for guide in guides(env) if guide not in changed]


def setup_cards(app: Sphinx) -> None:
    SECTIONS.connect(app)
    app.connect("doctree-resolved", place_cards)
    app.connect("env-get-outdated", outdated_guides)
