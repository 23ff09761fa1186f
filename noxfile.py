"""Every developer and CI entry point: ``nox -s docs``, ``nox -s tests`` and friends.

Each session installs what it needs into its own virtual environment, so the
commands work on a fresh machine with nothing but Python and nox.
"""

from __future__ import annotations

import os
import shutil

import nox

nox.options.reuse_venv = "yes"
nox.options.sessions = ["lint", "tests", "backends", "docs"]

DOCS_OUT = "docs/_build/html"
QUIET_BACKENDS = {
    "TF_CPP_MIN_LOG_LEVEL": "3",  # TensorFlow's cuInit/oneDNN/absl start-up noise
    "PYTHONWARNINGS": "ignore::DeprecationWarning",
}


def sphinx_build(session: nox.Session, builder: str, out: str, *extra: str) -> None:
    session.run(
        "sphinx-build",
        "-W",
        "--keep-going",
        "-b",
        builder,
        "docs",
        out,
        *extra,
        *session.posargs,
        env=QUIET_BACKENDS,
    )


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site as HTML into docs/_build/html (warnings are errors)."""
    session.install("-e", ".[docs]")
    sphinx_build(session, "html", DOCS_OUT)
    session.log(f"Site written to {os.path.abspath(DOCS_OUT)}/index.html")


@nox.session(name="docs-gpu")
def docs_gpu(session: nox.Session) -> None:
    """The same build with TensorFlow's CUDA packages, for a GPU machine (full profile)."""
    session.install("-e", ".[gpu]")
    sphinx_build(session, "html", DOCS_OUT)


@nox.session
def offline(session: nox.Session) -> None:
    """Build the site and pack it as one zip a reader unpacks and opens from disk."""
    session.install("-e", ".[docs]")
    sphinx_build(session, "html", DOCS_OUT)
    archive = shutil.make_archive("dist/deep-learning-for-imaging-scientists-html", "zip", DOCS_OUT)
    size = os.path.getsize(archive)
    session.log(f"Offline site: {archive} ({size / 2**20:.1f} MiB); unpack it and open index.html")


@nox.session
def linkcheck(session: nox.Session) -> None:
    """Check every external link (needs a network: for authors, not CI)."""
    session.install("-e", ".[docs]")
    sphinx_build(session, "linkcheck", "docs/_build/linkcheck", "-D", "plot_gallery=0")


@nox.session(name="docs-live")
def docs_live(session: nox.Session) -> None:
    """Serve the site locally and rebuild it on every change (for authors)."""
    session.install("-e", ".[docs,live]")
    session.run(
        "sphinx-autobuild",
        "docs",
        DOCS_OUT,
        "--watch",
        "ext",
        "--watch",
        "gallery",
        *session.posargs,
        env=QUIET_BACKENDS,
    )


@nox.session
def tests(session: nox.Session) -> None:
    """Unit tests, Sphinx build tests, the gallery smoke runs and the browser tests.

    The browser tests need Debian's chromium (skipped without it); the
    accessibility test injects axe-core, installed here from npm when npm exists.
    """
    session.install("-e", ".[docs,tests]")
    env = dict(QUIET_BACKENDS)
    if shutil.which("npm"):
        axe = os.path.join(session.virtualenv.location, "axe")
        session.run("npm", "install", "--silent", "--no-save", "--prefix", axe, "axe-core@4", external=True)
        env["AXE_CORE_JS"] = os.path.join(axe, "node_modules", "axe-core", "axe.min.js")
    session.run("pytest", *session.posargs, env=env)


@nox.session
def bench(session: nox.Session) -> None:
    """The gallery's budgets: per-example time, memory and metrics; docs build times.

    ``nox -s bench -- --repeat 3`` reports medians of three runs; ``--profile full``
    on a GPU machine; ``--no-docs`` skips the two docs builds.
    """
    session.install("-e", ".[docs]")
    session.run("python", "benchmarks/gallery_budget.py", *session.posargs, env=QUIET_BACKENDS)


#: What each non-default Keras backend needs, on the CPU (torch 2.13.0 is the
#: CPU build this project's machines keep on disk).
BACKEND_PACKAGES = {"jax": ["jax"], "torch": ["torch==2.13.0"]}


@nox.session
@nox.parametrize("backend", list(BACKEND_PACKAGES))
def backends(session: nox.Session, backend: str) -> None:
    """The gallery's smoke runs on the JAX and PyTorch backends (the examples use only Keras 3)."""
    session.install("-e", ".[gallery,tests]", *BACKEND_PACKAGES[backend])
    session.run("pytest", "tests/gallery", *session.posargs, env={**QUIET_BACKENDS, "KERAS_BACKEND": backend})


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting."""
    session.install("ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
