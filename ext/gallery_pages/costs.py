"""How long each example takes and how much memory it needs: measured in this build, shown to readers.

A reader deciding whether to run the examples on a laptop needs the cost of
each, on hardware like theirs.  sphinx-gallery keeps what it measured when an
example last ran (its wall time, and the peak memory ``PeakMemory`` saw) in a
``<example>.cost.json`` beside the example's page (sphinx-gallery 0.20 and
later).  The ``dlis-costs`` directive turns those into a table: every example,
this build's profile and machine, and the full profile's recorded wall time
and memory where a GPU run was recorded (:mod:`gallery_pages.reference`).
Its words come from the ``dlis_gallery`` catalog.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.locale import get_translation
from sphinx.util.docutils import SphinxDirective

from .guide_order import GuideOrder
from .reference import example_key, recorded, recorded_of_page
from .take_home import gallery_output

CATALOG = "gallery_pages"
_ = get_translation(CATALOG)
COSTS = "dlis-costs"
#: sphinx-gallery's record of an example's last run, beside its page.
COST_SUFFIX = ".cost.json"


def measured_costs(srcdir, config) -> dict[str, dict]:
    """``{docname: {"time": s, "memory": MB}}`` for every example sphinx-gallery ran."""
    found = {}
    for record in gallery_output(srcdir, config).rglob("*" + COST_SUFFIX):
        docname = Path(record.relative_to(srcdir)).as_posix().removesuffix(COST_SUFFIX)
        found[docname] = json.loads(record.read_text("utf-8"))
    return found


def machine_words(gpus: int) -> str:
    """The machine this build ran on, as a reader compares it with theirs."""
    if gpus:
        return _("{gpus} GPU(s)").format(gpus=gpus)
    return _("{cores} CPU cores and no GPU").format(cores=os.cpu_count())


def clock(seconds: float) -> str:
    """``75.2`` -> ``1:15``."""
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes}:{seconds:02d}"


class CostsDirective(SphinxDirective):
    """``dlis-costs``: a sentence on this build's profile and machine, and the table."""

    def run(self) -> list[nodes.Node]:
        costs = measured_costs(self.env.srcdir, self.config)
        for docname in costs:  # an example that runs again re-reads this page
            self.env.note_dependency(str(Path(self.env.srcdir, docname + COST_SUFFIX)))
        recorded_of_page(self.env)
        total = sum(cost["time"] for cost in costs.values())
        said = _(
            "This build ran the {profile} profile on {device}: its {count} examples took "
            "{total} (minutes:seconds) one after the other."
        ).format(
            profile=getattr(self.env, "dlis_gallery_profile", "?"),
            device=machine_words(getattr(self.env, "dlis_gallery_gpus", 0)),
            count=len(costs),
            total=clock(total),
        )
        sentence = nodes.paragraph(said, said, translatable=False)  # measured: worded here, not in a catalog
        return [sentence, nodes.container(classes=[COSTS], costs=costs)]


def fill_costs(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for placeholder in doctree.findall(nodes.container):
        if COSTS in placeholder["classes"]:
            placeholder.replace_self(costs_table(app, docname, placeholder["costs"]))


def costs_table(app: Sphinx, docname: str, costs: dict[str, dict]) -> nodes.raw:
    """One row per example, in the gallery's order; the recorded full profile when there is one."""
    recorded_run = recorded(app.env)
    head = [_("Example"), _("Time, this build"), _("Peak memory added, this build")]
    if recorded_run["run"]:
        head += [
            _("Time, full profile on {device}").format(**recorded_run["run"]),
            _("Peak memory, full profile"),
        ]
    in_guide_order = GuideOrder(app.srcdir)
    rows = []
    for page in sorted(costs, key=lambda page: (page.rsplit("/", 1)[0], in_guide_order(page + ".py"))):
        title = app.env.titles[page].astext() if page in app.env.titles else page
        link = html.escape(app.builder.get_relative_uri(docname, page))
        cells = [f"<a href='{link}'>{html.escape(title)}</a>", clock(costs[page]["time"])]
        cells.append(f"{costs[page]['memory']:.0f} MB")
        if recorded_run["run"]:
            entry = recorded_run["examples"].get(example_key(page))
            cells += [clock(entry["wall_s"]), f"{entry['peak_mb']} MB"] if entry else ["", ""]
        rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    header = "".join(f"<th scope='col'>{html.escape(cell)}</th>" for cell in head)
    return nodes.raw(
        "",
        "<div class='dlis-table-scroll'><table class='dlis-costs'>"
        f"<thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>",
        format="html",
    )


def setup_costs(app: Sphinx) -> None:
    app.add_directive("dlis-costs", CostsDirective)
    app.connect("doctree-resolved", fill_costs)
