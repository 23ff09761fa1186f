"""What a reader takes home from the site: the install line, the helpers' wheel, the trained networks.

Before the gallery runs, the build makes the readers' wheel
(:mod:`gallery_pages.readers_wheel`), tells the examples where to save their
trained networks (``DLIS_NETWORKS_DIR``) and puts the install line in the
first cell of every notebook.  On the pages, the ``dlis-install`` directive
shows the line and links the wheel; every example's download footer shows the
line too; and a network an example saved (its cell shows a
``data-dlis-network`` marker) becomes a download link there and in the footer.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.locale import get_translation
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxDirective

from dlis_gallery.bioimage import PACKAGE_TOOLS
from dlis_gallery.run import NETWORKS_VARIABLE

from .readers_wheel import build_wheel, first_notebook_cell, install_line, wheel_name

CATALOG = "gallery_pages"
_ = get_translation(CATALOG)
NETWORK = re.compile(r"data-dlis-network='(?P<name>[^']+)'")
FOOTER = "sphx-glr-footer"
PACKAGE = ".bioimageio.zip"


def gallery_output(srcdir, config) -> Path:
    """The gallery's generated folder (git ignores it): the wheel and the networks live there."""
    return Path(srcdir, config.sphinx_gallery_conf["gallery_dirs"][0])


def networks_folder(srcdir, config) -> Path:
    return gallery_output(srcdir, config) / "networks"


def readers_library(srcdir, config) -> Path:
    """The readers' library's project folder (``dlis_readers_library``, relative to conf.py)."""
    return Path(srcdir, config.dlis_readers_library).resolve()


def prepare_take_home(app: Sphinx) -> None:
    """Before sphinx-gallery runs: the wheel, the networks' folder, the notebooks' first cell."""
    if app.config.dlis_readers_library:  # a gallery without a readers' library has no wheel
        build_wheel(readers_library(app.srcdir, app.config), gallery_output(app.srcdir, app.config))
    os.environ[NETWORKS_VARIABLE] = str(networks_folder(app.srcdir, app.config))
    app.config.sphinx_gallery_conf["first_notebook_cell"] = first_notebook_cell(app.config.html_baseurl)


def _download(srcdir, docname: str, path: Path, text: str) -> addnodes.download_reference:
    target = "/" + Path(os.path.relpath(path, srcdir)).as_posix()
    return addnodes.download_reference(
        "",
        "",
        nodes.literal(text, text, classes=["xref", "download"]),
        refdoc=docname,
        refdomain="",
        reftype="download",
        refexplicit=True,
        refwarn=False,
        reftarget=target,
    )


def install_nodes(config) -> list[nodes.Node]:
    line = install_line(config.html_baseurl)
    return [nodes.literal_block(line, line, language="bash", classes=["dlis-install"])]


class InstallDirective(SphinxDirective):
    """The install line and the wheel it installs, for readers offline too."""

    def run(self) -> list[nodes.Node]:
        if not self.config.dlis_readers_library:
            raise self.error("dlis-install needs dlis_readers_library, the readers' library, in conf.py")
        name = wheel_name(readers_library(self.env.srcdir, self.config))
        wheel = gallery_output(self.env.srcdir, self.config) / name
        offline = nodes.paragraph(translatable=False)  # worded through our catalog, not the page's
        offline += nodes.Text(_("Offline, install the helpers from their file: "))
        offline += _download(self.env.srcdir, self.env.docname, wheel, name)
        return [*install_nodes(self.config), offline]


class TakeHomeOnExamplePages(SphinxTransform):
    """The install line in every example's download footer, and each saved network a download."""

    default_priority = 17

    def apply(self, **kwargs) -> None:
        footers = [node for node in self.document.findall(nodes.container) if FOOTER in node["classes"]]
        if not footers:
            return
        links = []
        for raw in list(self.document.findall(nodes.raw)):
            found = [
                networks_folder(self.env.srcdir, self.config) / m["name"]
                for m in NETWORK.finditer(raw.astext())
            ]
            if found:
                raw.replace_self([self._sentence(network) for network in found])
                links += found
        footer = footers[0]
        for network in links:
            button = nodes.container(classes=["sphx-glr-download", "dlis-download-network"])
            text = (
                _("Download its bioimage.io package: {name}")
                if network.name.endswith(PACKAGE)
                else _("Download the trained network: {name}")
            ).format(name=network.name)
            button += nodes.paragraph("", "", _download(self.env.srcdir, self.env.docname, network, text))
            footer += button
        intro = nodes.paragraph(
            "",
            _(
                "Run it on your machine: this line installs what it needs (for JAX or PyTorch "
                "instead of TensorFlow, install that and set KERAS_BACKEND)."
            ),
        )
        box = nodes.container("", intro, *install_nodes(self.config), classes=["dlis-install-box"])
        footer.insert(0, box)

    def _sentence(self, network: Path) -> nodes.paragraph:
        if network.name.endswith(PACKAGE):
            sentence = nodes.paragraph("", _("Download its bioimage.io package: "))
            sentence += _download(self.env.srcdir, self.env.docname, network, network.name)
            sentence += nodes.Text(" " + _(PACKAGE_TOOLS))
        else:
            sentence = nodes.paragraph("", _("Download the trained network: "))
            sentence += _download(self.env.srcdir, self.env.docname, network, network.name)
        return sentence


def setup_take_home(app: Sphinx) -> None:
    app.add_config_value("dlis_readers_library", None, "env", types=[str, type(None)])
    app.connect("builder-inited", prepare_take_home, priority=400)
    app.add_directive("dlis-install", InstallDirective)
    app.add_transform(TakeHomeOnExamplePages)
