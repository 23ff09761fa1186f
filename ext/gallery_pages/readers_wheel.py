"""The readers' package on the site: its wheel, made by its own build backend, and the line that installs it.

Every example imports :mod:`dlis_gallery`, the readers' library (its own
project in ``ext/dlis-gallery``: metadata, version, README and requirements
in its ``pyproject.toml``); a downloaded script or notebook needs it too.
Before the gallery runs, the build makes its wheel with pip and the
package's own backend (hatchling), offline (``--no-build-isolation
--no-deps``): the same sources give the same bytes (hatchling's reproducible
builds).  The "Run it yourself" page links the wheel; that page is also what
``pip --find-links`` reads, so one line installs the wheel and its
requirements, and every example's page and notebook shows that line.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

NAME = "dlis-gallery"
#: The page that links the wheel (pip's ``--find-links`` reads it).
PAGE = "run-it-yourself"
#: The backend a reader gets unless they choose another.
BACKEND = "tensorflow"
#: What turns on TensorFlow's oneDNN kernels where TensorFlow leaves them off (the
#: build sets it too: noxfile's QUIET_BACKENDS).
ONEDNN = "TF_ENABLE_ONEDNN_OPTS"


def library_version(library: Path) -> str:
    """The version the library's ``pyproject.toml`` declares."""
    return tomllib.loads((library / "pyproject.toml").read_text("utf-8"))["project"]["version"]


def wheel_name(library: Path) -> str:
    return f"{NAME.replace('-', '_')}-{library_version(library)}-py3-none-any.whl"


def build_wheel(library: Path, folder: Path) -> Path:
    """The library's wheel, built into ``folder``; return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
    done = subprocess.run(
        [*command, "--wheel-dir", str(folder), str(library)], capture_output=True, text=True
    )
    wheel = folder / wheel_name(library)
    if done.returncode or not wheel.is_file():
        raise RuntimeError(f"pip could not build the readers' wheel from {library}:\n{done.stderr[-2000:]}")
    return wheel


def install_line(base_url: str) -> str:
    """The one command that installs what every example needs."""
    return f"pip install --find-links {base_url}{PAGE}.html {NAME} {BACKEND}"


def first_notebook_cell(base_url: str) -> str:
    return (
        "# What this notebook needs: the site's helpers, Keras and its requirements, and a\n"
        f"# backend ({BACKEND}; for JAX or PyTorch install it and set KERAS_BACKEND).\n"
        "# TensorFlow's oneDNN kernels, which the site's build uses: TensorFlow turns them\n"
        "# on by itself only on CPUs with AVX-512's neural-network instructions or AMX.\n"
        f"%env {ONEDNN}=1\n"
        "# A wheel beside the notebook is used first, so it also installs offline.\n"
        f"%{install_line(base_url).replace('pip install', 'pip install --quiet --find-links .', 1)}"
    )
