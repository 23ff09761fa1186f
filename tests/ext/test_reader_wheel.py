"""The readers' wheel: the helpers and the workflow steps, no Sphinx parts, installable metadata,
the same bytes from the same sources."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import re
import zipfile

from dlis_gallery import reader_wheel
from tests.conftest import ROOT


def test_the_wheel_holds_the_helpers_and_the_workflow_steps_but_no_sphinx_parts(tmp_path):
    names = zipfile.ZipFile(reader_wheel.build_wheel(tmp_path)).namelist()
    assert {"dlis_gallery/__init__.py", "dlis_gallery/run.py", "dlis_gallery/networks.py"} <= set(names)
    steps = sorted(path.name for path in (ROOT / "gallery" / "workflow").glob("plot_*.py"))
    assert sorted(name.rsplit("/", 1)[1] for name in names if "/workflow_steps/" in name) == steps
    assert "dlis_gallery/sphinx_setup.py" not in names and "dlis_gallery/take_home.py" not in names
    for name in names:
        if name.endswith(".py"):
            source = zipfile.ZipFile(reader_wheel.build_wheel(tmp_path)).read(name).decode()
            assert not re.search(r"^\s*(from|import) (sphinx|docutils)", source, re.M), name


def test_a_module_is_left_out_when_it_or_a_sibling_it_imports_needs_sphinx():
    sources = {
        "extension": "from sphinx.util.docutils import SphinxDirective\n",
        "uses_it": "def f():\n    from .extension import SphinxDirective\n",
        "uses_that": "from . import uses_it\n",
        "transforms": "from docutils import nodes\n",
        "helper": "import numpy\nfrom .metrics import psnr\n",
        "metrics": "import math\n",
    }
    assert reader_wheel.sphinx_only(sources) == {"extension", "uses_it", "uses_that", "transforms"}


def test_its_metadata_asks_for_the_gallery_requirements_and_its_record_is_true(tmp_path):
    wheel = zipfile.ZipFile(reader_wheel.build_wheel(tmp_path))
    info = f"dlis_gallery-{reader_wheel.version()}.dist-info"
    metadata = wheel.read(f"{info}/METADATA").decode()
    assert "Name: dlis-gallery" in metadata
    pyproject = (ROOT / "pyproject.toml").read_text()
    for requirement in ("keras>=3.6", "scikit-image>=0.24", "bm3d>=4"):
        assert f'"{requirement}"' in pyproject and f"Requires-Dist: {requirement}\n" in metadata
    assert "sphinx" not in metadata.lower()
    for name, digest, size in csv.reader(io.StringIO(wheel.read(f"{info}/RECORD").decode())):
        if name.endswith("RECORD"):
            continue
        content = wheel.read(name)
        expected = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode()
        assert (digest, int(size)) == (f"sha256={expected}", len(content)), name


def test_the_same_sources_give_the_same_wheel(tmp_path):
    first = reader_wheel.build_wheel(tmp_path / "a").read_bytes()
    assert reader_wheel.build_wheel(tmp_path / "b").read_bytes() == first


def test_the_install_line_and_the_notebooks_first_cell_name_the_page_that_links_the_wheel():
    line = reader_wheel.install_line("https://example.org/en/")
    page = "https://example.org/en/run-it-yourself.html"
    assert line == f"pip install --find-links {page} dlis-gallery tensorflow"
    cell = reader_wheel.first_notebook_cell("https://example.org/en/")
    assert cell.splitlines()[-1] == (
        "%pip install --quiet --find-links . --find-links https://example.org/en/run-it-yourself.html "
        "dlis-gallery tensorflow"
    )
    assert (ROOT / "docs" / f"{reader_wheel.PAGE}.md").is_file()
