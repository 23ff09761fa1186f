"""Snapshots of what small inputs become: a guide's doctree (as Sphinx keeps it after reading)
and the HTML of its page body, a page that links to moments of the guide, and an application
example page with the boxes the gallery extension adds (the answer first, the take-home footer).

Any change in the output shows as a readable diff against the files in ``tests/ext/snapshots/``.
After an intended change, accept it and commit the new files::

    .nox/tests/bin/python -m pytest tests/ext/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import difflib
import pickle
from pathlib import Path

import pytest

from tests.conftest import ROOT, guide, raw_comparison

SNAPSHOTS = Path(__file__).parent / "snapshots"
GALLERY_CONF = """
extensions = []
html_theme = "basic"
sphinx_gallery_conf = {"gallery_dirs": ["auto_examples"]}
html_baseurl = "https://example.org/en/"
dlis_readers_library = "@LIBRARY@"
from gallery_pages.answer_box import setup_answer_box
from gallery_pages.gallery_words import setup_gallery_words
from gallery_pages.page_results import setup_page_results
from gallery_pages.reference import setup_reference
from gallery_pages.take_home import setup_take_home


def setup(app):
    app.add_config_value("sphinx_gallery_conf", {}, "html")
    setup_gallery_words(app)
    setup_page_results(app)
    setup_reference(app)
    setup_take_home(app)
    setup_answer_box(app)
""".replace("@LIBRARY@", str(ROOT / "ext" / "dlis-gallery"))
SCORES = {
    "Gaussian PSNR (dB)": {"BM3D": [30.0, 31.0, 29.5], "Network": [29.0, 30.1, 28.9]},
    "Gaussian SSIM": {"BM3D": [0.8, 0.82, 0.79], "Network": [0.81, 0.83, 0.8]},
}
EXAMPLE = (
    "Can a network denoise better than BM3D?\n=======================================\n\n"
    "The question.\n\nSetup\n-----\n\n.. code-block:: python\n\n    import keras\n\n"
    f"Scores\n------\n\n{raw_comparison(SCORES, 'crops', ['Gaussian PSNR (dB)'])}\n"
    ".. only:: html\n\n  .. container:: sphx-glr-footer sphx-glr-footer-example\n\n"
    "    .. container:: sphx-glr-download sphx-glr-download-python\n\n      Download Python source code\n"
)
NOTES = (
    "Notes\n=====\n\nAt :timestamp:`01:05 <guide>` the video shows it; :timestamp:`01:02:03 <guide>` too.\n"
)


@pytest.fixture
def snapshot(request):
    """Compare ``text`` with the snapshot ``name``, or rewrite it with ``--snapshot-update``."""

    def compare(name: str, text: str) -> None:
        path = SNAPSHOTS / name
        if request.config.getoption("--snapshot-update"):
            path.write_text(text, "utf-8")
            return
        assert path.is_file(), f"no snapshot {name}: run with --snapshot-update to write it"
        expected = path.read_text("utf-8")
        if text != expected:
            diff = difflib.unified_diff(
                expected.splitlines(), text.splitlines(), f"snapshots/{name}", "this run", lineterm=""
            )
            pytest.fail("output changed (accept with --snapshot-update):\n" + "\n".join(diff))

    return compare


def _doctree(site, docname: str) -> str:
    doctrees = site.outdir.parent.parent / "build" / "doctrees"
    document = pickle.loads((doctrees / f"{docname}.doctree").read_bytes())
    return document.pformat().replace(str(doctrees.parent.parent / "src"), "<src>")


def _body(site, docname: str) -> str:
    return site.page(docname).select_one("div.body").prettify()


def test_a_guide_page(build_site, snapshot):
    site = build_site({"guide.md": guide(), "notes.rst": NOTES})
    assert site.warning_lines() == []
    snapshot("guide.doctree.txt", _doctree(site, "guide"))
    snapshot("guide.body.html", _body(site, "guide"))
    snapshot("notes.body.html", _body(site, "notes"))


def test_an_application_example_page(build_site, snapshot, monkeypatch):
    monkeypatch.setenv("DLIS_NETWORKS_DIR", "unset")
    site = build_site({"auto_examples/applications/plot_denoising.rst": EXAMPLE}, conf=GALLERY_CONF)
    assert site.warning_lines() == []
    snapshot("example.body.html", _body(site, "auto_examples/applications/plot_denoising"))
