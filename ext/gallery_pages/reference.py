"""The full profile's recorded results beside a build's own, and this build's measurements kept.

A site built on a CPU trains its networks briefly (the quick profile); the
full profile needs a GPU.  A GPU run (``benchmarks/gpu-gallery.sh``) records
what every example measured, and ``gallery/reference/full.json`` keeps it
(``dlis_recorded_results``).  Here every gallery page built in another profile
gets a box "Full profile, measured on <device> on <date>" after its own
numbers: the recorded verdicts and the example's wall time, marked as from an
earlier version when the example's source has changed since.  Its words
come from the ``gallery_pages`` catalog.

This build's comparisons and sweeps are read from the pages themselves (the
HTML each example showed carries its numbers) and kept (:func:`measured`) for
the scoreboard (``scoreboard.py``) and the answer box, which need no other record.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.locale import get_translation
from sphinx.transforms import SphinxTransform

from dlis_gallery.results import case_words, verdict_sentence
from dlis_gallery.run import Table

from .page_results import RESULTS, SWEEP, parse_results

CATALOG = "gallery_pages"
_ = get_translation(CATALOG)
#: The gallery group whose pages the scoreboard lists.
APPLICATIONS = "applications"


def is_application(docname: str) -> bool:
    """Whether ``docname`` is a page of the applications gallery."""
    return docname.split("/")[-2:-1] == [APPLICATIONS]


def recorded(env, setting: str = "dlis_recorded_results") -> dict:
    """A recorded run named by a setting (``dlis_recorded_results``: the full profile;
    ``dlis_recorded_seeds``: the bench's seeds), ``{"run": ..., "examples": ...}``, or an empty one."""
    path = Path(env.srcdir, getattr(env.config, setting))
    if not getattr(env.config, setting) or not path.is_file():
        return {"run": {}, "examples": {}}
    return json.loads(path.read_text("utf-8"))


def recorded_of_page(env, setting: str = "dlis_recorded_results") -> dict:
    """A recorded run, as the page being read uses it: a new record re-reads that page
    (a first one needs a fresh build, as the file did not exist to depend on)."""
    found = recorded(env, setting)
    if found["run"]:
        env.note_dependency(str(Path(env.srcdir, getattr(env.config, setting))))
    return found


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
        recorded = recorded_of_page(self.env)
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
    if record.get("comparisons"):
        for comparison in record["comparisons"]:
            case = case_words(comparison["case"], _)
            box += nodes.paragraph(case, case, classes=["dlis-case"])
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
    """Keep each gallery page's comparisons and sweeps (their numbers) for the scoreboard and
    the answer box."""

    default_priority = 17

    def apply(self, **kwargs) -> None:
        found = {"comparisons": [], "sweeps": []}
        for raw in self.document.findall(nodes.raw):
            text = raw.astext()
            found["comparisons"] += [parse_results(shown) for shown in RESULTS.finditer(text)]
            found["sweeps"] += [parse_results(shown) for shown in SWEEP.finditer(text)]
        if found["comparisons"]:
            measured(self.env)[self.env.docname] = found


def measured(env) -> dict:
    """This build's comparisons and sweeps of each page that shows one, by docname:
    ``{"comparisons": [...], "sweeps": [...]}``."""
    if not hasattr(env, "dlis_comparisons"):
        env.dlis_comparisons = {}
    return env.dlis_comparisons


def purge_page(app, env, docname: str) -> None:
    measured(env).pop(docname, None)


def merge_pages(app, env, docnames, other) -> None:
    measured(env).update({name: found for name, found in measured(other).items() if name in docnames})


def setup_reference(app: Sphinx) -> None:
    app.add_config_value("dlis_recorded_results", "", "env")
    app.add_config_value("dlis_recorded_seeds", "", "env")
    app.add_transform(RecordedResults)
    app.add_transform(ComparisonsOnPages)
    app.connect("env-purge-doc", purge_page)
    app.connect("env-merge-info", merge_pages)
