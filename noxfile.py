"""Every developer and CI entry point: ``nox -s docs``, ``nox -s tests`` and friends.

Each session installs what it needs into its own virtual environment, so the
commands work on a fresh machine with nothing but Python and nox.
"""

from __future__ import annotations

import os

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
    """Unit tests, Sphinx build tests and the gallery smoke runs."""
    session.install("-e", ".[docs,tests]")
    session.run("pytest", *session.posargs, env=QUIET_BACKENDS)


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
