"""Advice that follows this build's verdicts: a recommendation is chosen by the numbers it rests on.

A sentence such as "train a network on your pairs" is only honest while the
page it points to measures the network ahead.  The directive ``dlis-advice``
holds two paragraphs, the advice when the condition holds and the advice
when it does not, and names the page and the metric of the main comparison
(trained and tested on the reader's kind of sample) it rests on:

.. code-block:: rst

   .. dlis-advice:: auto_examples/applications/plot_denoising
      :metric: Poisson PSNR (dB)

      Train a network on those pairs: ...

      Tune BM3D on your noise first: ...

The condition is that the network is ahead on that metric, and that no seed
the bench recorded takes the win back (:mod:`gallery_pages.seed_verdicts`);
with ``:best-among:`` (names of classical methods, comma-separated) it is
instead that the best classical method is one of them.  Once every page is
read, the paragraph that holds is kept and this build's verdict follows it
in the build's language, so the advice and its evidence sit together.  Both
paragraphs are in the page's catalog (the gettext builder keeps both); a
build that ran no examples says it has no verdict to choose by.  ``dlis-summary`` writes one sentence
counting the main verdicts of every application page, for the landing page.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.locale import get_translation
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from dlis_gallery.results import AHEAD, MAIN, verdict_sentence

from .reference import is_application, measured
from .scoreboard import scoreboard_pages
from .seed_verdicts import changes_with_the_seed, seed_outcomes

CATALOG = "gallery_pages"
_ = get_translation(CATALOG)
logger = logging.getLogger(__name__)
ADVICE = "dlis-advice"
SUMMARY = "dlis-summary"


class AdviceDirective(SphinxDirective):
    """``dlis-advice``: the paragraph of advice that this build's verdict supports."""

    required_arguments = 1
    has_content = True
    option_spec = {"metric": directives.unchanged_required, "best-among": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        box = nodes.container(classes=[ADVICE])
        self.state.nested_parse(self.content, self.content_offset, box)
        paragraphs = [child for child in box.children if isinstance(child, nodes.paragraph)]
        if len(paragraphs) != 2 or len(box.children) != 2:
            raise self.error(
                "dlis-advice holds two paragraphs: the advice when it holds, then when it does not"
            )
        box["page"] = self.arguments[0]
        box["metric"] = self.options["metric"]
        box["best_among"] = [
            name.strip() for name in self.options.get("best-among", "").split(",") if name.strip()
        ]
        box["source"], box["line"] = self.get_source_info()
        scoreboard_pages(self.env).add(self.env.docname)  # written again whenever a page changes
        return [box]


class SummaryDirective(SphinxDirective):
    """``dlis-summary``: how many main verdicts the network is ahead in, in one sentence."""

    def run(self) -> list[nodes.Node]:
        scoreboard_pages(self.env).add(self.env.docname)
        return [nodes.container(classes=[SUMMARY])]


def main_verdict(env, page: str, metric: str) -> tuple[dict, dict] | None:
    """``(comparison, verdict)`` of ``page``'s main comparison on ``metric``, or None."""
    for comparison in measured(env).get(page, {}).get("comparisons", []):
        if comparison["case"] != MAIN:
            continue
        for verdict in comparison["verdicts"]:
            if verdict["metric"] == metric:
                return comparison, verdict
    return None


def holds(env, page: str, verdict: dict, best_among: list[str]) -> bool:
    """Whether the first paragraph of the advice holds for this verdict."""
    if best_among:
        return verdict["best"] in best_among
    found = seed_outcomes(env, page, verdict["metric"])
    return verdict["outcome"] == AHEAD and not (found and changes_with_the_seed(found[0]))


def fill_advice(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.name == "gettext":  # both paragraphs go to the catalog
        return
    for box in list(doctree.findall(nodes.container)):
        if ADVICE in box["classes"]:
            _choose(app, box)
        elif SUMMARY in box["classes"]:
            box[:] = [nodes.paragraph("", summary_sentence(app.env))]


def _choose(app: Sphinx, box: nodes.container) -> None:
    if not any(is_application(page) for page in measured(app.env)):  # the gallery did not run
        unmeasured = _("This build ran no examples, so no verdict chooses this advice.")
        box[:] = [nodes.paragraph("", "", nodes.emphasis("", unmeasured))]
        return
    found = main_verdict(app.env, box["page"], box["metric"])
    if found is None:
        logger.warning(
            "dlis-advice: %s shows no main comparison on %r in this build",
            box["page"],
            box["metric"],
            location=f"{box['source']}:{box['line']}",
            type="dlis",
            subtype="advice",
        )
        box.parent.remove(box)
        return
    comparison, verdict = found
    held = holds(app.env, box["page"], verdict, box["best_among"])
    chosen = box.children[0 if held else 1]
    evidence = _("This build: {verdict}").format(
        verdict=verdict_sentence(verdict, comparison["items"], comparison["against"], _)
    )
    chosen += [nodes.Text(" "), nodes.emphasis("", evidence)]
    box[:] = [chosen]
    box["classes"].append("dlis-advice-" + ("holds" if held else "otherwise"))
    if box["best_among"]:
        box["classes"].append("dlis-advice-best-among")


def summary_sentence(env) -> str:
    """How many of the main verdicts the network is ahead in, and where."""
    ahead, others = [], []
    for page in sorted(page for page in measured(env) if is_application(page)):
        title = env.titles[page].astext()
        for comparison in measured(env)[page]["comparisons"]:
            if comparison["case"] != MAIN:
                continue
            for verdict in comparison["verdicts"]:
                named = f"{title} ({_(verdict['metric'])})"
                (ahead if holds(env, page, verdict, []) else others).append(named)
    return _(
        "In this build, trained and tested on its kind of sample, the network is ahead of the best "
        "classical method in {ahead} of {count} comparisons{where}."
    ).format(
        ahead=len(ahead),
        count=len(ahead) + len(others),
        where=_(": {pages}").format(pages=_(", ").join(ahead)) if ahead else "",
    )


def setup_advice(app: Sphinx) -> None:
    """Needs :func:`gallery_pages.scoreboard.setup_scoreboard` (pages written again on change)."""
    app.add_directive(ADVICE, AdviceDirective)
    app.add_directive(SUMMARY, SummaryDirective)
    app.connect("doctree-resolved", fill_advice)
