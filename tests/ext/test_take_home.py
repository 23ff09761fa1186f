"""What a reader takes home, on built pages: the install line on the run-it-yourself page and in
every example's footer, the wheel to download, and each saved network as a download."""

from __future__ import annotations

import textwrap

from dlis_gallery.reader_wheel import install_line, wheel_name
from dlis_gallery.run import NETWORKS_VARIABLE

BASE = "https://example.org/en/"
CONF = f"""
extensions = []
html_theme = "basic"
html_baseurl = "{BASE}"
sphinx_gallery_conf = {{"gallery_dirs": ["auto_examples"]}}
from dlis_gallery.take_home import setup_take_home


def setup(app):
    app.add_config_value("sphinx_gallery_conf", {{}}, "html")
    setup_take_home(app)
"""
EXAMPLE = """Denoising
=========

.. raw:: html

    <div class="output_subarea output_html rendered_html output_result">
    <div class='dlis-network' data-dlis-network='denoising.keras'><p>Saved denoising.keras</p></div>
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
    assert link["href"].endswith(wheel_name())
    assert (site.outdir / link["href"]).is_file()
    assert site.warning_lines() == []


def test_an_example_footer_shows_the_line_and_a_saved_network_becomes_a_download(build_site, monkeypatch):
    monkeypatch.setenv(NETWORKS_VARIABLE, "unset")
    site = build_site({"auto_examples/plot_denoising.rst": "placeholder\n"}, conf=CONF)
    networks = site.outdir.parent.parent / "src" / "auto_examples" / "networks"
    networks.mkdir(parents=True)
    (networks / "denoising.keras").write_bytes(b"a trained network")
    site = build_site({"auto_examples/plot_denoising.rst": EXAMPLE}, conf=CONF)
    page = site.page("auto_examples/plot_denoising")
    footer = page.select_one("div.sphx-glr-footer")
    assert footer.select_one("div.dlis-install-box pre").get_text().strip() == install_line(BASE)
    links = page.select("a.download")
    assert [link.get_text() for link in links] == [
        "denoising.keras",
        "Download the trained network: denoising.keras",
    ]
    for link in links:
        assert (site.outdir / "auto_examples" / link["href"]).read_bytes() == b"a trained network"
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
