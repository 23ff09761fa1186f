"""The answer first: a box at the top of each application page with what the page measured.

A reader comes to an application page with a question (its title: "Can a
network clean noisy micrographs better than BM3D?") and should not have to
scroll past tuning loops for the answer.  The box, put before the page's
first section, gives the verdicts of this build (written from the numbers
the page's comparisons carry, so it never says more than was measured):
first on the reader's kind of sample, with what the recorded seeds gave
(:mod:`gallery_pages.seed_verdicts`) and where the sweep found that the
network pays off, then on another kind of image (domain shift).  It defines
each metric in one line with its direction, and says in one sentence what the
main verdict means for a scientist's own images, never more than a seed
would keep.  The code, tables and figures that measured it follow.
"""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes
from sphinx.locale import get_translation
from sphinx.transforms import SphinxTransform

from dlis_gallery.results import AHEAD, BEHIND, CASES, MAIN, case_words, verdict_sentence
from dlis_gallery.sweeps import sweep_sentence

from .reference import is_application, measured, recorded_of_page, worded_here
from .seed_verdicts import seed_outcomes, seeds_measured, seeds_sentence, steady_outcome

CATALOG = "gallery_pages"
_ = get_translation(CATALOG)


def metric_definitions(_: Callable[[str], str]) -> list[tuple[str, str]]:
    """(a word a metric's name contains, its one-line definition), in the build's language."""
    return [
        (
            "PSNR",
            _(
                "PSNR (peak signal-to-noise ratio, in dB): how close the result is to the true "
                "image; 3 dB more is half the squared error. Higher is better."
            ),
        ),
        (
            "SSIM",
            _(
                "SSIM (structural similarity, 0 to 1): how alike the local contrast and structure "
                "of the result and the true image are. Higher is better."
            ),
        ),
        (
            "IoU",
            _(
                "IoU (intersection over union, 0 to 1): the overlap of the labelled and the true "
                "area of a class, averaged over the classes. Higher is better."
            ),
        ),
        (
            "F1",
            _(
                "F1 (0 to 1): balances precision, the share of detections that are real, and "
                "recall, the share of true objects found. Higher is better."
            ),
        ),
        (
            "recall",
            _("Recall (0 to 1): the share of true objects found. Higher is better."),
        ),
    ]


def advice(verdict: dict, _: Callable[[str], str]) -> str:
    """What the main verdict means for a scientist's own images."""
    if verdict["outcome"] == AHEAD:
        text = _(
            "For images like these, the network is worth training: on pairs from your own "
            "instrument, with {best}, tuned as here, as the check it must beat."
        )
    elif verdict["outcome"] == BEHIND:
        text = _(
            "For images like these, start with {best}, tuned as here: it beat this network. "
            "A network needs more training (the full profile) or images closer to yours."
        )
    else:
        text = _(
            "For images like these, {best}, tuned as here, does as well as this network and "
            "needs no training: start with it."
        )
    return text.format(best=_(verdict["best"]))


def answer_box(env, docname: str, found: dict, profile: str | None) -> nodes.container:
    """The box: each comparison's verdicts (your kind of sample first), what the recorded
    seeds gave, where the sweep found the network pays off, the advice, the metrics."""
    box = nodes.container(classes=["dlis-answer"])
    title = _("The answer, measured in this build ({profile} profile)").format(profile=profile or "?")
    box += nodes.paragraph("", "", nodes.strong(title, title))
    comparisons = sorted(found["comparisons"], key=lambda comparison: CASES.index(comparison["case"]))
    for comparison in comparisons:
        case = case_words(comparison["case"], _)
        box += nodes.paragraph("", "", nodes.emphasis(case, case), classes=["dlis-case"])
        for verdict in comparison["verdicts"]:
            sentence = verdict_sentence(verdict, comparison["items"], comparison["against"], _)
            kind = "dlis-" + verdict["outcome"].replace(" ", "-")
            box += nodes.paragraph(sentence, sentence, classes=["dlis-verdict", kind])
            seeds = seed_outcomes(env, docname, verdict["metric"]) if comparison["case"] == MAIN else None
            if seeds:
                said = seeds_sentence(seeds_measured(env, docname), *seeds, _)
                box += nodes.paragraph(said, said, classes=["dlis-seeds"])
        if comparison["case"] == MAIN:
            for swept in found["sweeps"]:
                said = sweep_sentence(swept, _)
                box += nodes.paragraph(said, said, classes=["dlis-sweep-sentence"])
            main = comparison["verdicts"][0]
            seeds = seed_outcomes(env, docname, main["metric"])
            said = advice({**main, "outcome": steady_outcome(main["outcome"], seeds and seeds[0])}, _)
            box += nodes.paragraph(said, said)
    shown = " ".join(
        " ".join(comparison["metrics"]) + " " + " ".join(v["metric"] for v in comparison["verdicts"])
        for comparison in comparisons
    )
    definitions = nodes.bullet_list()
    for word, definition in metric_definitions(_):
        if word in shown:
            definitions += nodes.list_item("", nodes.paragraph(definition, definition))
    box += definitions
    return worded_here(box)


class AnswerFirst(SphinxTransform):
    """The answer box before the first section of every application page that measured one."""

    default_priority = 18  # after ComparisonsOnPages (17) kept the page's comparisons

    def apply(self, **kwargs) -> None:
        if not is_application(self.env.docname):
            return
        found = measured(self.env).get(self.env.docname)  # kept by ComparisonsOnPages
        page = next(iter(self.document.findall(nodes.section)), None)
        if found is None or page is None:
            return
        recorded_of_page(self.env, "dlis_recorded_seeds")
        profile = getattr(self.env, "dlis_gallery_profile", None)
        box = answer_box(self.env, self.env.docname, found, profile)
        sections = [child for child in page.children if isinstance(child, nodes.section)]
        page.insert(page.index(sections[0]) if sections else len(page.children), box)


def setup_answer_box(app) -> None:
    """Needs :func:`gallery_pages.reference.setup_reference`, which keeps each page's comparison."""
    app.add_transform(AnswerFirst)
