"""The results at a glance: every application's verdicts, on your kind of sample first.

The directive ``dlis-scoreboard`` (the landing page and the results page)
lists each application page's verdicts as this build measured them: first
the main comparisons (trained and tested on the reader's kind of sample),
then the domain-shift ones (the same methods on another kind of image).  A
verdict the recorded seeds disagree about says so
(:mod:`gallery_pages.seed_verdicts`).  The full profile's recorded verdicts
(:mod:`gallery_pages.reference`) get a column only where a GPU run was
recorded; until then a note under the table says none was.
"""

from __future__ import annotations

import html

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.locale import get_translation
from sphinx.util.docutils import SphinxDirective

from dlis_gallery.results import CASES, case_words, confidence_words, number, outcome_words

from .guide_order import GuideOrder
from .reference import example_key, is_application, is_stale, measured, recorded, recorded_of_page
from .seed_verdicts import changes_with_the_seed, seed_outcomes

CATALOG = "gallery_pages"
_ = get_translation(CATALOG)
SCOREBOARD = "dlis-scoreboard"


def scoreboard_pages(env) -> set:
    """The pages with a scoreboard."""
    if not hasattr(env, "dlis_scoreboard_pages"):
        env.dlis_scoreboard_pages = set()
    return env.dlis_scoreboard_pages


def purge_page(app, env, docname: str) -> None:
    scoreboard_pages(env).discard(docname)


def merge_pages(app, env, docnames, other) -> None:
    scoreboard_pages(env).update(scoreboard_pages(other) & set(docnames))


def outdated_scoreboards(app, env, added, changed, removed) -> list[str]:
    """A scoreboard is written again whenever a page it lists may have changed."""
    return sorted(scoreboard_pages(env)) if added | changed | removed else []


class ScoreboardDirective(SphinxDirective):
    """``dlis-scoreboard``: every application's verdicts, this build's and the recorded ones."""

    def run(self) -> list[nodes.Node]:
        recorded_of_page(self.env)
        recorded_of_page(self.env, "dlis_recorded_seeds")
        scoreboard_pages(self.env).add(self.env.docname)
        return [nodes.container(classes=[SCOREBOARD])]  # filled once every page is read


def fill_scoreboards(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for placeholder in doctree.findall(nodes.container):
        if SCOREBOARD in placeholder["classes"]:
            placeholder[:] = [scoreboard_table(app, docname)]


def _recorded_verdicts(app: Sphinx, page: str) -> tuple[dict, bool]:
    """The full profile's recorded verdicts of ``page`` by (case, metric), and whether stale."""
    entry = recorded(app.env)["examples"].get(example_key(page))
    if not entry or not (entry.get("record") or {}).get("comparisons"):
        return {}, False
    found = {
        (comparison["case"], verdict["metric"]): verdict
        for comparison in entry["record"]["comparisons"]
        for verdict in comparison["verdicts"]
    }
    return found, is_stale(app.env, page, entry)


def scoreboard_table(app: Sphinx, docname: str) -> nodes.raw:
    """The table: one row per verdict of each application page, main comparisons first."""
    run = recorded(app.env)["run"]
    full = _("Full profile, measured on {device} on {date}").format(**run) if run else None
    head = [_("Application"), _("Metric"), _("This build")] + ([full] if full else [])
    in_guide_order = GuideOrder(app.srcdir)
    pages = sorted(
        (page for page in measured(app.env) if is_application(page)),
        key=lambda page: in_guide_order(page + ".py"),
    )
    groups = []
    for case in CASES:
        rows = []
        for page in pages:
            link = html.escape(app.builder.get_relative_uri(docname, page))
            title = html.escape(app.env.titles[page].astext())
            recorded_verdicts, stale = _recorded_verdicts(app, page)
            for comparison in measured(app.env)[page]["comparisons"]:
                if comparison["case"] != case:
                    continue
                for verdict in comparison["verdicts"]:
                    cells = [f"<a href='{link}'>{title}</a>", html.escape(_(verdict["metric"]))]
                    cells.append(_margin_cell(verdict) + _seed_note(app, page, case, verdict["metric"]))
                    if full:
                        cells.append(_full_cell(recorded_verdicts.get((case, verdict["metric"])), stale))
                    rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
        if rows:
            heading = f"<tr class='dlis-case-row'><th scope='rowgroup' colspan='{len(head)}'>"
            groups.append(
                f"<tbody>{heading}{html.escape(case_words(case, _))}</th></tr>{''.join(rows)}</tbody>"
            )
    header = "".join(f"<th scope='col'>{html.escape(cell)}</th>" for cell in head)
    caption = _(
        "The network against the best classical method: how much better it is (negative: worse), "
        "the {level} interval of that margin, and the verdict."
    ).format(level=confidence_words(_))
    none_yet = html.escape(_("No run of the full profile on a GPU has been recorded yet."))
    note = "" if full else f"<p class='dlis-no-record'>{none_yet}</p>"
    return nodes.raw(
        "",
        "<div class='dlis-table-scroll'><table class='dlis-scoreboard'>"
        f"<caption>{html.escape(caption)}</caption><thead><tr>{header}</tr></thead>{''.join(groups)}"
        f"</table></div>{note}",
        format="html",
    )


def _seed_note(app: Sphinx, page: str, case: str, metric: str) -> str:
    found = seed_outcomes(app.env, page, metric) if case == CASES[0] else None
    if not found or not changes_with_the_seed(found[0]):
        return ""
    return f"<br><em class='dlis-seed-flip'>{html.escape(_('changes with the seed'))}</em>"


def _full_cell(verdict: dict | None, stale: bool) -> str:
    if verdict is None:
        return html.escape(_("not recorded"))
    earlier = f" <em>{html.escape(_('(earlier version)'))}</em>" if stale else ""
    return _margin_cell(verdict) + earlier


def _margin_cell(verdict: dict) -> str:
    outcome = outcome_words(verdict["outcome"], _)
    margin = f"{number(verdict['margin'])} [{number(verdict['low'])}, {number(verdict['high'])}]"
    kind = verdict["outcome"].replace(" ", "-")
    return f"{html.escape(margin)}<br><span class='dlis-outcome dlis-{kind}'>{html.escape(outcome)}</span>"


def setup_scoreboard(app: Sphinx) -> None:
    """Needs :func:`gallery_pages.reference.setup_reference` (the measurements it lists)."""
    app.add_directive("dlis-scoreboard", ScoreboardDirective)
    app.connect("doctree-resolved", fill_scoreboards)
    app.connect("env-purge-doc", purge_page)
    app.connect("env-merge-info", merge_pages)
    app.connect("env-get-outdated", outdated_scoreboards)
