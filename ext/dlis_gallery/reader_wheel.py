"""The readers' package: the gallery's helpers as a small wheel the site publishes, and its install line.

Every example imports :mod:`dlis_gallery` (its run, metrics, figures, the
workflow's shared store); a downloaded script or notebook needs it too.  The
build writes the helpers, and the workflow steps they re-run, into
``dlis_gallery-<version>-py3-none-any.whl`` (no Sphinx parts, the gallery's
requirements from ``pyproject.toml``), and the "Run it yourself" page links
it.  That page is also what ``pip --find-links`` reads, so one line installs
the wheel and its requirements, and every example's page and notebook shows
that line.  The wheel is written by hand (a zip with three metadata files):
no build tool or network is needed during the build, and the same sources
give the same bytes.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import zipfile
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

PROJECT = "deep-learning-for-imaging-scientists"
NAME = "dlis-gallery"
PACKAGE = Path(__file__).parent
#: The packages a module of the Sphinx extension imports; a reader's example needs none of them.
SPHINX_PACKAGES = {"sphinx", "docutils", "sphinx_gallery"}
#: The page that links the wheel (pip's ``--find-links`` reads it).
PAGE = "run-it-yourself"
#: The backend a reader gets unless they choose another.
BACKEND = "tensorflow"
#: Zip entries' date: the same sources give the same wheel.
EPOCH = (1980, 1, 1, 0, 0, 0)
WHEEL = "Wheel-Version: 1.0\nGenerator: dlis_gallery\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


def version() -> str:
    return metadata.version(PROJECT)


def wheel_name() -> str:
    return f"{NAME.replace('-', '_')}-{version()}-py3-none-any.whl"


def requirements() -> list[str]:
    """What the examples need: the project's ``gallery`` extra."""
    needed = []
    for line in metadata.requires(PROJECT) or []:
        requirement = Requirement(line)
        if requirement.marker and requirement.marker.evaluate({"extra": "gallery"}):
            requirement.marker = None
            needed.append(str(requirement))
    return needed


def install_line(base_url: str) -> str:
    """The one command that installs what every example needs."""
    return f"pip install --find-links {base_url}{PAGE}.html {NAME} {BACKEND}"


def first_notebook_cell(base_url: str) -> str:
    return (
        "# What this notebook needs: the site's helpers, Keras and its requirements, and a\n"
        f"# backend ({BACKEND}; for JAX or PyTorch install it and set KERAS_BACKEND).\n"
        "# A wheel beside the notebook is used first, so it also installs offline.\n"
        f"%{install_line(base_url).replace('pip install', 'pip install --quiet --find-links .', 1)}"
    )


def sphinx_only(sources: dict[str, str]) -> set[str]:
    """The modules (by name, of ``{name: source}``) that import Sphinx's packages, or a
    sibling that does: the build needs them, a reader's example does not.  Their own
    imports decide, so a new extension module is left out of the wheel by itself."""
    imports = {}
    for name, source in sources.items():
        found = set()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                found.add(node.module.split(".")[0])
            elif isinstance(node, ast.ImportFrom) and node.level == 1:
                found |= {f".{node.module}"} if node.module else {f".{alias.name}" for alias in node.names}
        imports[name] = found
    excluded = {name for name, found in imports.items() if found & SPHINX_PACKAGES}
    while True:  # and whatever imports an excluded sibling, until nothing changes
        more = {name for name, found in imports.items() if {f".{other}" for other in excluded} & found}
        if more <= excluded:
            return excluded
        excluded |= more


def _files() -> dict[str, bytes]:
    sources = {path.stem: path.read_bytes() for path in sorted(PACKAGE.glob("*.py"))}
    excluded = sphinx_only({name: source.decode("utf-8") for name, source in sources.items()})
    files = {f"dlis_gallery/{name}.py": source for name, source in sources.items() if name not in excluded}
    for step in sorted((PACKAGE / "workflow_steps").glob("plot_*.py")):
        files[f"dlis_gallery/workflow_steps/{step.name}"] = step.read_bytes()
    return files


def _metadata() -> str:
    lines = ["Metadata-Version: 2.1", f"Name: {NAME}", f"Version: {version()}"]
    lines.append("Summary: The helpers of the Deep Learning for Imaging Scientists examples.")
    lines.append("Requires-Python: >=3.11")
    lines += [f"Requires-Dist: {requirement}" for requirement in requirements()]
    return "\n".join(lines) + "\n"


def _record_line(name: str, content: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(content)}"


def build_wheel(folder: Path) -> Path:
    """Write the readers' wheel into ``folder``; return its path."""
    info = f"{NAME.replace('-', '_')}-{version()}.dist-info"
    files = _files()
    files[f"{info}/METADATA"] = _metadata().encode()
    files[f"{info}/WHEEL"] = WHEEL.encode()
    record = [_record_line(name, content) for name, content in files.items()] + [f"{info}/RECORD,,"]
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / wheel_name()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, content in files.items():
            entry = zipfile.ZipInfo(name, EPOCH)
            entry.external_attr = 0o644 << 16
            wheel.writestr(entry, content, zipfile.ZIP_DEFLATED)
    return path
