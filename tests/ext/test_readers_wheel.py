"""The readers' wheel: built from the library's own project by its backend, holding the helpers
and the workflow steps and nothing of the site's build, asking for its requirements, the same
bytes from the same sources."""

from __future__ import annotations

import ast
import tomllib
import zipfile

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from gallery_pages import readers_wheel
from tests.conftest import ROOT

LIBRARY = ROOT / "ext" / "dlis-gallery"


def test_the_wheel_holds_the_library_and_the_workflow_steps_but_nothing_of_the_build(tmp_path):
    wheel = zipfile.ZipFile(readers_wheel.build_wheel(LIBRARY, tmp_path))
    names = wheel.namelist()
    modules = {path.name for path in (LIBRARY / "src" / "dlis_gallery").glob("*.py")}
    assert {name.split("/")[-1] for name in names if name.count("/") == 1 and name.endswith(".py")} == modules
    steps = sorted(path.name for path in (ROOT / "gallery" / "workflow").glob("plot_*.py"))
    assert sorted(name.rsplit("/", 1)[1] for name in names if "/workflow_steps/plot_" in name) == steps
    assert not [name for name in names if ".store" in name or name.endswith((".keras", ".pyc"))]


def test_no_module_of_the_library_imports_sphinx_or_the_sites_extensions():
    build_side = {"sphinx", "docutils", "sphinx_gallery", "gallery_pages", "videoguide", "editions"}
    for path in sorted((LIBRARY / "src" / "dlis_gallery").rglob("*.py")):
        if "workflow_steps" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            names += [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 else []
            assert not {name.split(".")[0] for name in names} & build_side, (path.name, names)


def test_its_metadata_comes_from_the_librarys_own_project(tmp_path):
    wheel = zipfile.ZipFile(readers_wheel.build_wheel(LIBRARY, tmp_path))
    project = tomllib.loads((LIBRARY / "pyproject.toml").read_text())["project"]
    info = f"dlis_gallery-{project['version']}.dist-info"
    metadata = wheel.read(f"{info}/METADATA").decode()
    assert "Name: dlis-gallery" in metadata and f"Version: {project['version']}" in metadata
    assert "License-Expression: MIT" in metadata and "Requires-Python: >=3.11" in metadata
    asked = [
        Requirement(line.split(": ", 1)[1])
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist: ")
    ]
    always = [str(found) for found in asked if found.marker is None]
    assert _requirements(always) == _requirements(project["dependencies"])
    for extra, lines in project["optional-dependencies"].items():  # bioimage, onnx
        wanted = [found for found in asked if found.marker and found.marker.evaluate({"extra": extra})]
        assert _requirements([f"{found.name}{found.specifier}" for found in wanted]) == _requirements(lines)
    assert not [name for name, _ in _requirements(always) if "sphinx" in name or name == "docutils"]
    assert "# dlis-gallery" in metadata, "its README is the long description"


def _requirements(lines: list[str]) -> set[tuple[str, str]]:
    return {(canonicalize_name(found.name), str(found.specifier)) for found in map(Requirement, lines)}


def test_the_same_sources_give_the_same_wheel(tmp_path):
    first = readers_wheel.build_wheel(LIBRARY, tmp_path / "a").read_bytes()
    assert readers_wheel.build_wheel(LIBRARY, tmp_path / "b").read_bytes() == first


def test_the_install_line_and_the_notebooks_first_cell_name_the_page_that_links_the_wheel():
    line = readers_wheel.install_line("https://example.org/en/")
    page = "https://example.org/en/run-it-yourself.html"
    assert line == f"pip install --find-links {page} dlis-gallery tensorflow"
    cell = readers_wheel.first_notebook_cell("https://example.org/en/")
    assert cell.splitlines()[-1] == (
        "%pip install --quiet --find-links . --find-links https://example.org/en/run-it-yourself.html "
        "dlis-gallery tensorflow"
    )
    assert f"%env {readers_wheel.ONEDNN}=1" in cell.splitlines()  # before the notebook imports Keras
    assert (ROOT / "docs" / f"{readers_wheel.PAGE}.md").is_file()
