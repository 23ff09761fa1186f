"""The answer first: a box at the top of each application page with what the page measured.

A reader comes to an application page with a question (its title: "Can a
network clean noisy micrographs better than BM3D?") and should not have to
scroll past tuning loops for the answer.  The box, put before the page's
first section, gives the verdicts of this build (written from the numbers
the page's comparison carries, so it never says more than was measured),
defines each metric in one line with its direction, and says in one sentence
what the main verdict means for a scientist's own images.  The code, tables
and figures that measured it follow.
"""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes
from sphinx.locale import get_translation
from sphinx.transforms import SphinxTransform

from .reference import comparisons, is_application, worded_here
from .results import AHEAD, BEHIND, verdict_sentence

CATALOG = "dlis_gallery"
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
    return text.format(best=verdict["best"])


def answer_box(comparison: dict, profile: str | None) -> nodes.container:
    box = nodes.container(classes=["dlis-answer"])
    title = _("The answer, measured in this build ({profile} profile)").format(profile=profile or "?")
    box += nodes.paragraph("", "", nodes.strong(title, title))
    for verdict in comparison["verdicts"]:
        sentence = verdict_sentence(verdict, comparison["items"], comparison["against"], _)
        kind = "dlis-" + verdict["outcome"].replace(" ", "-")
        box += nodes.paragraph(sentence, sentence, classes=["dlis-verdict", kind])
    said = advice(comparison["verdicts"][0], _)
    box += nodes.paragraph(said, said)
    shown = " ".join(comparison["metrics"]) + " " + " ".join(v["metric"] for v in comparison["verdicts"])
    definitions = nodes.bullet_list()
    for word, definition in metric_definitions(_):
        if word in shown:
            definitions += nodes.list_item("", nodes.paragraph(definition, definition))
    box += definitions
    return worded_here(box)


class AnswerFirst(SphinxTransform):
    """The answer box before the first section of every application page that measured one."""

    default_priority = 18  # after ComparisonsOnPages (17) kept the page's comparison

    def apply(self, **kwargs) -> None:
        if not is_application(self.env.docname):
            return
        comparison = comparisons(self.env).get(self.env.docname)  # kept by ComparisonsOnPages
        page = next(iter(self.document.findall(nodes.section)), None)
        if comparison is None or page is None:
            return
        box = answer_box(comparison, getattr(self.env, "dlis_gallery_profile", None))
        sections = [child for child in page.children if isinstance(child, nodes.section)]
        page.insert(page.index(sections[0]) if sections else len(page.children), box)


def setup_answer_box(app) -> None:
    """Needs :func:`dlis_gallery.reference.setup_reference`, which keeps each page's comparison."""
    app.add_transform(AnswerFirst)
