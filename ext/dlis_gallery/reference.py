"""The full profile's recorded results beside a build's own, and the scoreboard of both.

A site built on a CPU trains its networks briefly (the quick profile); the
full profile needs a GPU.  A GPU run (``benchmarks/gpu-gallery.sh``) records
what every example measured, and ``gallery/reference/full.json`` keeps it
(``dlis_recorded_results``).  Here every gallery page built in another profile
gets a box "Full profile, measured on <device> on <date>" after its own
numbers: the recorded verdicts and the example's wall time, marked as from an
earlier version when the example's source has changed since.  The directive
``dlis-scoreboard`` lists every application: this build's verdict and the
recorded one.  Its words come from the ``dlis_gallery`` catalog.

This build's comparisons are read from the pages themselves (the HTML each
example showed carries its numbers), so the scoreboard needs no other record.
"""

from __future__ import annotations

import hashlib
import html
import json
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.locale import get_translation
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxDirective

from .guide_order import GuideOrder
from .page_results import RESULTS, parse_results
from .results import AHEAD, BEHIND, confidence_words, number, verdict_sentence
from .run import Table

CATALOG = "dlis_gallery"
_ = get_translation(CATALOG)
#: The gallery group whose pages the scoreboard lists.
APPLICATIONS = "applications"


def is_application(docname: str) -> bool:
    """Whether ``docname`` is a page of the applications gallery."""
    return docname.split("/")[-2:-1] == [APPLICATIONS]


def recorded_results(env) -> dict:
    """The recorded run (``{"run": ..., "examples": ...}``), or an empty one."""
    path = Path(env.srcdir, env.config.dlis_recorded_results)
    if not env.config.dlis_recorded_results or not path.is_file():
        return {"run": {}, "examples": {}}
    return json.loads(path.read_text("utf-8"))


def recorded_results_of_page(env) -> dict:
    """The recorded run, as the page being read uses it: a new record re-reads that page
    (a first one needs a fresh build, as the file did not exist to depend on)."""
    recorded = recorded_results(env)
    if recorded["run"]:
        env.note_dependency(str(Path(env.srcdir, env.config.dlis_recorded_results)))
    return recorded


def example_key(docname: str) -> str:
    """``auto_examples/applications/plot_x`` -> ``applications/plot_x.py``, as records name it."""
    return docname.split("/", 1)[-1] + ".py"


def is_stale(env, docname: str, entry: dict) -> bool:
    """Whether the example changed since it was recorded (sphinx-gallery copies the
    source it ran beside the page)."""
    source = Path(env.srcdir, docname + ".py")
    return not source.is_file() or hashlib.sha256(source.read_bytes()).hexdigest() != entry["source_sha256"]


class RecordedResults(SphinxTransform):
    """A box with the full profile's recorded results after the page's own numbers."""

    default_priority = 16

    def apply(self, **kwargs) -> None:
        if getattr(self.env, "dlis_gallery_profile", None) == "full":
            return  # the page's own numbers are the full profile's
        recorded = recorded_results_of_page(self.env)
        entry = recorded["examples"].get(example_key(self.env.docname))
        if not entry or not entry.get("record"):
            return
        shown = [raw for raw in self.document.findall(nodes.raw) if "dlis-results" in raw.astext()]
        shown = shown or [raw for raw in self.document.findall(nodes.raw) if "dlis-table" in raw.astext()]
        if shown:
            box = recorded_box(recorded["run"], entry, is_stale(self.env, self.env.docname, entry))
            shown[0].parent.insert(shown[0].parent.index(shown[0]) + 1, box)


def recorded_box(run: dict, entry: dict, stale: bool) -> nodes.container:
    """The box: where and when the full profile was measured, its verdicts (or its
    tables), its wall time, and a note when the example has changed since."""
    record = entry["record"]
    title = _("Full profile, measured on {device} on {date}").format(device=run["device"], date=run["date"])
    box = nodes.container(classes=["dlis-recorded"])
    box += nodes.paragraph("", "", nodes.strong(title, title))
    comparison = record.get("comparison")
    if comparison:
        for verdict in comparison["verdicts"]:
            sentence = verdict_sentence(verdict, comparison["items"], comparison["against"], _)
            box += nodes.paragraph(sentence, sentence)
    else:
        for name, rows in record["tables"].items():
            box += nodes.raw("", Table(name, rows)._repr_html_(), format="html")
    wall = _("The example ran for {seconds} s there.").format(seconds=f"{entry['wall_s']:.0f}")
    box += nodes.paragraph(wall, wall)
    if stale:
        note = _("This record is from an earlier version of this example: its source has changed since.")
        box += nodes.paragraph(note, note, classes=["dlis-stale"])
    return worded_here(box)


def worded_here(box: nodes.Element) -> nodes.Element:
    """``box`` with its paragraphs kept from the pages' catalogs: they are worded
    here, through ours, in the build's language."""
    for paragraph in box.findall(nodes.paragraph):
        paragraph["translatable"] = False
    return box


class ComparisonsOnPages(SphinxTransform):
    """Keep each gallery page's comparison (its numbers) for the scoreboard and the answer box."""

    default_priority = 17

    def apply(self, **kwargs) -> None:
        for raw in self.document.findall(nodes.raw):
            found = RESULTS.search(raw.astext())
            if found:
                comparisons(self.env)[self.env.docname] = parse_results(found)


def comparisons(env) -> dict:
    """This build's comparison of each page that shows one, by docname."""
    if not hasattr(env, "dlis_comparisons"):
        env.dlis_comparisons = {}
    return env.dlis_comparisons


def scoreboard_pages(env) -> set:
    """The pages with a scoreboard."""
    if not hasattr(env, "dlis_scoreboard_pages"):
        env.dlis_scoreboard_pages = set()
    return env.dlis_scoreboard_pages


def purge_page(app, env, docname: str) -> None:
    comparisons(env).pop(docname, None)
    scoreboard_pages(env).discard(docname)


def merge_pages(app, env, docnames, other) -> None:
    comparisons(env).update({name: found for name, found in comparisons(other).items() if name in docnames})
    scoreboard_pages(env).update(scoreboard_pages(other) & set(docnames))


def outdated_scoreboards(app, env, added, changed, removed) -> list[str]:
    """A scoreboard is written again whenever a page it lists may have changed."""
    return sorted(scoreboard_pages(env)) if added | changed | removed else []


SCOREBOARD = "dlis-scoreboard"


class ScoreboardDirective(SphinxDirective):
    """``dlis-scoreboard``: every application, this build's verdict and the recorded one."""

    def run(self) -> list[nodes.Node]:
        recorded_results_of_page(self.env)
        scoreboard_pages(self.env).add(self.env.docname)
        return [nodes.container(classes=[SCOREBOARD])]  # filled once every page is read


def fill_scoreboards(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for placeholder in doctree.findall(nodes.container):
        if SCOREBOARD in placeholder["classes"]:
            placeholder[:] = [scoreboard_table(app, docname)]


def scoreboard_table(app: Sphinx, docname: str) -> nodes.raw:
    """The table: one row per verdict of each application page."""
    recorded = recorded_results(app.env)
    run = recorded["run"]
    full = _("Full profile, measured on {device} on {date}").format(**run) if run else _("Full profile")
    head = [_("Application"), _("Metric"), _("This build"), full]
    rows = []
    in_guide_order = GuideOrder(app.srcdir)
    for page in sorted(comparisons(app.env), key=lambda page: in_guide_order(page + ".py")):
        if not is_application(page):
            continue
        entry = recorded["examples"].get(example_key(page))
        recorded_verdicts = {}
        if entry and entry.get("record") and entry["record"].get("comparison"):
            stale = is_stale(app.env, page, entry)
            recorded_verdicts = {v["metric"]: (v, stale) for v in entry["record"]["comparison"]["verdicts"]}
        link = html.escape(app.builder.get_relative_uri(docname, page))
        title = html.escape(app.env.titles[page].astext())
        earlier = html.escape(_("(earlier version)"))
        for verdict in comparisons(app.env)[page]["verdicts"]:
            found, stale = recorded_verdicts.get(verdict["metric"], (None, False))
            if found:
                full_cell = _margin_cell(found) + (f" <em>{earlier}</em>" if stale else "")
            else:
                full_cell = html.escape(_("not recorded yet"))
            cells = [
                f"<a href='{link}'>{title}</a>",
                html.escape(verdict["metric"]),
                _margin_cell(verdict),
                full_cell,
            ]
            rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    header = "".join(f"<th scope='col'>{html.escape(cell)}</th>" for cell in head)
    caption = _(
        "The network against the best classical method: how much better it is (negative: worse), "
        "the {level} interval of that margin, and the verdict."
    ).format(level=confidence_words(_))
    return nodes.raw(
        "",
        "<div class='dlis-table-scroll'><table class='dlis-scoreboard'>"
        f"<caption>{html.escape(caption)}</caption><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody>"
        "</table></div>",
        format="html",
    )


def _margin_cell(verdict: dict) -> str:
    outcome = {AHEAD: _("ahead"), BEHIND: _("behind")}.get(verdict["outcome"], _("not distinguishable"))
    margin = f"{number(verdict['margin'])} [{number(verdict['low'])}, {number(verdict['high'])}]"
    kind = verdict["outcome"].replace(" ", "-")
    return f"{html.escape(margin)}<br><span class='dlis-outcome dlis-{kind}'>{html.escape(outcome)}</span>"


def setup_reference(app: Sphinx) -> None:
    app.add_config_value("dlis_recorded_results", "", "env")
    app.add_transform(RecordedResults)
    app.add_transform(ComparisonsOnPages)
    app.add_directive("dlis-scoreboard", ScoreboardDirective)
    app.connect("doctree-resolved", fill_scoreboards)
    app.connect("env-purge-doc", purge_page)
    app.connect("env-merge-info", merge_pages)
    app.connect("env-get-outdated", outdated_scoreboards)
