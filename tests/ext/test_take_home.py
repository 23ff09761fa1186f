"""What a reader takes home, on built pages: the install line on the run-it-yourself page and in
every example's footer, the wheel to download, and each saved network as a download."""

from __future__ import annotations

import textwrap

from dlis_gallery.bioimage import PACKAGE_TOOLS
from dlis_gallery.run import NETWORKS_VARIABLE
from gallery_pages.readers_wheel import install_line, wheel_name
from gallery_pages.shown_names import SHOWN_NAMES
from tests.conftest import ROOT

LIBRARY = ROOT / "ext" / "dlis-gallery"

BASE = "https://example.org/en/"
CONF = f"""
extensions = []
html_theme = "basic"
html_baseurl = "{BASE}"
dlis_readers_library = "{LIBRARY}"
sphinx_gallery_conf = {{"gallery_dirs": ["auto_examples"]}}
from gallery_pages.take_home import setup_take_home


def setup(app):
    app.add_config_value("sphinx_gallery_conf", {{}}, "html")
    setup_take_home(app)
"""
EXAMPLE = """Denoising
=========

.. raw:: html

    <div class="output_subarea output_html rendered_html output_result">
    <div class='dlis-network' data-dlis-network='denoising.keras'><p>Saved denoising.keras</p></div>
    <div class='dlis-network' data-dlis-network='denoising.bioimageio.zip'><p>Saved its package</p></div>
    </div>

.. only:: html

  .. container:: sphx-glr-footer sphx-glr-footer-example

    .. container:: sphx-glr-download sphx-glr-download-python

      Download Python source code
"""


def test_the_run_it_yourself_page_shows_the_line_and_links_the_wheel(build_site, monkeypatch):
    monkeypatch.setenv(NETWORKS_VARIABLE, "unset")
    site = build_site({"run-it-yourself.rst": "Run it\n======\n\n.. dlis-install::\n"}, conf=CONF)
    page = site.page("run-it-yourself")
    assert page.select_one("div.dlis-install pre").get_text().strip() == install_line(BASE)
    (link,) = page.select("a.download")
    assert link["href"].endswith(wheel_name(LIBRARY))
    assert (site.outdir / link["href"]).is_file()
    assert site.warning_lines() == []


def test_an_example_footer_shows_the_line_and_a_saved_network_becomes_a_download(build_site, monkeypatch):
    monkeypatch.setenv(NETWORKS_VARIABLE, "unset")
    site = build_site({"auto_examples/plot_denoising.rst": "placeholder\n"}, conf=CONF)
    networks = site.outdir.parent.parent / "src" / "auto_examples" / "networks"
    networks.mkdir(parents=True)
    (networks / "denoising.keras").write_bytes(b"a trained network")
    (networks / "denoising.bioimageio.zip").write_bytes(b"its package")
    site = build_site({"auto_examples/plot_denoising.rst": EXAMPLE}, conf=CONF)
    page = site.page("auto_examples/plot_denoising")
    footer = page.select_one("div.sphx-glr-footer")
    assert footer.select_one("div.dlis-install-box pre").get_text().strip() == install_line(BASE)
    links = page.select("a.download")
    assert [link.get_text() for link in links] == [
        "denoising.keras",
        "denoising.bioimageio.zip",
        "Download the trained network: denoising.keras",
        "Download its bioimage.io package: denoising.bioimageio.zip",
    ]
    contents = [b"a trained network", b"its package"] * 2
    for link, content in zip(links, contents, strict=True):
        assert (site.outdir / "auto_examples" / link["href"]).read_bytes() == content
    assert PACKAGE_TOOLS in links[1].parent.get_text()  # which tools open it, beside the link
    assert "data-dlis-network" not in page.decode()
    assert site.warning_lines() == []


def test_a_page_without_a_download_footer_is_left_alone(build_site, monkeypatch):
    monkeypatch.setenv(NETWORKS_VARIABLE, "unset")
    page = textwrap.dedent("""\
        Notes
        =====

        Just text.
        """)
    site = build_site({"notes.rst": page}, conf=CONF)
    assert site.page("notes").select_one("div.dlis-install-box") is None


def test_the_sentence_on_which_tools_open_a_package_is_in_the_catalogs_list():
    assert PACKAGE_TOOLS in SHOWN_NAMES
